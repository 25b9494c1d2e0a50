"""What the templates need to render an article: labels, dates, levels and JSON-LD.

Templates only lay out; every decision (which levels, overdue or not, the JSON-LD fields)
is made here, in plain Python that tests can call.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from content_model.contacts import LEVEL_TEL, NUMBERS
from content_model.destinations import DESTINATIONS
from content_model.loader import Article, Library
from content_model.review import Approval, GitDates, Register, approval, last_changed
from content_model.schema import AREAS
from services_catalog import FORMATS, SERVICE_TYPES, Catalog, url_of
from site_builder.i18n import labels, long_date


@dataclass
class ArticleView:
    article: Article
    language: str
    t: dict[str, str]
    overdue: bool
    approval: Approval
    changed: str  # when the text was last changed (Git, else the front matter)
    changed_iso: str
    last_reviewed: str
    next_review: str
    levels: list[dict]
    translation_url: str | None
    akutt_url: str | None
    icpc2: list[tuple[str, str]]
    json_ld: str
    services: dict | None = None

    @property
    def meta(self):
        return self.article.meta

    @property
    def draft(self) -> bool:
        """Not approved now by a registered clinician (a draft, or changed since approval)."""
        return not self.approval.approved

    @property
    def reviewer(self):
        """The approving clinician from the register, only while the approval holds."""
        return self.approval.reviewer if self.approval.approved else None


def json_ld(
    article: Article,
    codes: dict[str, str],
    site_url: str | None,
    site_name: str,
    state: Approval | None = None,
    changed: dt.date | None = None,
) -> dict:
    """schema.org MedicalWebPage about the article's symptom or condition."""
    meta = article.meta
    data: dict = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": meta.title,
        "headline": meta.title,
        "description": meta.summary,
        "inLanguage": meta.language,
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "publisher": {"@type": "Organization", "name": site_name},
    }
    if site_url:
        data["url"] = site_url.rstrip("/") + "/" + article.url
    if changed:
        data["dateModified"] = changed.isoformat()
    if state is not None:
        data["creativeWorkStatus"] = "Published" if state.approved else "Draft"
        if state.approved:
            assert meta.review is not None and state.reviewer is not None  # approved: both are known (review.approval)
            data["lastReviewed"] = meta.review.last_reviewed.isoformat()
            data["reviewedBy"] = {"@type": "Person", "name": state.reviewer.name, "jobTitle": state.reviewer.profession}
    if meta.icpc2:
        data["about"] = {
            "@type": "MedicalSignOrSymptom" if meta.kind in ("symptom", "akutt") else "MedicalCondition",
            "name": meta.title,
            "alternateName": meta.synonyms[:10],
            "code": [
                {"@type": "MedicalCode", "codeValue": code, "codingSystem": "ICPC-2", **({"name": codes[code]} if code in codes else {})}
                for code in meta.icpc2
            ],
        }
    if meta.sources:
        data["citation"] = [{"@type": "CreativeWork", "name": s.title, "publisher": s.publisher, "url": str(s.url)} for s in meta.sources]
    return data


def script_json(data: dict) -> str:
    """JSON safe to put inside a <script> element."""
    return json.dumps(data, ensure_ascii=False, indent=None).replace("</", "<\\/")


def relative_url(from_url: str, to_url: str) -> str:
    """A link from one directory URL (``nb/feber/``) to another, relative like mkdocs' links."""
    depth = from_url.count("/")
    return "../" * depth + to_url if to_url else ("../" * depth or "./")


def _item(criterion, language: str) -> dict:
    """A criterion as the card shows it: the reader's text and, where the criterion sends the
    reader somewhere else than the level's default, where and (if known) the number."""
    item = {"text": criterion.text, "destination": None, "tel": None, "tel_display": None}
    if criterion.destination:
        destination = DESTINATIONS[criterion.destination]
        item["destination"] = destination.text(language)
        if destination.number:
            item["tel"], item["tel_display"] = destination.tel(), NUMBERS[destination.number].display
    return item


