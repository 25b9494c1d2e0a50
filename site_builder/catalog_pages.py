"""The directory's pages, generated from the services catalogue (Markdown via Jinja2).

The plugin calls ``add_pages`` in ``on_files`` and ``page_context`` in ``on_page_context``;
``pages`` does the work and needs no mkdocs, so tests can read the Markdown directly.
Every page uses the theme template ``partials/catalog-page.html``, which adds the
schema.org JSON-LD and ``open-now.js`` (the "open now" line and the overview's filter).
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from mkdocs.structure.files import File

from content_model.contacts import NUMBERS
from content_model.icpc2 import load_codes
from services_catalog import FORMATS, SERVICE_TYPES, Catalog, Group, Municipality, Service, hours, url_of
from services_catalog.catchments import describe_times
from services_catalog.fhir import schema_org
from services_catalog.loader import sort_key
from site_builder.redirects import redirect_html
from site_builder.views import script_json

#: The Jinja2 templates of the generated Markdown.
TEMPLATES = Path(__file__).parent / "templates" / "catalog"
#: The theme template every generated page names in its front matter.
PAGE_TEMPLATE = "partials/catalog-page.html"
#: Shown on every municipality page, the overview and legevakt pages: number, who, when.
EMERGENCY_NUMBERS = [
    (NUMBERS["emergency"].display, "medisinsk nødtelefon", "ved livstruende sykdom eller skade"),
    (NUMBERS["legevakt"].display, "legevakten", "når du trenger legehjelp som ikke kan vente til fastlegen har åpent"),
    (NUMBERS["mental_helse"].display, "Mental Helses hjelpetelefon", "når du trenger noen å snakke med"),
]
#: What a municipality page says when no service of a type is registered.
EMPTY_TEXTS = {
    "legevakt": f"Ring legevakten på {NUMBERS['legevakt'].display}.",
    "sykehus": "Vi har ikke registrert sykehus for {kommune} ennå. Ring " + NUMBERS["emergency"].display + " ved fare for liv.",
    "fodeavdeling": "Vi har ikke registrert fødeavdelingen for {kommune} ennå. Spør jordmoren eller fastlegen din.",
    "fodestue": "",
    "lms": "Vi har ikke registrert et lærings- og mestringssenter for {kommune} ennå.",
    "frisklivssentral": "Vi har ikke registrert en frisklivssentral i {kommune} ennå. Spør {kommune} kommune.",
    "helsestasjon": "Vi har ikke registrert helsestasjonen i {kommune} ennå. Spør {kommune} kommune.",
    "psykisk_helse": "Vi har ikke registrert tjenester for psykisk helse og rus i {kommune} ennå. Spør fastlegen eller {kommune} kommune.",
    "fastlegekontor": "",
    "tannlegevakt": "Vi har ikke registrert akutt tannhjelp for {kommune} ennå. Kontakt tannlegen din.",
}
#: How the group pages say whether a referral is needed.
REFERRAL_TEXTS = {
    "True": "ja, du trenger henvisning",
    "False": "nei, du trenger ikke henvisning",
    "unknown": "ikke registrert – spør arrangøren",
}
#: How the pages name a hospital's acute functions.
ACUTE_LABELS = {"akuttmottak": "Akuttmottak", "fodeavdeling": "Fødeavdeling", "fodestue": "Fødestue"}
#: The overview's filter: service types plus groups.
FILTER_TYPES = {**SERVICE_TYPES, "gruppe": "Mestringskurs og grupper"}


def src_of(entity=None) -> str:
    """The generated page's source path: ``tjenester/kommune/5006-steinkjer.md``."""
    url = url_of(entity)
    return url + "index.md" if entity is None else url.rstrip("/") + ".md"


def link(here: str, entity) -> str:
    """A Markdown link from the page ``here`` (a source path) to an entity's page."""
    return posixpath.relpath(src_of(entity), posixpath.dirname(here))


def cover_rows(catalog: Catalog, number: str) -> list[tuple[str, Service | None]]:
    """Who covers a municipality when, for its page: ``(times in words, legevakt or None)``,
    one row per legevakt in order of the times of day, and one row for the times no source covers."""
    by_service: dict[str, list[str]] = {}
    missing = []
    for time, found in catalog.legevakt_cover(number).items():
        if found:
            by_service.setdefault(found[0].id, []).append(time)
        else:
            missing.append(time)
    rows: list[tuple[str, Service | None]] = [(describe_times(t), catalog.services[i]) for i, t in by_service.items()]
    return rows + ([(describe_times(missing), None)] if missing else [])


def served_rows(service: Service) -> list[tuple[str, str]]:
    """A legevakt's catchment for its page: ``(municipality number, times in words)``."""
    return [(c.municipality, describe_times(c.times)) for c in service.serves]


def redirects(catalog: Catalog, site_url: str | None = None) -> dict[str, str]:
    """Every redirect page, path in the site → HTML: one per ``former_ids`` entry of a service or group."""
    out = {}
    entities: list[Service | Group] = [*catalog.services.values(), *catalog.groups.values()]
    for entity in entities:
        new = url_of(entity)
        for old_id in entity.former_ids:
            old = f"{posixpath.dirname(new.rstrip('/'))}/{old_id}/"
            out[old + "index.html"] = redirect_html(old, new, entity.name, site_url)
    return out


