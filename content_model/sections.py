"""The section structure each kind of article must have, as helsenorge.no and NHS.uk do it.

A symptom tells the reader what can cause it, when to contact the health service (the care
card), what to do yourself and what to do when it does not get better; a condition also
tells how it is treated and how it can be prevented. A section is found by its ``##``
heading (bokmål or nynorsk wording), or, for the card, the self-care advice and "when it is
not getting better", in the front matter. Where an article lacks a section for a reason, the
reason is written down once, in ``content/om/seksjonsunntak.yml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pydantic
from pydantic import Field

from content_model.loader import Article, Library, pydantic_problems
from content_model.schema import SLUG, Model
from helseinfo.kernel.errors import Problem, ValidationError, display_path
from helseinfo.kernel.yamlio import parse_yaml

#: Where the exceptions are written down, under the content folder.
EXCEPTIONS_FILE = "om/seksjonsunntak.yml"


@dataclass(frozen=True)
class Section:
    name: str
    label: str  # how a message names it
    heading: str  # a regular expression over the article's ## headings (lower case)


SECTIONS = {
    "causes": Section(
        "causes",
        "årsaker (for eksempel «## Vanlige årsaker»)",
        r"årsak|hvorfor (får|faller|hoster|blør|blir)|kvifor (får|fell|hostar|blør|blir)|hva kommer .* av|kva kjem .* av"
        r"|hvem (får|er mest utsatt|har høyest risiko|blir lettest)|kven (får|er mest utsett|har høgast risiko|blir lettast)"
        r"|smitte|utløse|utløyse|risiko",
    ),
    "care_card": Section("care_card", "kortet «Når bør du kontakte helsetjenesten?» (care_card)", r"(?!)"),
    "self_care": Section(
        "self_care",
        "hva du kan gjøre selv (self_care_advice eller «## Dette kan du gjøre selv»)",
        r"gjøre selv|gjere sjølv|slik hjelper du|slik hjelper du|hjelpe barnet|hjelpe deg sjølv|hjelpe deg selv",
    ),
    "not_better": Section(
        "not_better",
        "når det ikke går over (et kriterium om varighet eller «## Hvis det ikke går over»)",
        r"(ikke|ikkje) (blir|går) (bedre|betre|over)|hvor lenge varer|kor lenge varer|hvor lang tid tar|kor lang tid tek",
    ),
    "treatment": Section(
        "treatment", "behandling (for eksempel «## Behandling»)", r"behandling|behandlar|handsam|hjelp å få|her får du hjelp"
    ),
    "prevention": Section("prevention", "forebygging (for eksempel «## Slik kan du forebygge»)", r"forebygg|førebygg|unngå|beskytt|vaksin"),
}

#: Which sections each kind of article must have.
REQUIRED = {
    "symptom": ("causes", "care_card", "self_care", "not_better"),
    "condition": ("causes", "care_card", "self_care", "treatment", "prevention"),
}

#: A care-card text that says what to do when the complaint lasts or does not get better.
_LASTING = re.compile(
    r"(ikke|ikkje) (blir|går) (bedre|betre|over)|(mer|meir|lenger) enn (et|ein|eitt|en|ei|to|tre|fire|fem|seks|sju|\d+)"
    r"|har vart|har vara",
    re.I,
)
_HEADING = re.compile(r"^##\s+(.+?)\s*$")


class SectionException(Model):
    article: str = Field(..., regex=SLUG, description="The article's name without language: 'feber' is nb/feber.md and nn/feber.md.")
    section: str
    reason: str


class ExceptionFile(Model):
    exceptions: list[SectionException] = Field(default_factory=list)


def headings(article: Article) -> list[str]:
    return [m.group(1).casefold() for line in article.body.splitlines() if (m := _HEADING.match(line))]


def has_section(article: Article, name: str) -> bool:
    meta = article.meta
    if name == "care_card":
        return meta.care_card is not None
    if name == "self_care" and meta.self_care_advice:
        return True
    if (
        name == "not_better"
        and meta.care_card is not None
        and any(c.duration is not None or _LASTING.search(c.text) for _, c in meta.care_card.criteria())
    ):
        return True
    pattern = re.compile(SECTIONS[name].heading)
    return any(pattern.search(heading) for heading in headings(article))


def load_exceptions(library: Library, display_root: Path | None = None) -> tuple[dict[tuple[str, str], str], list[Problem]]:
    """The exceptions by (article name, section), and the problems of the file itself."""
    path = library.root / EXCEPTIONS_FILE
    if not path.is_file():
        return {}, []
    file = display_path(path, display_root)
    try:
        document = parse_yaml(path.read_text(encoding="utf-8"), file)
    except ValidationError as exc:
        return {}, exc.problems
    try:
        parsed = ExceptionFile.parse_obj(document.data or {})
    except pydantic.ValidationError as exc:
        return {}, pydantic_problems(exc, file, document)
    names = {a.src_path.split("/", 1)[1][: -len(".md")] for a in library.library_articles()}
    found, problems = {}, []
    for index, item in enumerate(parsed.exceptions):
        line = document.line(("exceptions", index))
        if item.section not in SECTIONS:
            problems.append(Problem(file, f"exceptions[{index}].section", "forventet en av: " + ", ".join(SECTIONS), line))
        elif item.article not in names:
            problems.append(Problem(file, f"exceptions[{index}].article", f"fant ingen artikkel '{item.article}' i nb/ eller nn/", line))
        elif (item.article, item.section) in found:
            problems.append(Problem(file, f"exceptions[{index}]", f"'{item.article}' {item.section} står to ganger", line))
        else:
            found[(item.article, item.section)] = item.reason
    return found, problems


def section_problems(library: Library) -> tuple[list[Problem], list[Problem]]:
    """Errors (a required section missing without a written exception, a bad exception file) and
    warnings (an exception no longer needed: every article it names has the section now)."""
    exceptions, errors = load_exceptions(library)
    used: set[tuple[str, str]] = set()
    for article in library.library_articles():
        name = article.src_path.split("/", 1)[1][: -len(".md")]
        for section in REQUIRED.get(article.meta.kind, ()):
            if has_section(article, section):
                continue
            if (name, section) in exceptions:
                used.add((name, section))
                continue
            errors.append(
                Problem(
                    article.file,
                    "avsnitt",
                    f"mangler {SECTIONS[section].label}; skriv avsnittet, eller skriv ned hvorfor det mangler i content/{EXCEPTIONS_FILE}",
                )
            )
    warnings = [
        Problem(display_path(library.root / EXCEPTIONS_FILE), "exceptions", f"'{name}' har nå {section}: unntaket kan slettes")
        for name, section in sorted(set(exceptions) - used)
    ]
    return errors, warnings