def article_view(
    article: Article,
    library: Library,
    codes: dict[str, str],
    *,
    today: dt.date,
    site_url: str | None,
    site_name: str,
    register: Register | None = None,
    git_dates: dict[str, GitDates] | None = None,
    catalog: Catalog | None = None,
) -> ArticleView:
    meta = article.meta
    language = meta.language
    t = labels(language)
    card = meta.care_card
    levels = []
    if card:
        for level, criteria in card.levels():
            levels.append(
                {
                    "level": level,
                    "heading": t[level],
                    "tag": t[f"{level}_tag"],
                    "items": [_item(c, language) for c in criteria],
                    "tel": LEVEL_TEL.get(level),
                    "call": t["call_113"] if level == "emergency" else (t["call_116117"] if level == "urgent" else None),
                }
            )
    other = library.translation_of(article)
    akutt = library.akutt(language)
    review = meta.review
    state = approval(article, library, register or Register())
    changed = last_changed(article, git_dates or {})
    return ArticleView(
        article=article,
        language=language,
        t=t,
        overdue=bool(state.approved and review is not None and review.overdue(today)),  # approved: never None
        approval=state,
        changed=long_date(changed, language),
        changed_iso=changed.isoformat(),
        last_reviewed=long_date(review.last_reviewed, language) if review else "",
        next_review=long_date(review.next_review, language) if review else "",
        levels=levels,
        translation_url=relative_url(article.url, other.url) if other else None,
        akutt_url=relative_url(article.url, akutt.url) if akutt and akutt is not article else None,
        icpc2=[(code, codes.get(code, "")) for code in meta.icpc2],
        json_ld=script_json(json_ld(article, codes, site_url, site_name, state, changed)),
        services=services_view(article, catalog, t),
    )


#: The catalogue's service type for a care-card destination, where the catalogue can list them.
DESTINATION_SERVICE_TYPES = {"fodeavdeling": "fodeavdeling", "lokalsykehus": "sykehus", "apotek": "apotek"}
#: Where in the directory a reader finds their own legevakt (a static page does not know where
#: the reader lives): the overview's list of municipalities, each page naming its legevakt.
LEGEVAKT_FINDER = url_of() + "#velg-kommune"


def services_view(article: Article, catalog: Catalog | None, t: dict[str, str]) -> dict | None:
    """The services that fit an article, by rule from the catalogue: the legevakt finder when the
    card has an urgent level, the directory's entries of a destination's service type (or its
    advice, when the catalogue lists none), and the coping groups for the article's ICPC-2 codes."""
    card = article.meta.care_card
    if catalog is None or (card is None and not article.meta.icpc2):
        return None
    here = article.url
    items: list[dict[str, str | None]] = []
    if card is not None and card.urgent:
        items.append({"text": t["legevakt_finder"], "url": relative_url(here, LEGEVAKT_FINDER)})
    destinations = [] if card is None else [c.destination for _, c in card.criteria() if c.destination]
    for name in dict.fromkeys(destinations):
        service_type = DESTINATION_SERVICE_TYPES.get(name)
        if service_type and any(s.service_type == service_type for s in catalog.services.values()):
            items.append(
                {
                    "text": t["directory_type"].format(type=t.get(f"type_{service_type}", SERVICE_TYPES[service_type])),
                    "url": relative_url(here, f"{url_of()}?type={service_type}"),
                }
            )
        else:
            items.append({"text": DESTINATIONS[name].text(article.meta.language), "url": None})
    groups = (
        [
            {
                "name": g.name,
                "url": relative_url(here, url_of(g)),
                "format": FORMATS[g.format],
                "verified": g.verification.state == "verified",
            }
            for g in catalog.groups_for(article.meta.icpc2)
        ]
        if article.meta.icpc2
        else []
    )
    return {"items": items, "groups": groups} if items or groups else None


def area_index_src(language: str) -> str:
    """Where the generated library index of a language lives: ``nb/index.md``."""
    return f"{language}/index.md"


def area_index_markdown(library: Library, language: str) -> str:
    """The generated library index of one language: articles grouped by area."""
    t = {"nb": ("Helsebiblioteket", "Alle artikler etter tema."), "nn": ("Helsebiblioteket", "Alle artiklar etter tema.")}[language]
    lines = ["---", f"title: {t[0]}", "---", "", t[1], ""]
    by_area: dict[str, list[Article]] = {}
    for article in library.library_articles(language):
        by_area.setdefault(article.meta.area or "om", []).append(article)
    for area, name in AREAS.items():
        if area not in by_area:
            continue
        lines += [f"## {name}", ""]
        for article in by_area[area]:
            link = article.src_path.split("/", 1)[1]
            lines.append(f"- [{article.meta.title}]({link}) – {article.meta.summary.split('. ')[0].rstrip('.')}.")
        lines.append("")
    return "\n".join(lines)


def search_box(api: str, catalog=None) -> dict | None:
    """What the search box's script needs (``overrides/assets/javascripts/helseinfo-search.js``):
    the search service's address and the labels of kinds, service types and municipalities
    (hits carry ids and numbers); ``None`` when no service is configured."""
    if not api:
        return None
    from services_catalog import SERVICE_TYPES

    municipalities = {n: m.name for n, m in catalog.municipalities.items()} if catalog is not None else {}
    return {
        "api": api,
        "labels": {
            "kinds": {"article": "Artikkel", "group": "Kurs og grupper"},
            "types": dict(SERVICE_TYPES),
            "municipalities": municipalities,
        },
    }