def open_now_data(service: Service, start: dt.datetime) -> str:
    """The JSON ``open-now.js`` reads: the window and the open (or unknown) intervals in it."""
    end = start + dt.timedelta(days=hours.WINDOW_DAYS)
    intervals = [[a.isoformat(), b.isoformat(), state] for a, b, state in hours.open_intervals(service, start, hours.WINDOW_DAYS)]
    return json.dumps({"from": start.isoformat(), "until": end.isoformat(), "intervals": intervals}, separators=(",", ":"))


def _lower_first(text: str) -> str:
    """``"Diabetes type 2"`` → ``"diabetes type 2"``, but ``"KOLS"`` stays."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _environment(catalog: Catalog, start: dt.datetime) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    codes = catalog.codes or load_codes()  # the list the build was given (icpc2_list), else the default
    env.filters["date"] = lambda d: d.strftime("%d.%m.%Y")

    def condition(code: str) -> str:
        return f"{_lower_first(codes.get(code, code))} ({code})"

    env.filters["condition"] = condition
    env.globals.update(
        link=link,
        describe=hours.describe,
        open_now_data=lambda s: open_now_data(s, start),
        emergency_numbers=EMERGENCY_NUMBERS,
        service_types=SERVICE_TYPES,
        formats=FORMATS,
        empty_texts=EMPTY_TEXTS,
        referral_texts=REFERRAL_TEXTS,
        filter_types=FILTER_TYPES,
        acute_labels=ACUTE_LABELS,
        served_rows=served_rows,
        municipalities=catalog.municipalities,
        page_template=PAGE_TEMPLATE,
        overview=None,
    )
    return env


def pages(catalog: Catalog, now: dt.datetime | None = None) -> dict[str, str]:
    """Every generated page, source path → Markdown. ``now`` starts the "open now" window."""
    now = (now or dt.datetime.now(hours.TIMEZONE)).astimezone(hours.TIMEZONE)
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    env = _environment(catalog, start)
    out: dict[str, str] = {}

    def render(template: str, entity, **context) -> None:
        here = src_of(entity)
        out[here] = env.get_template(template).render(here=here, overview=link(here, None), **context)

    for municipality in catalog.municipalities.values():
        number = municipality.number
        services = {t: catalog.services_for(number, t) for t in SERVICE_TYPES}
        services["sykehus"] = catalog.local_hospitals(number)
        render(
            "municipality.md.j2",
            municipality,
            municipality=municipality,
            services=services,
            cover=cover_rows(catalog, number),
            local_known=catalog.has_local_hospital(number),
            acute=catalog.acute_care(number),
            groups=catalog.groups_for(municipality_number=number),
        )
    for service in catalog.services.values():
        groups = sorted((g for g in catalog.groups.values() if g.provider == service.id), key=lambda g: sort_key(g.name))
        render("service.md.j2", service, service=service, groups=groups)
    for group in catalog.groups.values():
        render("group.md.j2", group, group=group, provider=catalog.services.get(group.provider or ""))
    by_name = sorted(catalog.municipalities.values(), key=lambda m: sort_key(m.name))
    counties: dict[str, list[Municipality]] = {}
    for municipality in by_name:
        counties.setdefault(municipality.county, []).append(municipality)
    order = list(SERVICE_TYPES)
    entries: list[tuple[Service | Group, str]] = sorted(
        ((s, s.service_type) for s in catalog.services.values()), key=lambda e: (order.index(e[1]), sort_key(e[0].name))
    )
    entries += sorted(((g, "gruppe") for g in catalog.groups.values()), key=lambda e: sort_key(e[0].name))
    options = {t: label for t, label in FILTER_TYPES.items() if any(t == e[1] for e in entries)}
    render(
        "index.md.j2",
        None,
        counties=sorted(counties.items()),
        municipalities_by_name=by_name,
        entries=entries,
        everywhere=len(catalog.municipalities),
        filter_options=options,
    )
    return out


def add_pages(files, config, catalog: Catalog):
    """Add every generated page, and the redirect pages of merged or renamed entries, to mkdocs' files
    (a page an editor wrote by hand wins)."""
    generated = {**pages(catalog), **redirects(catalog, config.site_url)}
    for src_uri, content in generated.items():
        if files.get_file_from_path(src_uri) is None:
            files.append(File.generated(config, src_uri, content=content))
    return files


def entity_of(catalog: Catalog, src_uri: str):
    """The municipality, service or group a generated page is about (``None`` for the overview)."""
    kind, _, name = src_uri.removeprefix("tjenester/").partition("/")
    ident = name.removesuffix(".md")
    if kind == "kommune":
        return catalog.municipalities.get(ident.partition("-")[0])
    if kind == "tjeneste":
        return catalog.services.get(ident)
    if kind == "grupper":
        return catalog.groups.get(ident)
    return None


def page_context(context, page, catalog: Catalog):
    """Give the catalogue's pages what ``partials/catalog-page.html`` needs: ``catalog_view``."""
    src_uri = page.file.src_uri
    if not src_uri.startswith("tjenester/"):
        return context
    entity = entity_of(catalog, src_uri)
    config = context.get("config")
    site_url = config.site_url if config is not None else None
    json_ld = None
    if isinstance(entity, Service):
        json_ld = Markup(script_json(schema_org(entity, catalog, site_url)).replace("<", "\\u003c"))
    context["catalog_view"] = {"json_ld": json_ld, "entity": entity, "is_municipality": isinstance(entity, Municipality)}
    return context
