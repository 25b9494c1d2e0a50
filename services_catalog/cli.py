"""``helseinfo catalog``: check, export and import the services catalogue."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import tempfile
from pathlib import Path

import click
import yaml

from helseinfo.cliutils import clean_errors
from helseinfo.kernel.errors import CatalogError, InputError, Problem
from services_catalog.loader import DEFAULT_ROOT, MUNICIPALITIES_FILE, load_catalog
from services_catalog.schema import Group, Municipality, Service

#: Columns the municipality CSV must have (Kartverket's register as shipped in ../shared/data).
CSV_COLUMNS = ("kommunenummer", "navn", "andre_navn", "fylke", "samisk_forvaltningsomrade", "lat", "lon", "punkt")
#: How long a verification holds before ``catalog check`` calls the entry stale.
STALE_MONTHS = 12

catalog_option = click.option(
    "--catalog",
    "root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=DEFAULT_ROOT,
    show_default=True,
    help="Mappen med katalogen.",
)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and one rename: never half-written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def stale_before(today: dt.date, months: int = STALE_MONTHS) -> dt.date:
    """The date before which a verification is stale (``months`` before ``today``)."""
    month = today.month - months
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    day = min(today.day, 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)
    return dt.date(year, month, day)


@click.group()
def catalog() -> None:
    """Tjenestekatalogen: sjekk, eksporter og importer kommuner."""


@catalog.command()
@catalog_option
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Dato å vurdere mot (for tester).")
@clean_errors
def check(root: Path, today: dt.datetime | None) -> None:
    """Vis oppføringer som ikke er bekreftet eller ble bekreftet for mer enn 12 måneder siden, og hullene:
    kommuner uten kilde for legevakt (når på døgnet), uten lokalsykehus og uten frisklivssentral."""
    cat = load_catalog(root)
    limit = stale_before(today.date() if today else dt.date.today())
    counts = {"unverified": 0, "stale": 0}
    entries: list[Service | Group] = [*sorted(cat.services.values(), key=cat.origin), *sorted(cat.groups.values(), key=cat.origin)]
    for entry in entries:
        notes: list[str] = []
        if entry.verification.state == "unverified":
            notes.append("ikke bekreftet")
            counts["unverified"] += 1
        if entry.verification.date < limit:
            notes.append(f"utdatert (sist sjekket {entry.verification.date:%Y-%m-%d})")
            counts["stale"] += 1
        if notes:
            file, line = cat.origin(entry)
            click.echo(f"{file}:{line}: {entry.id}: {', '.join(notes)}")
    for what, numbers in cat.gaps():
        names = ", ".join(f"{n} {cat.municipalities[n].name}" for n in numbers)
        click.echo(f"Hull: {what}: {len(numbers)} kommuner: {names}")
    click.echo(
        f"{len(cat.municipalities)} kommuner, {len(cat.services)} tjenester, {len(cat.groups)} grupper: "
        f"{counts['unverified']} ikke bekreftet, {counts['stale']} utdatert (eldre enn {STALE_MONTHS} måneder)."
    )


@catalog.command()
@catalog_option
@click.option("--fhir", is_flag=True, required=True, help="Skriv en FHIR R4 Bundle (JSON).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Fil å skrive til (standard: standard ut).")
@clean_errors
def export(root: Path, fhir: bool, out: Path | None) -> None:
    """Eksporter katalogen som FHIR R4 (Organization, Location, HealthcareService)."""
    from services_catalog.fhir import fhir_bundle

    text = json.dumps(fhir_bundle(load_catalog(root)), ensure_ascii=False, indent=2) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        write_atomic(out, text)
        click.echo(f"Skrev {out}", err=True)


def municipalities_from_csv(path: Path) -> list[dict]:
    """Read Kartverket's municipality CSV into validated catalogue entries (nothing written)."""
    display = str(path)
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CatalogError([Problem(display, "", "mangler kolonnene " + ", ".join(missing), 1)])
        entries, problems = [], []
        for line, row in enumerate(reader, start=2):
            try:
                entry = {
                    "number": row["kommunenummer"].strip(),
                    "name": row["navn"].strip(),
                    "other_names": [n.strip() for n in row["andre_navn"].replace(";", "|").split("|") if n.strip()],
                    "county": row["fylke"].strip(),
                    "sami_area": row["samisk_forvaltningsomrade"].strip().lower() == "true",
                    "lat": float(row["lat"]),
                    "lon": float(row["lon"]),
                }
                if row["punkt"].strip() != "kartverket":
                    entry["point_approximate"] = True
                Municipality.parse_obj(entry)
            except ValueError as exc:  # a bad number, or pydantic's ValidationError
                problems.append(Problem(display, row["kommunenummer"], str(exc).splitlines()[-1].strip(), line))
                continue
            entries.append(entry)
    if problems:
        raise CatalogError(problems)
    return sorted(entries, key=lambda e: e["number"])


@catalog.command("import-municipalities")
@click.argument("csv_path", metavar="CSV", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_ROOT / MUNICIPALITIES_FILE,
    show_default=True,
    help="Katalogens kommunefil.",
)
@clean_errors
def import_municipalities(csv_path: Path, out: Path) -> None:
    """Skriv kommunene fra Kartverkets kommuneliste (CSV) inn i katalogen.

    CSV-en leses bare her; katalogen leser aldri CSV-en når den kjører.
    """
    entries = municipalities_from_csv(csv_path)
    header = (
        "# The municipalities of the catalogue. Written by\n"
        f"#   helseinfo catalog import-municipalities {csv_path.name}\n"
        "# from Kartverket's municipality register (CC BY 4.0). Do not edit by hand: re-run the import.\n"
    )
    body = yaml.safe_dump(
        {"source": {"publisher": "Kartverket", "url": "https://www.kartverket.no/"}, "municipalities": entries},
        allow_unicode=True,
        sort_keys=False,
        width=120,
    )
    write_atomic(out, header + body)
    click.echo(f"Skrev {len(entries)} kommuner til {out}")
