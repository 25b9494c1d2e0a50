"""The sign vocabulary: clinical signs defined once, read by the care cards, the triage engine
and the red-flag guard alike.

*Concepts* are the words for one idea (a body part, "cannot", "sudden", "pain") in bokmål,
nynorsk and English, with dialect spellings and common misspellings: ``begreper.yml`` holds
those many areas share, each area file its own. *Signs* have a label per language and one or more
*expressions*, each a list of concepts that must all occur in one clause, in any order. "lam i
høyre arm", "klarer ikke å løfte armen", "armen henger" and "kan ikkje lyfte armen" are then one
sign (``ensidig-lammelse``), whatever the order of the words.

This module only reads and checks the files; matching lives with the triage engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pydantic
from pydantic import Field, validator

from content_model.schema import SLUG, Model
from helseinfo.kernel.errors import ContentError, Problem, display_path
from helseinfo.kernel.yamlio import YamlDocument, parse_yaml

M = TypeVar("M", bound=Model)

#: The languages every concept and every sign label must have.
SIGN_LANGUAGES = ("nb", "nn", "en")
CONCEPT_FILE = "begreper.yml"


class ConceptWords(Model):
    nb: list[str] = Field(..., min_items=1)
    nn: list[str] = Field(..., min_items=1)
    en: list[str] = Field(..., min_items=1)
    #: A degree word ("mye", "lots") that qualifies the word next to it: in an expression it
    #: counts only next to another of the expression's concepts ("mye blod", not "mye løsere
    #: avføring ... litt blod").
    near: bool = False

    @validator("nb", "nn", "en", each_item=True)
    def lower_case(cls, value: str) -> str:
        if value != value.casefold():
            raise ValueError("forventet små bokstaver")
        return value

    @validator("nb", "nn", "en")
    def each_word_once(cls, value: list[str]) -> list[str]:
        twice = sorted({word for word in value if value.count(word) > 1})
        if twice:
            raise ValueError(f"står mer enn én gang: {', '.join(twice)}")
        return value


class SignLabel(Model):
    nb: str
    nn: str
    en: str


class SignDefinition(Model):
    id: str = Field(..., regex=SLUG)
    label: SignLabel
    expressions: list[list[str]] = Field(..., min_items=1)

    @validator("expressions", each_item=True)
    def non_empty(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("forventet minst ett begrep i hvert uttrykk")
        return value


class SignFile(Model):
    """A file of ``content/signs/``: concepts, signs, or both."""

    concepts: dict[str, ConceptWords] = Field(default_factory=dict)
    signs: list[SignDefinition] = Field(default_factory=list)


@dataclass
class Vocabulary:
    """Every concept and sign, by id, and where each sign is defined (for error messages)."""

    concepts: dict[str, ConceptWords] = field(default_factory=dict)
    signs: dict[str, SignDefinition] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # sign id → file

    def words(self, concept: str) -> list[str]:
        """Every word form of a concept, all languages together (people mix them)."""
        words = self.concepts[concept]
        return [*words.nb, *words.nn, *words.en]


def _parse(path: Path, model: type[M], display_root: Path | None) -> tuple[M | None, YamlDocument, str, list[Problem]]:
    from content_model.loader import pydantic_problems

    file = display_path(path, display_root)
    document = parse_yaml(path.read_text(encoding="utf-8"), file)
    try:
        return model.parse_obj(document.data or {}), document, file, []
    except pydantic.ValidationError as exc:
        return None, document, file, pydantic_problems(exc, file, document)


def collect_vocabulary(folder: Path, display_root: Path | None = None) -> tuple[Vocabulary, list[Problem]]:
    """Read ``folder`` (``content/signs``): the vocabulary and every problem found in it.

    Any file may hold concepts and signs; ``begreper.yml`` holds the concepts shared by many
    areas. An id is defined once in the whole folder.
    """
    vocabulary = Vocabulary()
    problems: list[Problem] = []
    if not folder.is_dir():
        return vocabulary, problems
    concept_files: dict[str, str] = {}
    parsed_files = []
    for path in sorted(folder.glob("*.yml"), key=lambda p: (p.name != CONCEPT_FILE, p.name)):
        parsed, document, file, found = _parse(path, SignFile, display_root)
        problems += found
        if parsed is None:
            continue
        parsed_files.append((parsed, document, file))
        for name, words in parsed.concepts.items():
            if name in vocabulary.concepts:
                problems.append(
                    Problem(
                        file,
                        f"concepts.{name}",
                        f"begrepet '{name}' er alt definert i {concept_files[name]}",
                        document.line(("concepts", name)),
                    )
                )
                continue
            vocabulary.concepts[name] = words
            concept_files[name] = file
    complete = not problems  # an unknown concept after a file that failed to parse is no news
    for parsed, document, file in parsed_files:
        for index, sign in enumerate(parsed.signs):
            where = ("signs", index)
            if sign.id in vocabulary.signs:
                problems.append(
                    Problem(
                        file,
                        f"signs[{index}].id",
                        f"tegnet '{sign.id}' er alt definert i {vocabulary.files[sign.id]}",
                        document.line(where + ("id",)),
                    )
                )
                continue
            unknown = [c for expression in sign.expressions for c in expression if c not in vocabulary.concepts]
            if unknown and complete:
                problems.append(
                    Problem(
                        file,
                        f"signs[{index}].expressions",
                        "ukjent begrep: " + ", ".join(sorted(set(unknown))),
                        document.line(where + ("expressions",)),
                    )
                )
            vocabulary.signs[sign.id] = sign
            vocabulary.files[sign.id] = file
    return vocabulary, problems


def load_vocabulary(folder: Path, display_root: Path | None = None) -> Vocabulary:
    vocabulary, problems = collect_vocabulary(folder, display_root)
    if problems:
        raise ContentError(problems)
    return vocabulary
