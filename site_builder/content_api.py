"""The static content API, written by the build next to the site under ``api/v1/``.

Plain JSON files, one JSON Schema per document type in ``schemas/api/v1/`` (a test validates
every written file against it). The portal, the app or another municipality's site reads them
to show the library, the care cards and the directory natively; the portal module
(``assistant/widget/helseinfo-portal.js``, copied to ``assets/``) reads ``codes.json``,
``groups.json`` and ``articles/<language>.json`` and matches a person's condition codes in the
browser, so the codes never leave the portal page.

| file | what |
|---|---|
| ``index.json`` | the version and every other file with its size and SHA-256 (also the ETag) |
| ``codes.json`` | one code index for ICPC-2 and ICD-10: code → the group and article ids that carry it |
| ``groups.json`` | every coping group, with ``icpc2``, ``icd10`` and the audience fields |
| ``articles/nb.json``, ``articles/nn.json`` | every article: summary, ``care_card``, sources, review state, codes |
| ``services/<kommunenummer>.json`` | the services of a municipality: ``opening_hours`` (OSM) and the next 8 weeks as intervals |

Addresses (``url``) are relative to the site's root, as the site's own pages are. An address
survives a rename: ``former_slugs`` (articles) and ``former_ids`` (groups) list the earlier
names, whose addresses the site keeps as redirect pages, so a stored old link can be mapped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from content_model.destinations import DESTINATIONS
from content_model.loader import Library
from services_catalog import hours

#: The API's folder inside the site, and its URL path.
API_DIR = "api/v1"
API_PATH = "/" + API_DIR + "/"
#: The portal module, copied into the site beside the chat widget.
MODULE = Path(__file__).resolve().parent.parent / "assistant" / "widget" / "helseinfo-portal.js"
MODULE_URI = "assets/helseinfo-portal.js"
#: Origins allowed to read the API from a browser (``HELSEINFO_API_ORIGINS``, space-separated; ``*`` for any).
DEFAULT_ORIGINS = "http://127.0.0.1:8000 http://localhost:8000"
#: How long a browser may use a file before asking again (it then gets 304 while the ETag holds).
CACHE_CONTROL = "public, max-age=300"


def _dump(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def article_json(article, library: Library) -> dict:
    meta = article.meta
    card = None
    if meta.care_card is not None:
        card = {level: [_criterion(c, meta.language) for c in items] for level, items in meta.care_card.levels()}
    twin = library.translation_of(article)
    review = meta.review
    return {
        "id": article.id,
        "title": meta.title,
        "url": article.url,
        "former_slugs": meta.former_slugs,
        "language": meta.language,
        "kind": meta.kind,
        "area": meta.area,
        "summary": " ".join(meta.summary.split()),
        "icpc2": meta.icpc2,
        "icd10": meta.icd10,
        "translation": twin.id if twin else None,
        "care_card": card,
        "self_care_advice": meta.self_care_advice,
        "sources": [
            {"title": s.title, "publisher": s.publisher, "url": str(s.url), "date": s.date.isoformat() if s.date else None}
            for s in meta.sources
        ],
        "review": None
        if review is None
        else {
            "status": review.status,
            "next_review": review.next_review.isoformat(),
            "last_reviewed": review.last_reviewed.isoformat() if review.status == "approved" else None,
        },
    }


def _criterion(criterion, language: str) -> dict:
    out = {"id": criterion.id, "text": criterion.text}
    if criterion.destination:
        out["destination"] = DESTINATIONS[criterion.destination].to_json(language)
    return out


def group_json(group, catalog) -> dict:
    everywhere = set(group.municipalities) == set(catalog.municipalities)
    return {
        "id": group.id,
        "name": group.name,
        "url": catalog.url_of(group),
        "former_ids": group.former_ids,
        "icpc2": group.icpc2,
        "icd10": group.icd10,
        "audience": group.audience,
        "for": group.for_,
        "age": None if group.age is None else {"from_years": group.age.from_years, "to_years": group.age.to_years},
        "format": group.format,
        "referral": group.referral,
        "municipalities": "all" if everywhere else list(group.municipalities),
        "organization": group.organization,
        "provider": group.provider,
        "signup": {"text": group.signup.text, "url": str(group.signup.url) if group.signup.url else None},
        "description": group.description,
        "source": {"publisher": group.source.publisher, "url": str(group.source.url)},
        "verified": group.verification.state == "verified",
    }


def service_json(service, catalog, start: dt.datetime) -> dict:
    return {
        "id": service.id,
        "name": service.name,
        "service_type": service.service_type,
        "url": catalog.url_of(service),
        "phone": service.phone,
        "web": str(service.web) if service.web else None,
        "address": service.address.dict() if service.address else None,
        "opening_hours": service.opening_hours,
        "open_intervals": [
            [a.isoformat(), b.isoformat(), state] for a, b, state in hours.open_intervals(service, start, hours.WINDOW_DAYS)
        ],
        "verified": service.verification.state == "verified",
    }


def code_index(articles: list, groups: list) -> dict:
    """``{"icpc2": {code: {"groups": [...], "articles": [...]}}, "icd10": {...}}``, codes sorted."""
    index: dict[str, dict] = {"icpc2": {}, "icd10": {}}
    for kind, items in (("groups", groups), ("articles", articles)):
        for item in items:
            for system in ("icpc2", "icd10"):
                for code in item[system]:
                    entry = index[system].setdefault(code, {"groups": [], "articles": []})
                    entry[kind].append(item["id"])
    return {system: dict(sorted(codes.items())) for system, codes in index.items()}


def services_documents(catalog, now: dt.datetime | None = None) -> dict[str, dict]:
    """``services/<number>.json`` for every municipality; the 8 weeks start at midnight (Oslo) of ``now``'s day."""
    start = (now or dt.datetime.now(hours.TIMEZONE)).astimezone(hours.TIMEZONE).replace(hour=0, minute=0, second=0, microsecond=0)
    until = start + dt.timedelta(days=hours.WINDOW_DAYS)
    out: dict[str, dict] = {}
    cache: dict[str, dict] = {}
    for number, municipality in catalog.municipalities.items():
        services = [cache.setdefault(s.id, service_json(s, catalog, start)) for s in catalog.services_for(number)]
        out[f"services/{number}.json"] = {
            "version": 1,
            "municipality": {"number": number, "name": municipality.name},
            "from": start.isoformat(),
            "until": until.isoformat(),
            "services": services,
        }
    return out


