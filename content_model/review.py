"""Clinical approval in Git: the register of clinical reviewers, the fingerprint of what a
reviewer approved, an article's approval state, and the dates read from Git history.

An approval holds only as long as what was approved is unchanged. ``clinical_hash`` covers the
article's care-card criteria as the triage engine applies them (each sign resolved through the
shared vocabulary in ``content/signs/``, down to the words of its concepts, so a change to a
shared sign changes the hash; conditions, levels, destinations) and its reader text (title,
summary, body, the card's texts and questions, the self-care advice). Sources, synonyms and the
review block itself are not part of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pydantic
from pydantic import Field, validator

from content_model.loader import RULE_KEYS, Article, Library, pydantic_problems
from content_model.schema import AREAS, SLUG, Model
from content_model.signs import Vocabulary
from helseinfo.kernel.errors import ContentError, HelseinfoError, Problem, display_path
from helseinfo.kernel.yamlio import parse_yaml

#: The register of clinical reviewers, under the content folder.
REGISTER_FILE = "om/fagpersoner.yml"
#: How long an approval lasts before the next review, by default.
REVIEW_INTERVAL_DAYS = 365


class ClinicalReviewer(Model):
    """One clinician who may approve articles in the areas listed."""

    id: str = Field(..., regex=SLUG)
    name: str
    profession: str = Field(..., description="Lege, sykepleier, jordmor, psykolog …")
    hpr: str = Field(..., regex=r"^\d{6,9}$", description="Number in Helsepersonellregisteret.")
    areas: list[str] = Field(..., min_items=1)

    @validator("areas", each_item=True)
    def known_area(cls, value: str) -> str:
        if value not in AREAS:
            raise ValueError("forventet et av temaene: " + ", ".join(AREAS))
        return value


class Register(Model):
    reviewers: list[ClinicalReviewer] = Field(default_factory=list)

    def get(self, reviewer_id: str | None) -> ClinicalReviewer | None:
        return next((r for r in self.reviewers if r.id == reviewer_id), None)


def load_register(content_dir: Path, display_root: Path | None = None) -> Register:
    """The register of ``content_dir``; an absent file is an empty register."""
    path = Path(content_dir) / REGISTER_FILE
    if not path.is_file():
        return Register()
    file = display_path(path, display_root)
    document = parse_yaml(path.read_text(encoding="utf-8"), file)
    try:
        register = Register.parse_obj(document.data or {})
    except pydantic.ValidationError as exc:
        raise ContentError(pydantic_problems(exc, file, document)) from None
    seen: set[str] = set()
    for index, reviewer in enumerate(register.reviewers):
        if reviewer.id in seen:
            raise ContentError(
                [Problem(file, f"reviewers[{index}].id", f"'{reviewer.id}' står to ganger", document.line(("reviewers", index, "id")))]
            )
        seen.add(reviewer.id)
    return register


# ---- what an approval covers


def _sign(name: str, vocabulary: Vocabulary) -> dict:
    sign = vocabulary.signs.get(name)
    if sign is None:
        return {"id": name, "unknown": True}
    return {
        "id": name,
        "label": sign.label.dict(),
        "expressions": [
            [{"concept": c, "words": vocabulary.concepts[c].dict() if c in vocabulary.concepts else None} for c in expression]
            for expression in sign.expressions
        ],
    }


def clinical_content(article: Article, vocabulary: Vocabulary) -> dict:
    """What a clinical approval covers, as plain data (see the module docstring)."""
    meta = article.meta
    criteria = []
    if meta.care_card is not None:
        for level, criterion in meta.care_card.criteria():
            rule = {key: getattr(criterion, key) for key in RULE_KEYS}
            for key in ("age", "duration", "pregnancy_weeks"):
                rule[key] = rule[key].dict() if rule[key] is not None else None
            rule["signs"] = [_sign(name, vocabulary) for name in criterion.signs]
            rule["with_signs"] = [[_sign(name, vocabulary) for name in group] for group in criterion.with_signs]
            criteria.append({"level": level, "id": criterion.id, "text": criterion.text, "question": criterion.question, "rule": rule})
    return {
        "title": meta.title,
        "summary": meta.summary,
        "criteria": criteria,
        "self_care_advice": meta.self_care_advice,
        "body": article.body.strip(),
    }


def clinical_hash(article: Article, vocabulary: Vocabulary) -> str:
    data = json.dumps(clinical_content(article, vocabulary), ensure_ascii=False, sort_keys=True, default=str)
    return "sha256:" + hashlib.sha256(data.encode("utf-8")).hexdigest()


# ---- an article's approval state


@dataclass
class Approval:
    """Whether an article counts as clinically approved now, and if not, why."""

    article: Article
    state: str  # "approved", "draft", "changed" (since approval), "unregistered", "wrong-area"
    reviewer: ClinicalReviewer | None = None

    @property
    def approved(self) -> bool:
        return self.state == "approved"

    def reason(self) -> str:
        review = self.article.meta.review
        reviewer = review.reviewer if review is not None else None  # no review: a page, state "draft"
        return {
            "draft": "venter på faglig godkjenning (status: draft)",
            "changed": "er endret etter at den ble godkjent (kriteriene, et tegn eller teksten): venter på ny faglig godkjenning",
            "unregistered": f"godkjent av '{reviewer}', som ikke står i {REGISTER_FILE}",
            "wrong-area": f"'{reviewer}' er ikke registrert for temaet '{self.article.meta.area}' i {REGISTER_FILE}",
        }.get(self.state, "godkjent")


def approval(article: Article, library: Library, register: Register) -> Approval:
    review = article.meta.review
    if review is None or review.status != "approved":
        return Approval(article, "draft")
    reviewer = register.get(review.reviewer)
    if reviewer is None:
        return Approval(article, "unregistered")
    if article.meta.area not in reviewer.areas:
        return Approval(article, "wrong-area", reviewer)
    if review.approved_hash != clinical_hash(article, library.signs):
        return Approval(article, "changed", reviewer)
    return Approval(article, "approved", reviewer)


def approval_problems(library: Library, register: Register, today: dt.date) -> list[Problem]:
    """What stops the production build: every article not approved now, and overdue reviews."""
    problems = []
    for article in library.library_articles():
        state = approval(article, library, register)
        review = article.meta.review
        if not state.approved:
            key = "review.status" if state.state == "draft" else ("review.approved_hash" if state.state == "changed" else "review.reviewer")
            problems.append(Problem(article.file, key, state.reason(), article.line(tuple(key.split(".")))))
        elif review is not None and review.overdue(today):  # approved: review is never None
            problems.append(
                Problem(
                    article.file,
                    "review.next_review",
                    f"revisjonen forfalt {review.next_review:%d.%m.%Y}",
                    article.line(("review", "next_review")),
                )
            )
    return problems


# ---- dates from Git


@dataclass(frozen=True)
class GitDates:
    created: dt.date
    changed: dt.date


def git_dates(content_dir: Path) -> dict[str, GitDates]:
    """When each file under ``content_dir`` was first and last committed, by path under it.

    Empty outside a Git repository (or without git): callers fall back to the front matter.
    """
    try:
        result = subprocess.run(
            ["git", "-C", str(content_dir), "log", "--format=%x01%cs", "--name-only", "--no-renames", "--relative", "--", "."],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if result.returncode != 0:
        return {}
    newest: dict[str, dt.date] = {}
    oldest: dict[str, dt.date] = {}
    date = None
    for line in result.stdout.splitlines():
        if line.startswith("\x01"):
            date = dt.date.fromisoformat(line[1:].strip())
        elif line.strip() and date is not None:
            newest.setdefault(line.strip(), date)
            oldest[line.strip()] = date
    return {path: GitDates(oldest[path], newest[path]) for path in newest}


def last_changed(article: Article, dates: dict[str, GitDates]) -> dt.date:
    """The date the article was last changed: from Git, else the front matter's date."""
    found = dates.get(article.src_path)
    if found is not None:
        return found.changed
    return article.meta.review.last_reviewed if article.meta.review else dt.date.today()


