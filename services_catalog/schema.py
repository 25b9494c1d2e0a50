"""Schema of the services catalogue: municipalities, services and coping groups.

Strict like the content model: an unknown key is an error, so a misspelt key is never
silently ignored. Cross-file checks (unknown municipality, duplicate id, ICPC-2 codes,
coverage) are in ``services_catalog.loader``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import ConstrainedStr, Field, HttpUrl, StrictBool, root_validator, validator

from content_model.icd10 import check as icd10_code
from content_model.schema import ICPC2_CODE, SLUG, Model
from services_catalog import hours

#: Every ``service_type``, with the Norwegian label the pages show, in page order.
SERVICE_TYPES = {
    "legevakt": "Legevakt",  # out-of-hours emergency primary care, reached through 116 117
    "sykehus": "Sykehus",  # a hospital of a health trust (helseforetak)
    "fodeavdeling": "Fødeavdeling",  # a hospital's maternity ward (fødeavdeling, kvinneklinikk)
    "fodestue": "Fødestue",  # a midwife-led birth unit without a doctor on site
    "lms": "Lærings- og mestringssenter",  # patient and family education centre of a health trust
    "frisklivssentral": "Frisklivssentral",  # municipal centre for healthy-lifestyle change
    "helsestasjon": "Helsestasjon og skolehelsetjeneste",  # municipal child, school and youth health service
    "psykisk_helse": "Psykisk helse og rus",  # municipal services and the trusts' DPS
    "fastlegekontor": "Fastlegekontor",  # a GP surgery
    "tannlegevakt": "Akutt tannhjelp",  # emergency dental care
}

#: Group formats and their Norwegian labels.
FORMATS = {"physical": "Oppmøte", "digital": "Digitalt", "both": "Oppmøte og digitalt"}


class Number(ConstrainedStr):
    """A municipality number (kommunenummer), four digits as text: ``"5006"``."""

    regex = re.compile(r"^\d{4}$")


class PostalCode(ConstrainedStr):
    regex = re.compile(r"^\d{4}$")


class Slug(ConstrainedStr):
    regex = re.compile(SLUG)


class Phone(ConstrainedStr):
    regex = re.compile(r"^\+?\d[\d ]*\d$")


_NUMBER = re.compile(r"^\d{4}$")


def _municipality_list(value: Any) -> Any:
    """``all`` or a non-empty list of four-digit numbers, checked with one clear message."""
    if value == "all":
        return value
    if not isinstance(value, list) or not value:
        raise ValueError("forventet en liste av kommunenumre, eller all")
    for item in value:
        if not isinstance(item, str) or not _NUMBER.match(item):
            raise ValueError(f"forventet kommunenumre med fire sifre i anførselstegn, som '5006', ikke {item!r}")
    return value


class Source(Model):
    """Who publishes the facts of an entry, and where (a main site we are sure of)."""

    publisher: str
    url: HttpUrl


class Verification(Model):
    """Whether an editor has checked the entry against its source, and when.

    ``state: unverified`` is shown on the pages as "Ikke bekreftet". ``by`` is a role,
    never a person's name, and is required once an entry is ``verified``.
    """

    state: Literal["unverified", "verified"]
    date: dt.date
    by: str | None = None

    @root_validator(skip_on_failure=True)
    def verified_by(cls, values: dict[str, Any]) -> dict[str, Any]:
        if values["state"] == "verified" and not values.get("by"):
            raise ValueError("by (rollen som bekreftet) er påkrevd når state er verified")
        return values


class Address(Model):
    """A postal street address."""

    street: str
    postal_code: PostalCode
    city: str


class Municipality(Model):
    """One municipality, as written by ``helseinfo catalog import-municipalities``."""

    number: Number
    name: str
    other_names: list[str] = Field(default_factory=list, description="Other official names, e.g. Sami names.")
    county: str
    sami_area: bool = Field(False, description="Part of the administrative area for Sami languages.")
    lat: float = Field(..., ge=-90, le=90)
    lon: float = Field(..., ge=-180, le=180)
    point_approximate: bool = Field(False, description="The point is an approximate town centre.")


class Place(Model):
    """A place that is not a municipality name (a village, a former municipality) and the
    municipality it lies in now, so that ``Brattvåg`` finds Haram."""

    name: str
    municipality: Number


#: Times of day a legevakt's cover can differ by. ``day``: weekdays in the fastlege's opening
#: hours; ``evening``: weekdays after that until the night cover starts; ``night``: the night;
#: ``weekend``: Saturdays, Sundays and public holidays in the daytime and evening.
COVER_TIMES = ("day", "evening", "night", "weekend")

#: Acute functions a hospital entry can have.
ACUTE_FUNCTIONS = ("akuttmottak", "fodeavdeling", "fodestue")


class Cover(Model):
    """One municipality a legevakt covers, and when (every time of day when ``times`` is left out)."""

    municipality: Number
    times: list[Literal[COVER_TIMES]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: list(COVER_TIMES)
    )

    @validator("times")
    def some_time(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("forventet minst én av: " + ", ".join(COVER_TIMES) + " (eller ingen times: for hele døgnet)")
        return value


class Service(Model):
    """A health service and the municipalities it serves. Unknown facts are left out."""

    id: Slug
    name: str
    service_type: Literal[tuple(SERVICE_TYPES)]  # type: ignore[valid-type]
    organization: str | None = Field(None, description="Who runs it: a health trust, a municipality.")
    municipalities: Literal["all"] | list[Number] = Field(
        ..., description="Municipality numbers served; 'all' for every municipality in the catalogue."
    )
    located_in: Number | None = Field(None, description="The municipality the service is in.")
    description: str
    phone: Phone | None = None
    address: Address | None = None
    web: HttpUrl | None = None
    opening_hours: str | None = Field(None, description="OpenStreetMap opening_hours syntax; PH = Norwegian public holidays.")
    serves: list[Cover] = Field(
        default_factory=list,
        description="A legevakt's catchment: each municipality it covers and when, where cover differs by time of day.",
    )
    local_hospital_for: list[Number] = Field(
        default_factory=list, description="A hospital: the municipalities it is the local hospital for."
    )
    acute_functions: list[Literal[ACUTE_FUNCTIONS]] = Field(  # type: ignore[valid-type]
        default_factory=list, description="A hospital: akuttmottak, fodeavdeling, fodestue."
    )
    former_ids: list[Slug] = Field(default_factory=list, description="Ids of entries merged into this one; their addresses redirect here.")
    source: Source
    verification: Verification

    _municipalities = validator("municipalities", pre=True, allow_reuse=True)(_municipality_list)

    @validator("serves")
    def serves_agrees(cls, value: list[Cover], values: dict[str, Any]) -> list[Cover]:
        """A catchment names each municipality once, only on a legevakt, and the same ones as ``municipalities``."""
        if not value:
            return value
        if values.get("service_type") not in (None, "legevakt"):
            raise ValueError("serves gjelder bare legevakt (et sykehus bruker local_hospital_for)")
        numbers = [cover.municipality for cover in value]
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        if twice:
            raise ValueError(f"kommunen {', '.join(twice)} står mer enn én gang; skriv alle tidene på én linje")
        listed = values.get("municipalities")
        if isinstance(listed, list) and set(listed) != set(numbers):
            parts = []
            if set(listed) - set(numbers):
                parts.append("mangler i serves: " + ", ".join(sorted(set(listed) - set(numbers))))
            if set(numbers) - set(listed):
                parts.append("mangler i municipalities: " + ", ".join(sorted(set(numbers) - set(listed))))
            raise ValueError("serves og municipalities må ha de samme kommunene (" + "; ".join(parts) + ")")
        return value

    @validator("opening_hours")
    def parsable_hours(cls, value: str | None) -> str | None:
        if value is not None:
            problem = hours.check(value)
            if problem:
                raise ValueError(problem)
        return value


class Signup(Model):
    """How to sign up: a sentence, and an address we are sure of."""

    text: str
    url: HttpUrl | None = None


#: Whom a group is for: the person with the condition, or next of kin (pårørende, parents included).
AUDIENCE_ROLES = ("person", "parorende")


class AgeRange(Model):
    """The ages a group is for, in whole years, both ends included: ``{from_years: 18}`` is adults."""

    from_years: int | None = Field(None, ge=0, le=120)
    to_years: int | None = Field(None, ge=0, le=120)

    @root_validator(skip_on_failure=True)
    def one_bound(cls, values: dict[str, Any]) -> dict[str, Any]:
        if values.get("from_years") is None and values.get("to_years") is None:
            raise ValueError("forventet from_years, to_years eller begge")
        if values.get("from_years") is not None and values.get("to_years") is not None and values["from_years"] > values["to_years"]:
            raise ValueError("from_years kan ikke være større enn to_years")
        return values


class Group(Model):
    """A coping or self-management course or group, and the conditions it is for.

    ``audience`` is the text people read; ``for`` and ``age`` say the same as data, only where
    the text (or the group's source) says so, and are left out otherwise.
    """

    id: Slug
    name: str
    icpc2: list[str] = Field(default_factory=list, description="The conditions, as ICPC-2 codes.")
    icd10: list[str] = Field(default_factory=list, description="The conditions as ICD-10 codes, only where certain.")
    audience: str
    for_: list[Literal[AUDIENCE_ROLES]] = Field(  # type: ignore[valid-type]
        default_factory=list, alias="for", description="person, parorende (next of kin, parents), or both."
    )
    age: AgeRange | None = Field(None, description="The ages the group is for, where its text says so.")
    format: Literal[tuple(FORMATS)]  # type: ignore[valid-type]
    referral: StrictBool | Literal["unknown"] = Field(..., description="Whether a referral is needed: true, false or unknown.")
    municipalities: Literal["all"] | list[Number]
    organization: str | None = None
    provider: str | None = Field(None, description="The id of the service that runs it (e.g. an LMS).")
    signup: Signup
    description: str
    former_ids: list[Slug] = Field(default_factory=list, description="Earlier ids of the group; their addresses redirect here.")
    source: Source
    verification: Verification

    @validator("icpc2", always=True)
    def has_conditions(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("en gruppe må ha minst én tilstand (ICPC-2-kode)")
        for code in value:
            if not ICPC2_CODE.match(code):
                raise ValueError(f"forventet ICPC-2-koder som 'T90' (bokstav og to sifre), ikke '{code}'")
        return value

    _municipalities = validator("municipalities", pre=True, allow_reuse=True)(_municipality_list)
    _icd10 = validator("icd10", each_item=True, allow_reuse=True)(icd10_code)

    @validator("referral", pre=True)
    def referral_value(cls, value: Any) -> Any:
        if value is not True and value is not False and value != "unknown":
            raise ValueError("forventet true, false eller unknown")
        return value
