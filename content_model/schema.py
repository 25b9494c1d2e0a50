"""Front-matter schema of an article, with its care card.

A care card is written once and read twice: its ``text`` is what the reader sees in the
"Når bør du kontakte helsetjenesten?" box, and the rest of a criterion (``terms``,
``with_terms``, ``age``, ``pregnant``, ``duration``, ``negatable``) is what the triage
engine applies to what a person wrote.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, Extra, Field, HttpUrl, root_validator, validator

from content_model.icd10 import check as icd10_code

#: Urgency levels, most urgent first.
LEVELS = ("emergency", "urgent", "gp", "self_care")

#: Subject areas of the library, with their Norwegian names (used for navigation).
AREAS = {
    "akutt": "Akutt og førstehjelp",
    "barn": "Barn og spedbarn",
    "graviditet": "Graviditet og barsel",
    "eldre": "Eldre",
    "skader": "Skader",
    "forgiftning": "Forgiftning",
    "allergi": "Allergi",
    "infeksjoner": "Infeksjoner og feber",
    "hud": "Hud",
    "hjerte": "Hjerte og blodårer",
    "lunger": "Lunger og pust",
    "mage": "Mage og tarm",
    "urinveier": "Nyrer og urinveier",
    "hode-og-nerver": "Hode og nerver",
    "ore-nese-hals": "Øre, nese og hals",
    "oyne": "Øyne",
    "muskel-og-skjelett": "Muskler, ledd og skjelett",
    "kvinnehelse": "Kvinnehelse",
    "psykisk-helse": "Psykisk helse",
    "rus": "Rus og avhengighet",
    "kroniske": "Langvarige sykdommer",
    "om": "Om tjenesten",
}

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ICPC2_CODE = re.compile(r"^[A-Z]\d{2,3}$")


class Model(BaseModel):
    """Strict base: unknown keys are errors, so a misspelt key is never silently ignored."""

    class Config:
        extra = Extra.forbid
        anystr_strip_whitespace = True
        min_anystr_length = 1


class AgeCondition(Model):
    """Who a criterion applies to by age. Bounds are exclusive: ``under_months: 3`` is 0–2 months."""

    under_months: int | None = Field(None, ge=1, le=24)
    under_years: int | None = Field(None, ge=1, le=110)
    over_years: int | None = Field(None, ge=1, le=110)

    @root_validator(skip_on_failure=True)
    def one_bound(cls, values: dict[str, Any]) -> dict[str, Any]:
        if not any(v is not None for v in values.values()):
            raise ValueError("forventet minst én av under_months, under_years, over_years")
        if values.get("under_months") and values.get("under_years"):
            raise ValueError("bruk enten under_months eller under_years, ikke begge")
        return values

    def range_months(self) -> tuple[float, float]:
        """The age range in months, as [low, high)."""
        low = float(self.over_years * 12) if self.over_years is not None else 0.0
        high = float("inf")
        if self.under_months is not None:
            high = float(self.under_months)
        elif self.under_years is not None:
            high = float(self.under_years * 12)
        return low, high


class DurationCondition(Model):
    """How long the complaint has lasted, in days (``0.5`` is twelve hours)."""

    over_days: float | None = Field(None, gt=0)
    under_days: float | None = Field(None, gt=0)

    @root_validator(skip_on_failure=True)
    def one_bound(cls, values: dict[str, Any]) -> dict[str, Any]:
        if values.get("over_days") is None and values.get("under_days") is None:
            raise ValueError("forventet over_days eller under_days")
        return values


class WeekRange(Model):
    """Weeks of pregnancy, both ends included: ``{from_week: 20, to_week: 36}``."""

    from_week: int = Field(0, ge=0, le=45)
    to_week: int = Field(45, ge=0, le=45)


class Criterion(Model):
    """One observable sign on a care card, for the reader and for the triage engine."""

    id: str = Field(..., regex=SLUG, description="Stable id, unique within the article.")
    text: str = Field(..., description="What the reader sees, one concrete observable sign.")
    signs: list[str] = Field(
        default_factory=list,
        description="Signs from the vocabulary (content/signs/) of which at least one must be there.",
    )
    with_signs: list[list[str]] = Field(
        default_factory=list,
        description="Further groups of signs; one sign of every group must be there too ('together with').",
    )
    terms: list[str] = Field(
        default_factory=list,
        description="Older form: phrases of which at least one must occur (lay words, nynorsk, English).",
    )
    with_terms: list[list[str]] = Field(
        default_factory=list,
        description="Older form: further groups of phrases; one phrase of every group must occur too.",
    )
    age: AgeCondition | None = None
    pregnant: bool | None = Field(None, description="true: applies only in pregnancy.")
    duration: DurationCondition | None = None
    pregnancy_weeks: WeekRange | None = Field(None, description="Applies only in these weeks of a pregnancy.")
    negatable: bool = Field(True, description="'ikke vondt i brystet' does not match.")
    crisis: bool = Field(False, description="Suicide or self-harm: the reply always carries helplines.")
    question: str | None = Field(None, description="A yes/no follow-up question the assistant asks when it cannot tell.")
    destination: Literal["fodeavdeling", "lokalsykehus", "giftinformasjonen", "apotek"] | None = Field(
        None,
        description="Where to turn when it is not the level's default (content_model/destinations.py).",
    )
    if_unsure: Literal["yes", "no"] | None = Field(
        None,
        description="What 'not sure' (or a question that could not be asked) counts as. "
        "Default: 'yes' for an unknown age or week of pregnancy on emergency and urgent criteria, else 'no'.",
    )

    @property
    def has_rule(self) -> bool:
        """Whether the criterion carries its own machine rule (a nynorsk twin may borrow it)."""
        return bool(self.signs or self.terms)

    def unsure_counts_as_yes(self, level: str) -> bool:
        """Whether an unanswered question counts as met. By default only for emergency and urgent
        criteria (the safe side); a duration or a pregnancy that is not stated is not assumed."""
        if self.if_unsure is not None:
            return self.if_unsure == "yes"
        return level in ("emergency", "urgent") and (self.age is not None or self.pregnancy_weeks is not None)

    @root_validator(skip_on_failure=True)
    def one_rule(cls, values: dict[str, Any]) -> dict[str, Any]:
        if values.get("signs") and values.get("terms"):
            raise ValueError("bruk enten signs eller terms, ikke begge")
        if values.get("with_terms") and not values.get("terms"):
            raise ValueError("with_terms krever terms")
        if values.get("pregnancy_weeks") and values.get("pregnant") is not True:
            raise ValueError("pregnancy_weeks krever pregnant: true")
        if values.get("with_signs") and not values.get("signs"):
            raise ValueError("with_signs krever signs")
        return values

    @validator("terms", "with_terms", each_item=True)
    def no_blank_terms(cls, value: Any) -> Any:
        items = value if isinstance(value, list) else [value]
        if not items or any(not str(term).strip() for term in items):
            raise ValueError("forventet ikke-tomme fraser")
        return value

    @validator("question")
    def question_mark(cls, value: str | None) -> str | None:
        if value is not None and not value.rstrip().endswith("?"):
            raise ValueError("forventet et spørsmål som slutter med '?'")
        return value


class CareCard(Model):
    """When to ring 113, when the legevakt or fastlege the same day, when the fastlege, and self-care."""

    emergency: list[Criterion] = Field(default_factory=list)
    urgent: list[Criterion] = Field(default_factory=list)
    gp: list[Criterion] = Field(default_factory=list)
    self_care: list[Criterion] = Field(default_factory=list)

    @root_validator(skip_on_failure=True)
    def distinct(cls, values: dict[str, Any]) -> dict[str, Any]:
        if not any(values.get(level) for level in LEVELS):
            raise ValueError("forventet minst ett nivå (emergency, urgent, gp, self_care)")
        seen: dict[str, str] = {}
        for level in LEVELS:
            for criterion in values.get(level, []):
                if criterion.id in seen:
                    raise ValueError(f"kriteriet '{criterion.id}' står både under {seen[criterion.id]} og {level}")
                seen[criterion.id] = level
        return values

    def levels(self) -> list[tuple[str, list[Criterion]]]:
        """The levels that have criteria, most urgent first."""
        return [(level, getattr(self, level)) for level in LEVELS if getattr(self, level)]

    def criteria(self) -> Iterator[tuple[str, Criterion]]:
        """Every (level, criterion), most urgent first."""
        for level, items in self.levels():
            for criterion in items:
                yield level, criterion


class Source(Model):
    """A page the text rests on: the page itself, never a site's front page
    (``content_model.sources`` rejects those in ``helseinfo check``)."""

    title: str
    publisher: str
    url: HttpUrl
    date: dt.date | None = Field(None, description="The date the page shows (updated or published), as read.")
    note: str | None = Field(None, description="What the page supports, or how old the stored copy was.")


class Review(Model):
    """Who answers for the text and whether a registered clinician has approved it.

    ``reviewer`` is an id in the register of clinical reviewers (``content/om/fagpersoner.yml``)
    and ``approved_hash`` the fingerprint of what that person approved
    (``content_model.review.clinical_hash``); both are written by ``helseinfo review approve``.
    For a draft, ``last_reviewed`` is only the editor's date: the site shows the date of the
    last change from Git instead, and never calls a draft "faglig oppdatert".
    """

    status: Literal["draft", "approved"]
    editor_role: str = Field(..., description="The role responsible for the text (not a name).")
    reviewer: str | None = Field(None, regex=SLUG, description="The approving clinician's id in the register.")
    approved_hash: str | None = Field(None, regex=r"^sha256:[0-9a-f]{64}$")
    last_reviewed: dt.date
    next_review: dt.date
    notes: list[str] = Field(default_factory=list, description="Open clinical questions for the reviewer.")

    @root_validator(skip_on_failure=True)
    def consistent(cls, values: dict[str, Any]) -> dict[str, Any]:
        if values["status"] == "approved" and (values.get("reviewer") is None or values.get("approved_hash") is None):
            raise ValueError("reviewer og approved_hash er påkrevd når status er approved (bruk helseinfo review approve)")
        if values["next_review"] <= values["last_reviewed"]:
            raise ValueError("next_review må komme etter last_reviewed")
        return values

    def overdue(self, today: dt.date) -> bool:
        return self.next_review < today

    def due_within(self, today: dt.date, days: int) -> bool:
        return self.next_review <= today + dt.timedelta(days=days)


class FrontMatter(Model):
    """An article's front matter. ``kind`` decides what is required:

    - ``symptom``: a care card (at least two levels), sources, review;
    - ``condition``: sources and review, a care card where the condition has warning signs;
    - ``akutt``: the global card, applied to every message before any topic's card;
    - ``page``: a plain page (front page, guides), only title, summary and language.
    """

    title: str
    summary: str = Field(..., max_length=400)
    language: Literal["nb", "nn"]
    kind: Literal["symptom", "condition", "akutt", "page"]
    area: str | None = None
    translation: str | None = Field(None, regex=r"^(nb|nn)/[a-z0-9/-]+\.md$", description="The other-language version, e.g. nn/feber.md.")
    icpc2: list[str] = Field(default_factory=list)
    icd10: list[str] = Field(
        default_factory=list, description="ICD-10 codes of the conditions, only where certain (content_model/icd10.py)."
    )
    synonyms: list[str] = Field(default_factory=list)
    care_card: CareCard | None = None
    self_care_advice: list[str] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    review: Review | None = None
    search_boost: float = Field(1.0, ge=0.1, le=10)
    former_slugs: list[str] = Field(
        default_factory=list,
        description="Earlier file names (slugs) in the same language folder; their addresses redirect here.",
    )

    @validator("area")
    def known_area(cls, value: str | None) -> str | None:
        if value is not None and value not in AREAS:
            raise ValueError("forventet et av temaene: " + ", ".join(AREAS))
        return value

    @validator("icpc2", each_item=True)
    def code_shape(cls, value: str) -> str:
        if not ICPC2_CODE.match(value):
            raise ValueError("forventet en ICPC-2-kode som 'A03' (bokstav og to eller tre sifre)")
        return value

    _icd10 = validator("icd10", each_item=True, allow_reuse=True)(icd10_code)

    @validator("former_slugs", each_item=True)
    def slug_shape(cls, value: str) -> str:
        if not re.match(SLUG, value):
            raise ValueError(f"forventet et filnavn uten .md, med små bokstaver, tall og bindestrek, som 'vondt-i-magen', ikke '{value}'")
        return value

    @root_validator(skip_on_failure=True)
    def kind_requirements(cls, values: dict[str, Any]) -> dict[str, Any]:
        kind = values["kind"]
        if kind == "page":
            return values
        missing = [key for key in ("area", "review") if values.get(key) is None]
        if not values.get("sources"):
            missing.append("sources")
        if kind in ("symptom", "condition") and not values.get("icpc2"):
            missing.append("icpc2")
        if kind in ("symptom", "akutt") and values.get("care_card") is None:
            missing.append("care_card")
        if missing:
            raise ValueError(f"en artikkel av typen {kind} må ha: " + ", ".join(missing))
        card: CareCard | None = values.get("care_card")
        if card is not None:  # always there for symptom and akutt (checked above)
            if kind == "symptom" and len(card.levels()) < 2:
                raise ValueError("et symptom-kort må ha minst to nivåer, så leseren ser forskjellen")
            if kind == "akutt" and (not card.emergency or card.levels()[0][0] != "emergency"):
                raise ValueError("akuttkortet må ha kriterier under emergency")
        return values
