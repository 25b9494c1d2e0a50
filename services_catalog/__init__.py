"""The regional directory of health services and coping groups in Midt-Norge.

The catalogue lives as YAML in ``services_catalog/data`` (see ``services_catalog.loader``
for the layout). This package is its only reader, for the site, the search index and the
assistant alike. It renders no HTML.

Honesty rules for the data: write only facts we are certain of; never invent a phone
number, street address, opening hours or a person. Unknown fields are left out, and the
pages then point to 116 117, the municipality or the source. Every entry carries its
``source`` (publisher and main web address) and ``verification`` (``unverified`` until an
editor has checked it against the source; ``helseinfo catalog check`` lists them, and those
checked more than 12 months ago). Where the inter-municipal legevakt of a municipality is
not known, the catalogue has a "Legevakten for <kommune>" entry reached through 116 117.

Public API (stable; other modules rely on it)
----------------------------------------------

``load_catalog(root=None) -> Catalog``
    Load and validate the catalogue (default ``services_catalog/data``). Raises
    ``helseinfo.errors.CatalogError`` listing every problem (file, line, key, message).

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
    ``organization``, ``provider`` (a service id), ``description``, ``source``,
    ``verification``.

    ``.services_for(municipality_number, service_type=None)``, ``.groups_for(icpc2_codes=None,
    municipality_number=None)``, ``.municipality_by_name(name)`` (case-insensitive, any
    official name), ``.origin(entity)`` (file and line).

``url_of(entity=None) -> str``
    Site-relative URL of the generated page: ``tjenester/kommune/5006-steinkjer/``,
    ``tjenester/tjeneste/<id>/``, ``tjenester/grupper/<id>/``; ``url_of()`` is the overview
    ``tjenester/``.

``SERVICE_TYPES``, ``FORMATS``: the allowed values and their Norwegian labels.

Opening hours (``services_catalog.hours``): ``is_open(service, when=None)``,
``next_change(service, when=None)``, ``open_intervals(service, start=None, days=56)``,
``describe(expression)``; Europe/Oslo, Norwegian public holidays for ``PH``.

FHIR (``services_catalog.fhir``): ``fhir_bundle(catalog) -> dict`` (validated FHIR R4
Bundle), ``schema_org(service, catalog) -> dict`` (JSON-LD).
"""
from services_catalog.loader import Catalog, collect_catalog, load_catalog, url_of
from services_catalog.schema import FORMATS, SERVICE_TYPES, Group, Municipality, Service

__all__ = [
    "Catalog", "Group", "Municipality", "Service", "FORMATS", "SERVICE_TYPES",
    "collect_catalog", "load_catalog", "url_of",
]
