"""Load and validate every article under ``content/``.

One loader for the site plugin, the search index and the assistant. All problems in all
files are collected and raised together as one ``ContentError``, each naming the file, the
line, the key and what was expected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import pydantic

from content_model.icpc2 import load_codes
from content_model.schema import FrontMatter
from content_model.signs import Vocabulary, collect_vocabulary
from helseinfo.kernel.errors import ContentError, HelseinfoError, Problem, ValidationError, display_path
from helseinfo.kernel.yamlio import YamlDocument, read_front_matter

_MESSAGES = {
    "value_error.missing": "mangler (påkrevd)",
    "value_error.extra": "ukjent nøkkel",
    "type_error.list": "forventet en liste",
    "type_error.dict": "forventet en tabell av nøkler og verdier",
    "type_error.str": "forventet tekst",
    "type_error.bool": "forventet true eller false",
    "type_error.integer": "forventet et heltall",
    "type_error.float": "forventet et tall",
    "type_error.none.not_allowed": "forventet en verdi, ikke tom",
    "value_error.date": "forventet en dato på formen ÅÅÅÅ-MM-DD",
    "type_error.date": "forventet en dato på formen ÅÅÅÅ-MM-DD",
    "value_error.url.scheme": "forventet en nettadresse som starter med https://",
    "value_error.any_str.min_length": "forventet tekst, ikke tom",
}


def format_loc(loc: tuple) -> str:
    """``("care_card", "emergency", 0, "terms")`` → ``care_card.emergency[0].terms``."""
    out = ""
    for part in loc:
        if part == "__root__":
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class HasErrors(Protocol):
    """What ``pydantic_problems`` reads: a pydantic ``ValidationError``, or a wrapper of one."""

    def errors(self) -> Sequence[Mapping[str, Any]]: ...


def pydantic_problems(exc: HasErrors, file: str, document: YamlDocument) -> list[Problem]:
    """Turn pydantic's errors into one ``Problem`` each, with the line from the YAML document."""
    problems = []
    for error in exc.errors():
        loc = tuple(part for part in error["loc"] if part != "__root__")
        kind = error["type"]
        ctx = error.get("ctx") or {}
        if kind in _MESSAGES:
            message = _MESSAGES[kind]
        elif kind == "value_error.const" or kind.startswith("value_error.literal"):
            message = "forventet en av: " + ", ".join(str(v) for v in ctx.get("permitted", ()))
        elif kind == "value_error.list.min_items":
            message = f"forventet en liste med minst {ctx['limit_value']} element"
        elif kind == "value_error.any_str.max_length":
            message = f"forventet høyst {ctx['limit_value']} tegn"
        elif kind == "value_error.str.regex":
            message = f"forventet tekst på formen {ctx['pattern']}"
        elif kind.startswith("value_error.number"):
            message = error["msg"].replace("ensure this value is", "forventet en verdi")
        elif kind.startswith("value_error.url"):
            message = "forventet en gyldig nettadresse (https://…)"
        else:
            message = error["msg"]
        problems.append(Problem(file, format_loc(loc), message, document.line(loc)))
    return problems


@dataclass
class Article:
    """One Markdown page: its path under ``content/``, validated front matter and body."""

    src_path: str  # "nb/feber.md"
    meta: FrontMatter
    body: str
    file: str = field(repr=False, default="")  # as shown in messages
    body_line: int = field(repr=False, default=1)  # the line the body starts on
    document: YamlDocument | None = field(repr=False, default=None)

    def line(self, loc: tuple) -> int | None:
        """The front-matter line of a key (``("review", "status")``), for messages."""
        return self.document.line(loc) if self.document else None

    @property
    def id(self) -> str:
        return self.src_path[: -len(".md")]

    @property
    def url(self) -> str:
        """Site-relative URL with mkdocs' directory URLs: ``nb/feber/``."""
        stem = self.id
        if stem == "index" or stem.endswith("/index"):
            return stem[: -len("index")]
        return stem + "/"

    @property
    def is_article(self) -> bool:
        return self.meta.kind != "page"

    @property
    def former_urls(self) -> list[str]:
        """The addresses of ``former_slugs``, in this page's folder: ``nb/gammel-navn/``."""
        folder = self.src_path.rpartition("/")[0]
        return [f"{folder}/{slug}/" if folder else f"{slug}/" for slug in self.meta.former_slugs]