def documents(library: Library, catalog, now: dt.datetime | None = None) -> dict[str, dict]:
    """Every file of the API, path under ``api/v1/`` → its JSON, except ``index.json``."""
    out: dict[str, dict] = {}
    articles = {lang: [article_json(a, library) for a in library.library_articles(lang)] for lang in ("nb", "nn")}
    for language, items in articles.items():
        out[f"articles/{language}.json"] = {"version": 1, "language": language, "articles": items}
    groups = []
    if catalog is not None:
        groups = [group_json(g, catalog) for g in sorted(catalog.groups.values(), key=lambda g: g.id)]
        out["groups.json"] = {"version": 1, "groups": groups}
        out.update(services_documents(catalog, now))
    coded = [a for a in articles["nb"] + articles["nn"] if a["kind"] != "akutt"]  # the akutt card is for everyone
    out["codes.json"] = {"version": 1, **code_index(coded, groups)}
    return out


def write(site: Path, library: Library, catalog, now: dt.datetime | None = None) -> dict[str, dict]:
    """Write the API under ``site/api/v1/`` and the portal module to ``site/assets/``; returns ``index.json``'s files."""
    root = Path(site) / API_DIR
    files = {}
    for name, data in documents(library, catalog, now).items():
        body = _dump(data)
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        files[name] = {"bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()}
    (root / "index.json").write_bytes(_dump({"version": 1, "files": dict(sorted(files.items()))}))
    if MODULE.is_file():
        (Path(site) / MODULE_URI).parent.mkdir(parents=True, exist_ok=True)
        (Path(site) / MODULE_URI).write_bytes(MODULE.read_bytes())
    return files


# ---- what a server sends with the API's files (``helseinfo serve --built``; nginx in deploy/)


def allowed_origins() -> list[str]:
    return os.environ.get("HELSEINFO_API_ORIGINS", DEFAULT_ORIGINS).split()


def cors_origin(origin: str | None) -> str | None:
    """The ``Access-Control-Allow-Origin`` value for a request's ``Origin``, or ``None``."""
    allowed = allowed_origins()
    if "*" in allowed:
        return "*"
    return origin if origin and origin in allowed else None


def etag(path: Path) -> str:
    """A strong ETag from the file's content (the same SHA-256 ``index.json`` lists)."""
    return '"' + hashlib.sha256(Path(path).read_bytes()).hexdigest()[:32] + '"'
