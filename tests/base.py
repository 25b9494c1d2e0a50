"""Builds tiny sample projects in a temporary folder (the mkdocs ``tests/base.py`` habit)."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

#: A minimal valid symptom article; tests change one thing at a time.
SYMPTOM = {
    "title": "Hodepine",
    "summary": "Hodepine er vanlig og ofte ufarlig.",
    "language": "nb",
    "kind": "symptom",
    "area": "hode-og-nerver",
    "icpc2": ["N01"],
    "synonyms": ["hodepinne", "vondt i hodet"],
    "care_card": {
        "emergency": [
            {
                "id": "tordenskrall",
                "text": "Plutselig, voldsom hodepine som er den verste du har hatt.",
                "terms": ["verste hodepine", "tordenskrallhodepine"],
            }
        ],
        "gp": [
            {
                "id": "lenge",
                "text": "Hodepine som har vart i mer enn en uke.",
                "terms": ["hodepine", "vondt i hodet"],
                "duration": {"over_days": 7},
                "question": "Har hodepinen vart i mer enn en uke?",
            }
        ],
        "self_care": [
            {
                "id": "vanlig",
                "text": "Vanlig hodepine som går over med hvile.",
                "terms": ["hodepine"],
                "with_terms": [["går over", "blir bedre"]],
            }
        ],
    },
    "self_care_advice": ["Drikk vann.", "Hvil i et mørkt rom."],
    "sources": [
        {
            "title": "Spenningshodepine",
            "publisher": "Helsenorge",
            "url": "https://www.helsenorge.no/sykdom/skader-og-sykdommer-i-hjernen/spenningshodepine/",
        }
    ],
    "review": {
        "status": "draft",
        "editor_role": "Fagredaktør",
        "last_reviewed": "2026-11-01",
        "next_review": "2027-11-01",
    },
}

AKUTT = {
    "title": "Akutt",
    "summary": "Ring 113.",
    "language": "nb",
    "kind": "akutt",
    "area": "akutt",
    "care_card": {"emergency": [{"id": "bevisstloes", "text": "Bevisstløs.", "terms": ["bevisstløs"]}]},
    "sources": [{"title": "Førstehjelp", "publisher": "Helsenorge", "url": "https://www.helsenorge.no/forstehjelp/"}],
    "review": SYMPTOM["review"],
}


def article(**changes) -> dict:
    """A copy of ``SYMPTOM`` with top-level keys changed (``None`` deletes a key)."""
    data = copy.deepcopy(SYMPTOM)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def write_article(content: Path, src_path: str, meta: dict, body: str = "## Om\n\nTekst.\n") -> Path:
    path = content / src_path
    path.parent.mkdir(parents=True, exist_ok=True)
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    return path


def make_project(
    root: Path, pages: dict[str, dict] | None = None, *, bodies: dict[str, str] | None = None, directory: bool = False
) -> Path:
    """A tiny mkdocs project using the real theme and plugin; returns its ``mkdocs.yml``."""
    content = root / "content"
    pages = pages if pages is not None else {"nb/hodepine.md": article(), "nb/akutt.md": copy.deepcopy(AKUTT)}
    pages.setdefault("index.md", {"title": "Forside", "summary": "Forside.", "language": "nb", "kind": "page"})
    for src_path, meta in pages.items():
        write_article(content, src_path, meta, (bodies or {}).get(src_path, "## Om\n\nTekst.\n"))
    config = {
        "site_name": "Helseinformasjon test",
        "site_url": "https://helse.example/",
        "docs_dir": "content",
        "theme": {"name": "material", "language": "nb", "font": False},
        "plugins": ["search", {"helseinfo": {"directory": directory}}],
        "markdown_extensions": ["admonition", "attr_list", "tables", "toc"],
    }
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


#: A reviewer for the tests' own temporary register (the real register starts empty).
TEST_REVIEWER = {
    "id": "kari-testlege",
    "name": "Kari Testlege",
    "profession": "Fastlege",
    "hpr": "9999999",
    "areas": ["hode-og-nerver", "akutt"],
}


def write_register(content: Path, *reviewers: dict) -> Path:
    """A temporary register of clinical reviewers in ``content/om/fagpersoner.yml``."""
    path = content / "om" / "fagpersoner.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"reviewers": list(reviewers)}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def approve_pages(content: Path, *src_paths: str, reviewer: dict = TEST_REVIEWER, on: str = "2026-11-01") -> None:
    """Register ``reviewer`` and approve the pages as ``helseinfo review approve`` does."""
    import datetime as dt

    from content_model.review import approve

    write_register(content, reviewer)
    for src_path in src_paths:
        approve(content / src_path, reviewer["id"], content, today=dt.date.fromisoformat(on))