@dataclass
class Library:
    """Every page under ``content/``, validated together."""

    root: Path
    articles: dict[str, Article]  # by src_path
    signs: Vocabulary = field(default_factory=Vocabulary)  # content/signs/
    #: The ICPC-2 code list the library was checked against (code → name; empty if not checked).
    codes: dict[str, str] = field(default_factory=dict, repr=False)

    def get(self, src_path: str) -> Article | None:
        return self.articles.get(src_path)

    def library_articles(self, language: str | None = None) -> list[Article]:
        """Articles (not plain pages), optionally of one language, by title."""
        items = [a for a in self.articles.values() if a.is_article and (language is None or a.meta.language == language)]
        return sorted(items, key=lambda a: (a.meta.language, a.meta.title.casefold()))

    @cached_property
    def _akutt(self) -> dict[str, Article]:
        return {a.meta.language: a for a in self.articles.values() if a.meta.kind == "akutt"}

    def akutt(self, language: str = "nb") -> Article | None:
        """The global akutt card of a language (bokmål if the language has none)."""
        return self._akutt.get(language) or self._akutt.get("nb")

    def translation_of(self, article: Article) -> Article | None:
        return self.articles.get(article.meta.translation) if article.meta.translation else None


#: Where the sign vocabulary lives, under the content folder.
SIGNS_FOLDER = "signs"
#: The keys of a criterion that make its machine rule; a nynorsk twin borrows them from bokmål.
RULE_KEYS = (
    "signs",
    "with_signs",
    "terms",
    "with_terms",
    "age",
    "pregnant",
    "duration",
    "pregnancy_weeks",
    "negatable",
    "crisis",
    "if_unsure",
    "destination",
)


def _card_rules(articles: dict[str, Article], vocabulary: Vocabulary) -> list[Problem]:
    """Every criterion has a rule: its own (signs or terms), or, in a nynorsk article, the rule of
    the bokmål criterion with the same id, so the two written standards cannot drift apart. Every
    sign named exists in the vocabulary."""
    problems: list[Problem] = []
    for article in articles.values():
        card = article.meta.care_card
        if card is None:
            continue
        twin = articles.get(article.meta.translation or "")
        twin_rules = {}
        if twin is not None and twin.meta.language == "nb" and twin.meta.care_card is not None:
            twin_rules = {c.id: (level, c) for level, c in twin.meta.care_card.criteria()}
        for level, items in card.levels():
            for index, criterion in enumerate(items):
                loc = ("care_card", level, index)
                if criterion.has_rule:
                    for key, names in (
                        ("signs", criterion.signs),
                        *((f"with_signs[{g}]", group) for g, group in enumerate(criterion.with_signs)),
                    ):
                        for name in names:
                            if vocabulary.signs and name not in vocabulary.signs:
                                problems.append(
                                    Problem(
                                        article.file,
                                        f"care_card.{level}[{index}].{key}",
                                        f"ukjent tegn '{name}' (se content/{SIGNS_FOLDER}/)",
                                        article.line(loc),
                                    )
                                )
                    continue
                borrowed = twin_rules.get(criterion.id)
                if article.meta.language != "nn" or borrowed is None:
                    problems.append(
                        Problem(
                            article.file,
                            f"care_card.{level}[{index}]",
                            "forventet signs (eller terms), eller et kriterium med samme id i bokmålsversjonen",
                            article.line(loc),
                        )
                    )
                    continue
                twin_level, rule = borrowed
                if twin_level != level:
                    problems.append(
                        Problem(
                            article.file,
                            f"care_card.{level}[{index}]",
                            f"kriteriet '{criterion.id}' står under {twin_level} i bokmålsversjonen",
                            article.line(loc),
                        )
                    )
                    continue
                items[index] = criterion.copy(update={key: getattr(rule, key) for key in RULE_KEYS})
    return problems


