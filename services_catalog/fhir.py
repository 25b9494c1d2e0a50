"""Interoperable views of the catalogue: a FHIR R4 Bundle and schema.org JSON-LD.

The bundle is validated by parsing it with ``fhir.resources`` before it is returned.
``fhir.resources`` 7 ships R5 as its default and R4B (4.3.0) as a sub-package; R4B is the
technical correction of R4 (4.0.1) and identical for the resources used here (Bundle,
Organization, Location, HealthcareService), so the bundle is checked against R4B.

What is exported: one ``Organization`` per organisation named in ``organization``, one
``Location`` per municipality (a jurisdiction, with its point) and per service with a
known address or municipality it is in, and one ``HealthcareService`` per service with
``coverageArea`` (the municipalities served), ``telecom`` and ``availableTime``. Groups are
not exported. Unknown facts stay out; nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pydantic
from fhir.resources.R4B.bundle import Bundle

from helseinfo.kernel.errors import HelseinfoError
from services_catalog import hours
from services_catalog.loader import Catalog, slug, url_of
from services_catalog.schema import SERVICE_TYPES, Municipality, Service

_NAMESPACE = uuid.UUID("6f4d7c52-3f0e-4a55-9a51-2f1b3f2e8a10")  # fixed: the same catalogue gives the same ids
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ORG_TYPES = "http://terminology.hl7.org/CodeSystem/organization-type"
_PHYSICAL_TYPES = "http://terminology.hl7.org/CodeSystem/location-physical-type"


def _ref(resource_type: str, ident: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{resource_type}/{ident}')}"


def _org_id(name: str) -> str:
    return f"org-{slug(name)}"[:64]


def _organization(name: str) -> dict:
    public = name.endswith(("kommune", "fylkeskommune"))
    code, display = ("govt", "Government") if public else ("prov", "Healthcare Provider")
    return {
        "resourceType": "Organization",
        "id": _org_id(name),
        "active": True,
        "name": name,
        "type": [{"coding": [{"system": _ORG_TYPES, "code": code, "display": display}]}],
    }


def _municipality_location(municipality: Municipality) -> dict[str, Any]:
    location: dict[str, Any] = {
        "resourceType": "Location",
        "id": f"kommune-{municipality.number}",
        "status": "active",
        "name": municipality.name,
        "mode": "instance",
        "identifier": [{"type": {"text": "Kommunenummer"}, "value": municipality.number}],
        "physicalType": {"coding": [{"system": _PHYSICAL_TYPES, "code": "jdn", "display": "Jurisdiction"}]},
        "position": {"latitude": municipality.lat, "longitude": municipality.lon},
    }
    if municipality.other_names:
        location["alias"] = list(municipality.other_names)
    return location


def _reference_week(today: dt.date) -> dt.datetime:
    """The first Monday from ``today`` starting a week without public holidays."""
    monday = today + dt.timedelta(days=(7 - today.weekday()) % 7)
    while True:
        week = {monday + dt.timedelta(days=n) for n in range(7)}
        if not week & set(hours.public_holidays({monday.year, monday.year + 1})):
            return dt.datetime.combine(monday, dt.time(), hours.TIMEZONE)
        monday += dt.timedelta(days=7)


def available_time(expression: str, today: dt.date) -> list[dict]:
    """FHIR ``availableTime`` from an ordinary week (no public holidays) of the expression."""
    start = _reference_week(today)
    by_times: dict[tuple[str, str], list[str]] = {}
    for day in range(7):
        begin = start + dt.timedelta(days=day)
        for first, last, state in hours.open_intervals(expression, begin, 1):
            if state != "open":
                continue
            span = (first.strftime("%H:%M:%S"), "23:59:59" if last >= begin + dt.timedelta(days=1) else last.strftime("%H:%M:%S"))
            by_times.setdefault(span, []).append(_DAYS[day])
    out = []
    for (opens, closes), days in by_times.items():
        if (opens, closes) == ("00:00:00", "23:59:59"):
            out.append({"daysOfWeek": days, "allDay": True})
        else:
            out.append({"daysOfWeek": days, "availableStartTime": opens, "availableEndTime": closes})
    return out


def _healthcare_service(service: Service, catalog: Catalog, today: dt.date, location_ref: str | None) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "HealthcareService",
        "id": service.id[:64],
        "active": True,
        "type": [{"text": SERVICE_TYPES[service.service_type]}],
        "name": service.name,
        "comment": service.description,
        "coverageArea": [
            {"reference": _ref("Location", f"kommune-{n}"), "display": catalog.municipalities[n].name} for n in service.municipalities
        ],
    }
    if service.organization:
        resource["providedBy"] = {"reference": _ref("Organization", _org_id(service.organization)), "display": service.organization}
    if location_ref:
        resource["location"] = [{"reference": location_ref}]
    telecom = []
    if service.phone:
        telecom.append({"system": "phone", "value": service.phone, "use": "work"})
    if service.web:
        telecom.append({"system": "url", "value": str(service.web)})
    if telecom:
        resource["telecom"] = telecom
    if service.opening_hours:
        resource["availableTime"] = available_time(service.opening_hours, today)
        if service.opening_hours.strip() != "24/7":
            resource["availabilityExceptions"] = "; ".join(hours.describe(service.opening_hours))
    return resource


def fhir_bundle(catalog: Catalog, today: dt.date | None = None) -> dict:
    """The catalogue as a FHIR R4 ``collection`` Bundle, validated with ``fhir.resources``.

    ``today`` picks the ordinary week ``availableTime`` is read from (default today).
    Raises ``HelseinfoError`` if a resource would be invalid.
    """
    today = today or dt.date.today()
    resources: list[dict] = []
    organizations = sorted({s.organization for s in catalog.services.values() if s.organization})
    resources += [_organization(name) for name in organizations]
    resources += [_municipality_location(m) for m in catalog.municipalities.values()]
    for service in catalog.services.values():
        location_ref = None
        if service.address or service.located_in:
            location: dict[str, Any] = {
                "resourceType": "Location",
                "id": f"sted-{service.id}"[:64],
                "status": "active",
                "name": service.name,
                "mode": "instance",
            }
            if service.address:
                location["address"] = {
                    "line": [service.address.street],
                    "postalCode": service.address.postal_code,
                    "city": service.address.city,
                    "country": "NO",
                }
            if service.located_in:
                location["partOf"] = {"reference": _ref("Location", f"kommune-{service.located_in}")}
            if service.organization:
                location["managingOrganization"] = {"reference": _ref("Organization", _org_id(service.organization))}
            resources.append(location)
            location_ref = _ref("Location", location["id"])
        resources.append(_healthcare_service(service, catalog, today, location_ref))
    bundle = {
        "resourceType": "Bundle",
        "id": "helseinfo-tjenestekatalog",
        "type": "collection",
        "timestamp": dt.datetime.combine(today, dt.time(), hours.TIMEZONE).isoformat(),
        "entry": [{"fullUrl": _ref(r["resourceType"], r["id"]), "resource": r} for r in resources],
    }
    try:
        validated: dict[str, Any] = json.loads(Bundle.parse_obj(bundle).json())
        return validated
    except pydantic.ValidationError as exc:
        raise HelseinfoError(f"FHIR-bunten er ugyldig, ingenting er skrevet:\n{exc}") from None


#: schema.org type of each service type.
SCHEMA_ORG_TYPES = {
    "legevakt": "EmergencyService",
    "sykehus": "Hospital",
    "fodeavdeling": "Hospital",  # a hospital's maternity ward
    "fodestue": "MedicalClinic",  # a midwife-led birth unit
    "fastlegekontor": "Physician",
    "helsestasjon": "MedicalClinic",
    "lms": "MedicalOrganization",
    "frisklivssentral": "MedicalOrganization",
    "psykisk_helse": "MedicalClinic",
    "tannlegevakt": "Dentist",
}


def schema_org(service: Service, catalog: Catalog, site_url: str | None = None) -> dict[str, Any]:
    """schema.org JSON-LD of a service page, with ``areaServed`` (only known facts)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": SCHEMA_ORG_TYPES[service.service_type],
        "name": service.name,
        "description": service.description,
        "areaServed": [{"@type": "AdministrativeArea", "name": catalog.municipalities[n].name} for n in service.municipalities],
    }
    if site_url:
        data["url"] = site_url.rstrip("/") + "/" + url_of(service)
    if service.phone:
        data["telephone"] = service.phone
    if service.web:
        data["sameAs"] = str(service.web)
    if service.address:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": service.address.street,
            "postalCode": service.address.postal_code,
            "addressLocality": service.address.city,
            "addressCountry": "NO",
        }
    if service.organization:
        data["parentOrganization"] = {"@type": "Organization", "name": service.organization}
    return data
