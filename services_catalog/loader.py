"""Load and validate the services catalogue: the only reader of its YAML files.

Layout of a catalogue folder (default ``services_catalog/data``)::

    kommuner.yaml        municipalities: [...]   (written by ``helseinfo catalog import-municipalities``)
    steder.yaml          places: [...]           (villages and former municipalities; optional)
    services/*.yaml      services: [...]
    groups/*.yaml        groups: [...]

A file may also have a top-level ``source:``; it applies to every entry without its own.

All problems in all files are collected and raised together as one ``CatalogError``, each
naming the file, the line and the key. Loading only reads; it never writes anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pydantic

from content_model.icpc2 import load_codes
from content_model.loader import format_loc, pydantic_problems
from content_model.schema import Model
from helseinfo.kernel.errors import CatalogError, Problem, ValidationError, display_path
from helseinfo.kernel.paths import PROJECT
from helseinfo.kernel.yamlio import Loc, YamlDocument, parse_yaml
from services_catalog.catchments import TIME_LABELS, TIMES, describe_times, time_of_day
from services_catalog.schema import ACUTE_FUNCTIONS, SERVICE_TYPES, Group, Municipality, Place, Service, Source

#: The catalogue shipped with the project.
DEFAULT_ROOT = Path(__file__).resolve().parent / "data"
#: The file of municipalities inside a catalogue folder.
MUNICIPALITIES_FILE = "kommuner.yaml"
#: The file of other place names inside a catalogue folder.
PLACES_FILE = "steder.yaml"

Entity = Municipality | Service | Group
M = TypeVar("M", bound=Model)
#: A service or group as read, with its file, document and index in the file's list.
ReadService = tuple[Service, str, YamlDocument, int]
ReadGroup = tuple[Group, str, YamlDocument, int]


def slug(text: str) -> str:
    """``"Midtre Gauldal"`` → ``"midtre-gauldal"``; æ, ø and å become ae, o and a."""
    text = text.casefold().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    out = "".join(c if c.isascii() and c.isalnum() else "-" for c in text)
    return "-".join(part for part in out.split("-") if part)


def sort_key(name: str) -> str:
    """Sort key for Norwegian names: case-insensitive, with æ, ø, å after z."""
    return name.casefold().translate({ord("æ"): "{", ord("ø"): "|", ord("å"): "}"})


def url_of(entity: Entity | None = None) -> str:
    """Site-relative URL of an entity's generated page; ``url_of()`` is the overview.

    ``tjenester/kommune/5006-steinkjer/``, ``tjenester/tjeneste/<id>/``,
    ``tjenester/grupper/<id>/``, ``tjenester/``.
    """
    if entity is None:
        return "tjenester/"
    if isinstance(entity, Municipality):
        return f"tjenester/kommune/{entity.number}-{slug(entity.name)}/"
    if isinstance(entity, Service):
        return f"tjenester/tjeneste/{entity.id}/"
    if isinstance(entity, Group):
        return f"tjenester/grupper/{entity.id}/"
    raise TypeError(f"ingen side for {type(entity).__name__}")


@dataclass
class Catalog:
    """Every municipality, service and group, validated together."""

    root: Path
    municipalities: dict[str, Municipality]  # by number, in number order
    services: dict[str, Service]  # by id
    groups: dict[str, Group]  # by id
    places: dict[str, Place] = field(default_factory=dict)  # by name
    #: The ICPC-2 code list the catalogue was checked against (code → name; empty if not checked).
    codes: dict[str, str] = field(default_factory=dict, repr=False)
    origins: dict[tuple[str, str], tuple[str, int | None]] = field(default_factory=dict, repr=False)

    def services_for(self, municipality_number: str, service_type: str | None = None) -> list[Service]:
        """Services serving a municipality (optionally of one type), in page order then by name."""
        order = list(SERVICE_TYPES)
        found = [
            s
            for s in self.services.values()
            if municipality_number in s.municipalities and (service_type is None or s.service_type == service_type)
        ]
        return sorted(found, key=lambda s: (order.index(s.service_type), sort_key(s.name)))

    def groups_for(self, icpc2_codes: Iterable[str] | None = None, municipality_number: str | None = None) -> list[Group]:
        """Groups for any of ``icpc2_codes`` and/or serving a municipality, by name."""
        codes = set(icpc2_codes or [])
        found = [
            g
            for g in self.groups.values()
            if (not codes or codes & set(g.icpc2)) and (municipality_number is None or municipality_number in g.municipalities)
        ]
        return sorted(found, key=lambda g: sort_key(g.name))

    def municipality_by_name(self, name: str) -> Municipality | None:
        """The municipality called ``name`` (any official name, case-insensitive), or the one
        a place of ``steder.yaml`` lies in (``Brattvåg`` → Haram), or ``None``."""
        wanted = " ".join(name.split()).casefold()
        for municipality in self.municipalities.values():
            if wanted in (n.casefold() for n in [municipality.name, *municipality.other_names]):
                return municipality
        for place in self.places.values():
            if place.name.casefold() == wanted:
                return self.municipalities.get(place.municipality)
        return None

    # ---- legevakt catchments, local hospitals, merged entries

    def resolve(self, service_id: str) -> Service | None:
        """The service with this id, or the entry it was merged into (its ``former_ids``), or ``None``."""
        if service_id in self.services:
            return self.services[service_id]
        return next((s for s in self.services.values() if service_id in s.former_ids), None)

    def resolve_group(self, group_id: str) -> Group | None:
        """The group with this id, or the group that had it before (its ``former_ids``), or ``None``."""
        if group_id in self.groups:
            return self.groups[group_id]
        return next((g for g in self.groups.values() if group_id in g.former_ids), None)

    def legevakt_cover(self, municipality_number: str) -> dict[str, list[Service]]:
        """For each time of day, the legevakter whose ``serves`` cover the municipality then.

        An entry without ``serves`` (a "not registered yet" entry) covers nothing: its
        municipality is a gap. A complete catalogue has one legevakt a time of day, or none.
        """
        cover: dict[str, list[Service]] = {t: [] for t in TIMES}
        for service in self.services.values():
            for item in service.serves:
                if item.municipality == municipality_number:
                    for t in item.times:
                        cover[t].append(service)
        return cover

    def legevakt_for(self, municipality_number: str, when: dt.datetime | None = None) -> Service | None:
        """The legevakt that covers the municipality at ``when`` (default now; Oslo time, Norwegian
        public holidays), or ``None`` where no source tells us (then 116 117 is the answer)."""
        found = self.legevakt_cover(municipality_number)[time_of_day(when)]
        return found[0] if found else None

    def cover_gaps(self) -> dict[str, list[str]]:
        """Municipality number → the times of day no legevakt of the catalogue is known to cover it."""
        gaps = {}
        for number in self.municipalities:
            missing = [t for t, found in self.legevakt_cover(number).items() if not found]
            if missing:
                gaps[number] = missing
        return gaps

    def gaps(self) -> list[tuple[str, list[str]]]:
        """What the catalogue lacks a source for, as ``(what, municipality numbers)``: legevakt
        cover (by the times of day not covered), a local hospital, a frisklivssentral."""
        by_times: dict[str, list[str]] = {}
        for number, missing in self.cover_gaps().items():
            by_times.setdefault(describe_times(missing), []).append(number)
        found = [(f"ingen kilde for legevakt {when}", numbers) for when, numbers in by_times.items()]
        found.append(
            (
                "ingen lokalsykehus (ingen sykehus har kommunen i local_hospital_for)",
                [n for n in self.municipalities if not self.has_local_hospital(n)],
            )
        )
        found.append(("ingen frisklivssentral", [n for n in self.municipalities if not self.services_for(n, "frisklivssentral")]))
        return [(what, numbers) for what, numbers in found if numbers]

    def has_local_hospital(self, municipality_number: str) -> bool:
        """Whether some hospital names the municipality in its ``local_hospital_for``."""
        return any(municipality_number in s.local_hospital_for for s in self.services.values())

    def local_hospitals(self, municipality_number: str) -> list[Service]:
        """The municipality's local hospital(s) from ``local_hospital_for``; where no hospital
        names it, every hospital serving it (the health trust's hospitals), as before."""
        named = sorted((s for s in self.services.values() if municipality_number in s.local_hospital_for), key=lambda s: sort_key(s.name))
        return named or self.services_for(municipality_number, "sykehus")

    def acute_care(self, municipality_number: str) -> dict[str, list[Service]]:
        """Where acute and birth care is given for a municipality, for each of ``akuttmottak``,
        ``fodeavdeling`` and ``fodestue``: the local hospitals with that function, where a ward
        or birth unit entry (of that type) serving the municipality lies in the same municipality
        as such a hospital, that entry in its place; with no local hospital that has it, every
        ward or birth unit serving the municipality."""
        local = self.local_hospitals(municipality_number) if self.has_local_hospital(municipality_number) else []
        care = {f: [h for h in local if f in h.acute_functions] for f in ACUTE_FUNCTIONS}
        for kind in ("fodeavdeling", "fodestue"):
            units = self.services_for(municipality_number, kind)
            places = {h.located_in for h in care[kind] if h.located_in}
            care[kind] = [u for u in units if u.located_in in places] or care[kind] or units
        return care

    def origin(self, entity: Entity) -> tuple[str, int | None]:
        """The file (as shown to editors) and line an entity was read from."""
        if isinstance(entity, Municipality):
            return self.origins[("municipality", entity.number)]
        kind = "service" if isinstance(entity, Service) else "group"
        return self.origins[(kind, entity.id)]

    url_of = staticmethod(url_of)


class _Prefixed:
    """A pydantic error whose locations are moved under ``prefix`` (an entry in a list)."""

    def __init__(self, exc: pydantic.ValidationError, prefix: Loc):
        self.exc, self.prefix = exc, prefix

    def errors(self) -> list[Mapping[str, Any]]:
        return [{**e, "loc": self.prefix + tuple(e["loc"])} for e in self.exc.errors()]


def _read_entries(
    path: Path, key: str, model: type[M], display_root: Path | None, problems: list[Problem]
) -> Iterator[tuple[int, M, str, YamlDocument]]:
    """Parse one file's list under ``key``; yields ``(index, entry, file, document)`` for valid entries."""
    file = display_path(path, display_root)
    document = _read_list_file(path, key, file, problems)
    if document is None:
        return
    shared = document.data.get("source")  # a file-wide source applies to every entry
    for index, raw in enumerate(document.data[key]):
        if isinstance(raw, dict) and key not in ("municipalities", "places") and "source" not in raw and shared is not None:
            raw = {**raw, "source": shared}
        try:
            entry = model.parse_obj(raw)
        except pydantic.ValidationError as exc:
            problems.extend(pydantic_problems(_Prefixed(exc, (key, index)), file, document))
            continue
        yield index, entry, file, document


def _read_list_file(path: Path, key: str, file: str, problems: list[Problem]) -> YamlDocument | None:
    """The parsed document when it is a mapping with a list under ``key``, only ``key`` and an
    optional file-wide ``source`` beside it, and that source is valid; else ``None``."""
    try:
        document = parse_yaml(path.read_text(encoding="utf-8"), file)
    except ValidationError as exc:
        problems.extend(exc.problems)
        return None
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        problems.append(Problem(file, key, f"forventet nøkkelen {key}: med en liste", document.line((key,)) or 1))
        return None
    for extra in data:
        if extra not in (key, "source"):
            problems.append(Problem(file, str(extra), "ukjent nøkkel", document.line((extra,))))
    if "source" in data:
        try:
            Source.parse_obj(data["source"])
        except pydantic.ValidationError as exc:
            problems.extend(pydantic_problems(_Prefixed(exc, ("source",)), file, document))
            return None
    return document


def collect_catalog(
    root: Path | None = None, *, codes: dict[str, str] | bool | None = True, display_root: Path | None = PROJECT
) -> tuple[Catalog, list[Problem]]:
    """Load a catalogue folder: the valid entries and every problem found."""
    root = Path(root or DEFAULT_ROOT)
    if not (root / MUNICIPALITIES_FILE).is_file():
        raise CatalogError([Problem(display_path(root / MUNICIPALITIES_FILE, display_root), "", "fant ikke kommunefilen")])
    reader = _Reader(root, load_codes() if codes is True else (codes or None), display_root)
    reader.municipalities()
    reader.places()
    services = reader.services()
    groups = reader.groups()
    reader.providers(groups)
    reader.problems += _merge_problems(reader.catalog, services, groups)
    if not reader.problems:  # coverage is only meaningful once every entry could be read
        reader.problems += _cover_problems(reader.catalog) + _coverage_problems(reader.catalog)
    return reader.catalog, reader.problems


class _Reader:
    """Reads the catalogue's files one kind at a time into one ``Catalog``, collecting problems."""

    def __init__(self, root: Path, codes: dict[str, str] | None, display_root: Path | None):
        self.root, self.codes, self.display_root = root, codes, display_root
        self.problems: list[Problem] = []
        self.catalog = Catalog(root, {}, {}, {}, codes=codes or {})

    def entries(self, path: Path, key: str, model: type[M]) -> Iterator[tuple[int, M, str, YamlDocument]]:
        return _read_entries(path, key, model, self.display_root, self.problems)

    def problem(self, file: str, document: YamlDocument, loc: Loc, message: str) -> None:
        self.problems.append(Problem(file, format_loc(loc), message, document.line(loc)))

    def seen_before(self, kind: str, ident: str, file: str, document: YamlDocument, loc: Loc) -> bool:
        """Record where an id was first defined; report it if it was defined before."""
        origins = self.catalog.origins
        if (kind, ident) in origins:
            first_file, first_line = origins[(kind, ident)]
            self.problem(file, document, loc, f"id '{ident}' er brukt før ({first_file}:{first_line})")
            return True
        origins[(kind, ident)] = (file, document.line(loc))
        return False

    def municipalities(self) -> None:
        found = self.catalog.municipalities
        for index, municipality, file, document in self.entries(self.root / MUNICIPALITIES_FILE, "municipalities", Municipality):
            if not self.seen_before("municipality", municipality.number, file, document, ("municipalities", index, "number")):
                found[municipality.number] = municipality
        self.catalog.municipalities = dict(sorted(found.items()))

    def places(self) -> None:
        if not (self.root / PLACES_FILE).is_file():
            return
        for index, place, file, document in self.entries(self.root / PLACES_FILE, "places", Place):
            if place.municipality not in self.catalog.municipalities:
                self.problem(file, document, ("places", index, "municipality"), f"ukjent kommunenummer '{place.municipality}'")
            elif not self.seen_before("place", place.name.casefold(), file, document, ("places", index, "name")):
                self.catalog.places[place.name] = place

    def check_numbers(self, entry: Service | Group, file: str, document: YamlDocument, key: str, index: int) -> None:
        """Every municipality an entry names exists (its list, a catchment, a local hospital)."""
        listed: list[tuple[Loc, str]] = [
            (("municipalities", n), number) for n, number in enumerate(entry.municipalities if entry.municipalities != "all" else [])
        ]
        if isinstance(entry, Service):
            listed += [(("serves", n, "municipality"), c.municipality) for n, c in enumerate(entry.serves)]
            listed += [(("local_hospital_for", n), number) for n, number in enumerate(entry.local_hospital_for)]
            if entry.located_in:
                listed.append((("located_in",), entry.located_in))
        for where, number in listed:
            if number not in self.catalog.municipalities:
                self.problem(file, document, (key, index, *where), f"ukjent kommunenummer '{number}'")

    def services(self) -> list[ReadService]:
        read: list[ReadService] = []
        for path in sorted((self.root / "services").glob("*.yaml")):
            for index, service, file, document in self.entries(path, "services", Service):
                self.check_numbers(service, file, document, "services", index)
                if service.municipalities == "all":
                    service = service.copy(update={"municipalities": list(self.catalog.municipalities)})
                if not self.seen_before("service", service.id, file, document, ("services", index, "id")):
                    self.catalog.services[service.id] = service
                    read.append((service, file, document, index))
        return read

    def groups(self) -> list[ReadGroup]:
        read: list[ReadGroup] = []
        for path in sorted((self.root / "groups").glob("*.yaml")):
            for index, group, file, document in self.entries(path, "groups", Group):
                self.check_numbers(group, file, document, "groups", index)
                if self.codes is not None:
                    for n, code in enumerate(group.icpc2):
                        if code not in self.codes:
                            self.problem(file, document, ("groups", index, "icpc2", n), f"ukjent ICPC-2-kode '{code}'")
                if group.municipalities == "all":
                    group = group.copy(update={"municipalities": list(self.catalog.municipalities)})
                if not self.seen_before("group", group.id, file, document, ("groups", index, "id")):
                    self.catalog.groups[group.id] = group
                    read.append((group, file, document, index))
        return read

    def providers(self, groups: list[ReadGroup]) -> None:
        for group, file, document, index in groups:
            if group.provider and group.provider not in self.catalog.services:
                self.problem(file, document, ("groups", index, "provider"), f"fant ingen tjeneste med id '{group.provider}'")


def _coverage_problems(catalog: Catalog) -> list[Problem]:
    """Every municipality has a legevakt and a hospital in the catalogue."""
    problems = []
    for municipality in catalog.municipalities.values():
        file, line = catalog.origin(municipality)
        for service_type in ("legevakt", "sykehus"):
            if not catalog.services_for(municipality.number, service_type):
                problems.append(
                    Problem(
                        file,
                        f"{municipality.number}",
                        f"{municipality.name} har ingen {SERVICE_TYPES[service_type].lower()} i katalogen",
                        line,
                    )
                )
    return problems


def _merge_problems(catalog: Catalog, services: list[ReadService], groups: list[ReadGroup]) -> list[Problem]:
    """A former id (of a service or a group) must not be the id of an entry that exists, nor the
    former id of two entries."""
    problems: list[Problem] = []
    first: dict[str, Service | Group] = {}
    entries: list[tuple[str, Service | Group, str, YamlDocument, int]] = [("services", *read) for read in services]
    entries += [("groups", *read) for read in groups]
    for key, entry, file, document, index in entries:
        for n, old in enumerate(entry.former_ids):
            loc = (key, index, "former_ids", n)
            live = next((k for k in ("service", "group") if (k, old) in catalog.origins), None)
            if live is not None:
                live_file, live_line = catalog.origins[(live, old)]
                problems.append(
                    Problem(
                        file,
                        format_loc(loc),
                        f"'{old}' er id-en til en oppføring som finnes ({live_file}:{live_line}); "
                        "en gammel id kan bare peke til én ny oppføring",
                        document.line(loc),
                    )
                )
            elif old in first and first[old] is not entry:
                problems.append(Problem(file, format_loc(loc), f"'{old}' står også i former_ids til '{first[old].id}'", document.line(loc)))
            first.setdefault(old, entry)
    return problems


def _cover_problems(catalog: Catalog) -> list[Problem]:
    """Two legevakter covering one municipality at the same time, or a "not registered yet"
    legevakt entry left for a municipality that a real catchment now covers."""
    problems = []
    for number, municipality in catalog.municipalities.items():
        cover = catalog.legevakt_cover(number)
        for time, found in cover.items():
            if len(found) > 1:
                file, line = catalog.origin(found[1])
                names = " og ".join(f"'{s.id}'" for s in found)
                problems.append(
                    Problem(
                        file,
                        found[1].id,
                        f"{municipality.name} dekkes av både {names} {TIME_LABELS[time]}; "
                        "bare én legevakt kan dekke en kommune på samme tid",
                        line,
                    )
                )
        if any(cover.values()):
            for service in catalog.services_for(number, "legevakt"):
                if not service.serves:
                    file, line = catalog.origin(service)
                    problems.append(
                        Problem(
                            file,
                            service.id,
                            f"oppføringen har ingen serves, men {municipality.name} dekkes av en "
                            "legevakt med serves; fjern oppføringen og skriv id-en i former_ids der",
                            line,
                        )
                    )
    return problems


def load_catalog(
    root: Path | str | None = None, *, codes: dict[str, str] | bool | None = True, display_root: Path | None = PROJECT
) -> Catalog:
    """Load and validate a catalogue folder (default ``services_catalog/data``).

    Raises one ``CatalogError`` with every problem. ``codes``: ``True`` checks groups'
    ICPC-2 codes against the official list, a dict checks against that dict, ``None`` or
    ``False`` skips the check. ``display_root``: paths in messages are relative to it.
    """
    catalog, problems = collect_catalog(Path(root) if root else None, codes=codes, display_root=display_root)
    if problems:
        raise CatalogError(problems)
    return catalog