# ---- writing an approval into the front matter


def set_review_fields(text: str, fields: dict[str, str], file: str) -> str:
    """Set scalar keys of the front matter's ``review:`` block, changing only those lines."""
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    start = next((i for i in range(1, end or 0) if re.match(r"^review:\s*$", lines[i])), None)
    if end is None or start is None:
        raise HelseinfoError(f"{file}: fant ikke en review:-blokk i front matter")
    block_end = next((i for i in range(start + 1, end) if lines[i] and not lines[i].startswith(" ")), end)
    # the indent of the block's first key (a blank line may come before it)
    first_key = next((lines[i] for i in range(start + 1, block_end) if lines[i].strip()), None)
    match = re.match(r"^(\s+)", first_key) if first_key is not None else None
    indent = match.group(1) if match else "  "
    anchor = start  # new keys go after the one before them in ``fields``
    for key, value in fields.items():
        pattern = re.compile(rf"^{indent}{key}:")
        found = next((i for i in range(start + 1, block_end) if pattern.match(lines[i])), None)
        line = f"{indent}{key}: {value}"
        if found is not None:
            lines[found] = line
            anchor = found
        else:
            anchor += 1
            lines.insert(anchor, line)
            block_end += 1
    return "\n".join(lines)


def approve(path: Path, reviewer_id: str, content_dir: Path, *, today: dt.date | None = None, display_root: Path | None = None) -> Article:
    """Approve one article for ``reviewer_id``: check, then write status, reviewer, hash and dates."""
    from content_model.loader import collect_library

    today = today or dt.date.today()
    content_dir = Path(content_dir).resolve()
    path = Path(path).resolve()
    try:
        src_path = path.relative_to(content_dir).as_posix()
    except ValueError:
        raise HelseinfoError(f"{path}: ligger ikke i innholdsmappen {content_dir}") from None
    library, problems = collect_library(content_dir, display_root=display_root)
    article = library.get(src_path)
    own = [p for p in problems if article is not None and p.file == article.file]
    if article is None or own:
        raise ContentError(own or [Problem(display_path(path, display_root), "", "fant ikke en gyldig artikkel her")])
    if not article.is_article:
        raise HelseinfoError(f"{article.file}: er en vanlig side (kind: page), ikke en artikkel som godkjennes faglig")
    register = load_register(content_dir, display_root)
    reviewer = register.get(reviewer_id)
    if reviewer is None:
        known = ", ".join(r.id for r in register.reviewers) or "registeret er tomt"
        raise HelseinfoError(f"{display_path(content_dir / REGISTER_FILE, display_root)}: fant ikke fagpersonen '{reviewer_id}' ({known})")
    if article.meta.area not in reviewer.areas:
        raise HelseinfoError(
            f"{article.file}: {reviewer.name} er ikke registrert for temaet '{article.meta.area}' "
            f"(registrert for: {', '.join(reviewer.areas)})"
        )
    fields = {
        "status": "approved",
        "reviewer": reviewer.id,
        "approved_hash": clinical_hash(article, library.signs),
        "last_reviewed": today.isoformat(),
        "next_review": (today + dt.timedelta(days=REVIEW_INTERVAL_DAYS)).isoformat(),
    }
    text = path.read_text(encoding="utf-8")
    path.write_text(set_review_fields(text, fields, article.file), encoding="utf-8")
    return article
