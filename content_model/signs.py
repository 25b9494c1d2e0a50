"""The sign vocabulary: clinical signs defined once, read by the care cards, the triage engine
and the red-flag guard alike.

``content/signs/begreper.yml`` holds *concepts*: the words for one idea (a body part, "cannot",
"sudden", "pain") in bokmål, nynorsk and English, with dialect spellings and common
misspellings. The other files hold *signs*: each sign has a label per language and one or more
*expressions*, each a list of concepts that must all occur in one clause, in any order. "lam i
høyre arm", "klarer ikke å løfte armen", "armen henger" and "kan ikkje lyfte armen" are then one
sign (``ensidig-lammelse``), whatever the order of the words.

This module only reads and checks the files; matching lives with the triage engine.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pydantic
from pydantic import Field, validator

from content_model.schema import SLUG, Model
from helseinfo.errors import ContentError, Problem, display_path
from helseinfo.yamlio import parse_yaml

#: The languages every concept and every sign label must have.
SIGN_LANGUAGES = ("nb", "nn", "en")
CONCEPT_FILE = "begreper.yml"


class ConceptWords(Model):
    nb: list[str] = Field(..., min_items=1)
    nn: list[str] = Field(..., min_items=1)
    en: list[str] = Field(..., min_items=1)

    @validator("nb", "nn", "en", each_item=True)
    def lower_case(cls, value: str) -> str:
        if value != value.casefold():
            raise ValueError("forventet små bokstaver")
        return value


class ConceptFile(Model):
    concepts: dict[str, ConceptWords]


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
    signs: list[SignDefinition]


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


def _parse(path: Path, model, display_root: Path | None):
    from content_model.loader import pydantic_problems

    file = display_path(path, display_root)
    document = parse_yaml(path.read_text(encoding="utf-8"), file)
    try:
        return model.parse_obj(document.data or {}), document, file, []
    except pydantic.ValidationError as exc:
        return None, document, file, pydantic_problems(exc, file, document)


def collect_vocabulary(folder: Path, display_root: Path | None = None) -> tuple[Vocabulary, list[Problem]]:
    """Read ``folder`` (``content/signs``): the vocabulary and every problem found in it."""
    vocabulary, problems = Vocabulary(), []
    if not folder.is_dir():
        return vocabulary, problems
    concept_path = folder / CONCEPT_FILE
    if concept_path.exists():
        parsed, _, _, found = _parse(concept_path, ConceptFile, display_root)
        problems += found
        if parsed:
            vocabulary.concepts = parsed.concepts
    else:
        problems.append(Problem(display_path(concept_path, display_root), "", "fant ikke begrepsfilen", None))
    for path in sorted(folder.glob("*.yml")):
        if path.name == CONCEPT_FILE:
            continue
        parsed, document, file, found = _parse(path, SignFile, display_root)
        problems += found
        if not parsed:
            continue
        for index, sign in enumerate(parsed.signs):
            where = ("signs", index)
            if sign.id in vocabulary.signs:
                problems.append(Problem(file, f"signs[{index}].id", f"tegnet '{sign.id}' er alt definert i {vocabulary.files[sign.id]}", document.line(where + ("id",))))
                continue
            for e_index, expression in enumerate(sign.expressions):
                for concept in expression:
                    if vocabulary.concepts and concept not in vocabulary.concepts:
                        problems.append(Problem(file, f"signs[{index}].expressions[{e_index}]", f"ukjent begrep '{concept}' (se {CONCEPT_FILE})",
                                                document.line(where + ("expressions", e_index))))
            vocabulary.signs[sign.id] = sign
            vocabulary.files[sign.id] = file
    return vocabulary, problems


def load_vocabulary(folder: Path, display_root: Path | None = None) -> Vocabulary:
    vocabulary, problems = collect_vocabulary(folder, display_root)
    if problems:
        raise ContentError(problems)
    return vocabulary