def _cross_checks(articles: dict[str, Article], codes: dict[str, str] | None) -> list[Problem]:
    problems: list[Problem] = []
    for article in articles.values():
        meta = article.meta
        if codes is not None:
            for index, code in enumerate(meta.icpc2):
                if code not in codes:
                    problems.append(
                        Problem(article.file, f"icpc2[{index}]", f"ukjent ICPC-2-kode '{code}'", article.line(("icpc2", index)))
                    )
        if meta.translation:
            other = articles.get(meta.translation)
            if other is None:
                problems.append(Problem(article.file, "translation", f"fant ikke {meta.translation}", article.line(("translation",))))
            elif other.meta.language == meta.language:
                problems.append(
                    Problem(
                        article.file,
                        "translation",
                        f"{meta.translation} er på samme målform ({meta.language})",
                        article.line(("translation",)),
                    )
                )
            elif other.meta.translation != article.src_path:
                problems.append(
                    Problem(
                        article.file,
                        "translation",
                        f"{meta.translation} peker ikke tilbake hit (forventet translation: {article.src_path})",
                        article.line(("translation",)),
                    )
                )
    akutt = [a for a in articles.values() if a.meta.kind == "akutt"]
    for language in ("nb", "nn"):
        same = [a for a in akutt if a.meta.language == language]
        for extra in same[1:]:
            problems.append(
                Problem(extra.file, "kind", f"det finnes alt et akuttkort på {language}: {same[0].src_path}", extra.line(("kind",)))
            )
    return problems


def _former_slug_problems(articles: dict[str, Article]) -> list[Problem]:
    """A former slug must not be the address of a page that exists, nor be claimed by two pages
    (each in its own folder: ``nb/`` and ``nn/`` keep their own)."""
    problems: list[Problem] = []
    live = {a.url: a for a in articles.values()}
    claimed: dict[str, Article] = {}
    for article in articles.values():
        for index, (slug, old) in enumerate(zip(article.meta.former_slugs, article.former_urls)):
            loc = ("former_slugs", index)
            if old in live:
                message = f"'{slug}' er adressen til {live[old].src_path}, som finnes; en gammel adresse kan ikke være en side som finnes"
            elif old in claimed and claimed[old] is not article:
                message = f"'{slug}' står også i former_slugs til {claimed[old].src_path}; en gammel adresse kan bare peke til én side"
            else:
                claimed[old] = article
                continue
            problems.append(Problem(article.file, format_loc(loc), message, article.line(loc)))
    return problems


def load_article(path: Path, root: Path, display_root: Path | None = None) -> Article:
    """Read and validate one file. Raises ``ContentError`` with every problem in it."""
    src_path = path.relative_to(root).as_posix()
    file = display_path(path, display_root)
    document, body, body_line = read_front_matter(path, file)
    if not isinstance(document.data, dict):
        raise ContentError([Problem(file, "", "forventet front matter med nøkler og verdier", 2)])
    try:
        meta = FrontMatter.parse_obj(document.data)
    except pydantic.ValidationError as exc:
        raise ContentError(pydantic_problems(exc, file, document)) from None
    return Article(src_path, meta, body, file, body_line, document)


def collect_library(
    root: Path, *, codes: dict[str, str] | bool | None = True, display_root: Path | None = None
) -> tuple[Library, list[Problem]]:
    """Load every ``*.md`` under ``root``: the valid pages and the problems of the others.

    ``codes``: ``True`` checks ICPC-2 codes against the official list (the default),
    a dict checks against that dict, ``None`` or ``False`` skips the check.
    """
    root = Path(root)
    if not root.is_dir():
        raise HelseinfoError(f"{root}: fant ikke innholdsmappen")
    if codes is True:
        codes = load_codes()
    elif codes is False:
        codes = None
    problems: list[Problem] = []
    articles: dict[str, Article] = {}
    for path in sorted(root.rglob("*.md")):
        if any(part.startswith((".", "_")) for part in path.relative_to(root).parts):
            continue
        try:
            article = load_article(path, root, display_root)
        except ValidationError as exc:
            problems.extend(exc.problems)
            continue
        articles[article.src_path] = article
    vocabulary, sign_problems = collect_vocabulary(root / SIGNS_FOLDER, display_root)
    problems.extend(sign_problems)
    problems.extend(_cross_checks(articles, codes))
    problems.extend(_former_slug_problems(articles))
    problems.extend(_card_rules(articles, vocabulary))
    return Library(root, articles, vocabulary, codes or {}), problems


def load_library(root: Path, *, codes: dict[str, str] | bool | None = True, display_root: Path | None = None) -> Library:
    """Load and validate every page under ``root``; raise one ``ContentError`` with every problem."""
    library, problems = collect_library(root, codes=codes, display_root=display_root)
    if problems:
        raise ContentError(problems)
    return library


def today() -> dt.date:
    """Today's date (one place, so tests can reason about review dates)."""
    return dt.date.today()
