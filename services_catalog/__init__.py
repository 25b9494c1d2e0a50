"""The regional directory of health services and coping groups in Midt-Norge.

The catalogue lives as YAML in ``services_catalog/data`` (see ``services_catalog.loader``
for the layout). This package is its only reader, for the site, the search index and the
assistant alike. It renders no HTML.

Honesty rules for the data: write only facts we are certain of; never invent a phone
number, street address, opening hours or a person. Unknown fields are left out, and the
pages then point to 116 117, the municipality or the source. Every entry carries its
``source`` (publisher and main web address) and ``verification`` (``unverified`` until an
editor has checked it against the source; ``helseinfo catalog check`` lists them, and those
checked more than 12 months ago). Write down in a YAML comment above the entry the date the
source page shows, and say so when it is old; a fact from a second page is named there too.

Legevakt: one entry per real legevakt, its ``serves`` listing each municipality it covers
with ``times`` (``day``, ``evening``, ``night``, ``weekend``; left out = every time of day)
where cover differs by time of day, e.g. Midtre Gauldal is covered by Legevakta i Trondheim
only on evenings, nights and weekends. ``serves`` and ``municipalities`` name the same
municipalities. The phone is 116 117, the number the public rings; a direct number only where
the legevakt's own page gives it to the public. No ``opening_hours`` unless the legevakt's own
page gives them: ``24/7`` is true of 116 117, not of every legevakt. A municipality for which
no public source can be found keeps a "Legevakt for <kommune>: ikke registrert" entry without
``serves``, whose page says to ring 116 117; ``helseinfo catalog check`` lists it as a gap,
and so every time of day no legevakt covers. When entries are merged, the new entry lists the
old ids in ``former_ids`` and the site keeps a redirect page at each old address; a renamed
group does the same. An old id is never a live id (of a service or a group) nor claimed twice.

Hospitals: ``local_hospital_for`` lists the municipalities a hospital is the local hospital
for, ``acute_functions`` which of ``akuttmottak``, ``fodeavdeling``, ``fodestue`` it has.
Maternity wards and birth units are entries of type ``fodeavdeling`` and ``fodestue``.

Public API (stable; other modules rely on it)
----------------------------------------------

``load_catalog(root=None) -> Catalog``
    Load and validate the catalogue (default ``services_catalog/data``). Raises
    ``helseinfo.kernel.errors.CatalogError`` listing every problem (file, line, key, message).

``Catalog``
    ``.municipalities``: dict by number (``"5006"``) of ``Municipality`` with ``number``,
    ``name``, ``other_names`` (other official names, e.g. Sami), ``county``, ``sami_area``
    (bool), ``lat``, ``lon``.

    ``.services``: dict by id of ``Service`` with ``id``, ``name``, ``service_type`` (a key
    of ``SERVICE_TYPES``), ``municipalities`` (list of four-digit numbers served),
    ``description``, ``phone``, ``address`` (``street``, ``postal_code``, ``city``), ``web``,
    ``opening_hours`` (OpenStreetMap syntax), ``organization``, ``located_in``, ``source``
    (``publisher``, ``url``) and ``verification`` (``state``: ``unverified``/``verified``,
    ``date``, ``by``). Unknown facts are ``None``.

    ``.groups``: dict by id of ``Group`` with ``id``, ``name``, ``icpc2`` (codes),
    ``audience``, ``format`` (``physical``/``digital``/``both``), ``referral``
    (``True``/``False``/``"unknown"``), ``municipalities``, ``signup`` (``text``, ``url``),
    ``organization``, ``provider`` (a service id), ``description``, ``former_ids``, ``source``,
    ``verification``.

    Services also have ``serves`` (list of ``Cover``: ``municipality``, ``times``),
    ``local_hospital_for`` (numbers), ``acute_functions`` and ``former_ids``.

    ``.services_for(municipality_number, service_type=None)``, ``.groups_for(icpc2_codes=None,
    municipality_number=None)``, ``.municipality_by_name(name)`` (case-insensitive, any
    official name), ``.origin(entity)`` (file and line).

    Catchments and hospitals: ``.legevakt_for(number, when=None)`` (the legevakt covering the
    municipality at ``when``, default now, in Oslo time with Norwegian public holidays, or
    ``None`` where no source tells), ``.legevakt_cover(number)`` (time of day → legevakter),
    ``.cover_gaps()`` (number → times of day not covered), ``.gaps()`` (what ``catalog check``
    lists: legevakt, local hospital, frisklivssentral), ``.local_hospitals(number)`` (from
    ``local_hospital_for``; the trust's hospitals where no hospital names the municipality),
    ``.has_local_hospital(number)``, ``.acute_care(number)`` (``akuttmottak``,
    ``fodeavdeling``, ``fodestue`` → services), ``.resolve(service_id)`` (a live id, or the
    entry an old id was merged into), ``.resolve_group(group_id)`` (the same for groups).

``url_of(entity=None) -> str``
    Site-relative URL of the generated page: ``tjenester/kommune/5006-steinkjer/``,
    ``tjenester/tjeneste/<id>/``, ``tjenester/grupper/<id>/``; ``url_of()`` is the overview
    ``tjenester/``.

``SERVICE_TYPES``, ``FORMATS``: the allowed values and their Norwegian labels.

Opening hours (``services_catalog.hours``): ``is_open(service, when=None)``,
``next_change(service, when=None)``, ``open_intervals(service, start=None, days=56)``,
``describe(expression)``; Europe/Oslo, Norwegian public holidays for ``PH``.

Times of day (``services_catalog.catchments``): ``time_of_day(when=None)`` → ``day`` (weekdays
08:00–15:30), ``evening`` (weekdays 15:30–22:00), ``night`` (22:00–08:00 every day),
``weekend`` (Saturdays, Sundays and public holidays 08:00–22:00); ``describe_times(times)``.

FHIR (``services_catalog.fhir``): ``fhir_bundle(catalog) -> dict`` (validated FHIR R4
Bundle), ``schema_org(service, catalog) -> dict`` (JSON-LD).
"""

from services_catalog.loader import Catalog, collect_catalog, load_catalog, url_of
from services_catalog.schema import FORMATS, SERVICE_TYPES, Group, Municipality, Service

__all__ = [
    "FORMATS",
    "SERVICE_TYPES",
    "Catalog",
    "Group",
    "Municipality",
    "Service",
    "collect_catalog",
    "load_catalog",
    "url_of",
]
