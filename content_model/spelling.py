"""Spelling of both written standards, with Debian's Hunspell dictionaries for Norwegian
(package ``hunspell-no``: ``nb_NO`` for bokmål, ``nn_NO`` for nynorsk) and the project's
word list ``content/om/ordliste.txt`` (medical terms, names, abbreviations).

What is checked is what a reader sees: the title, the summary, the card's texts and
questions, the self-care advice and the body (not code, addresses or link targets). Every
distinct word is sent once to the ``hunspell`` binary per written standard; a word it does
not know and the word list does not hold is reported with its file and line.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from content_model.loader import Article, Library
from helseinfo.kernel.errors import Problem, display_path

#: The project's word list, under the content folder.
WORD_LIST = "om/ordliste.txt"
DICTIONARIES = {"nb": "nb_NO", "nn": "nn_NO"}
INSTALL_HINT = "installer Debians hunspell og hunspell-no (apt-get install hunspell hunspell-no)"

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SKIP = [
    re.compile(r"^\s*!!!\s+\w+"),  # an admonition's type
    re.compile(r"`[^`]*`"),  # inline code
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"<[^>]+>"),  # HTML tags and autolinks
    re.compile(r"https?://\S+|www\.\S+|\S+@\S+|\b[\w.-]+\.(no|uk|com|org|net)\b"),  # addresses
    re.compile(r"\{[:#.][^}]*\}"),  # attribute lists
]
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass
class WordList:
    """Words the project accepts beyond the dictionaries, and forms the dictionary accepts that the
    project does not (a bokmål form in a nynorsk text), with the form to write instead."""

    allowed: dict[str, set[str]] = field(default_factory=lambda: {"nb": set(), "nn": set()})
    rejected: dict[str, dict[str, str]] = field(default_factory=lambda: {"nb": {}, "nn": {}})

    def right_form(self, word: str, language: str) -> str | None:
        """The form to write instead of ``word``, if the list rejects it. An entry starting with
        ``-`` is an ending: ``-smerter -smertar`` turns «brystsmerter» into «brystsmertar»."""
        rejected = self.rejected.get(language, {})
        lower = word.lower()
        right = rejected.get(word) or rejected.get(lower)
        if right is None:
            ending = next((e for e in rejected if e.startswith("-") and lower.endswith(e[1:]) and lower != e[1:]), None)
            if ending is None:
                return None
            right = word[: len(word) - len(ending) + 1] + rejected[ending].lstrip("-")
        return right[0].upper() + right[1:] if word[0].isupper() else right


def load_word_list(content_dir: Path) -> WordList:
    """The word list. Sections: ``[felles]`` (both standards), ``[nb]``, ``[nn]``: words, any number
    a line; ``[nb-avvis]``, ``[nn-avvis]``: a wrong form and the right one, one pair a line.
    ``#`` starts a comment. Words are matched as written and in lower case."""
    words = WordList()
    path = Path(content_dir) / WORD_LIST
    if not path.is_file():
        return words
    section = "felles"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if section.endswith("-avvis"):
            wrong, _, right = line.partition(" ")
            words.rejected.setdefault(section[: -len("-avvis")], {})[wrong] = right.strip()
            continue
        for target in ("nb", "nn") if section == "felles" else (section,):
            words.allowed.setdefault(target, set()).update(line.split())
    return words


def reader_lines(article: Article) -> Iterator[tuple[int | None, str]]:
    """(line, text) for everything the reader sees in an article."""
    meta = article.meta
    yield article.line(("title",)), meta.title
    yield article.line(("summary",)), meta.summary
    if meta.care_card is not None:
        for level, items in meta.care_card.levels():
            for index, criterion in enumerate(items):
                yield article.line(("care_card", level, index, "text")), criterion.text
                if criterion.question:
                    yield article.line(("care_card", level, index, "question")), criterion.question
    for index, tip in enumerate(meta.self_care_advice):
        yield article.line(("self_care_advice", index)), tip
    in_fence = False
    for number, line in enumerate(article.body.splitlines(), start=article.body_line):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            yield number, line


def words_of(text: str) -> list[str]:
    """The words of a text; a word that touches a digit or ends in a hyphen ("HbA1c", "vepse- eller")
    is part of something else and left out, and so are abbreviations in capitals."""
    for pattern in _SKIP:
        text = pattern.sub(" ", text)
    words = []
    for match in _WORD.finditer(text):
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        word = match.group()
        if before.isalnum() or before == "-" or after.isalnum() or after == "-" or len(word) < 2 or word.isupper():
            continue
        words.append(word)
    return words


def unknown_words(words: set[str], language: str) -> set[str]:
    """The words the Hunspell dictionary of ``language`` does not know."""
    if not words:
        return set()
    binary = shutil.which("hunspell")
    if binary is None:
        raise FileNotFoundError("hunspell")
    result = subprocess.run(
        [binary, "-d", DICTIONARIES[language], "-i", "utf-8", "-l"],
        input="\n".join(sorted(words)),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    if result.returncode != 0 or "Can't open affix or dictionary" in result.stderr:
        raise FileNotFoundError(DICTIONARIES[language])
    return set(result.stdout.split())


def spelling_problems(library: Library) -> list[Problem]:
    """Every word of the library that neither the dictionary nor the word list knows, and every
    form the word list rejects for that written standard."""
    words = load_word_list(library.root)
    problems: list[Problem] = []
    found: dict[Literal["nb", "nn"], list[tuple[Article, int | None, str]]] = {"nb": [], "nn": []}
    for article in library.articles.values():
        language = article.meta.language
        allowed = words.allowed.get(language, set())
        for line, text in reader_lines(article):
            for word in words_of(text):
                right = words.right_form(word, language)
                if right:
                    problems.append(Problem(article.file, "stavekontroll", f"«{word}»: skriv «{right}» ({DICTIONARIES[language]})", line))
                elif word not in allowed and word.lower() not in allowed:
                    found[language].append((article, line, word))
    for language, uses in found.items():
        try:
            unknown = unknown_words({word for _, _, word in uses}, language)
        except (FileNotFoundError, OSError, subprocess.SubprocessError):
            return [
                Problem(
                    display_path(library.root / WORD_LIST),
                    "stavekontroll",
                    f"fant ikke hunspell med ordboken {DICTIONARIES[language]}: {INSTALL_HINT}",
                )
            ]
        seen: set[tuple[str, int | None, str]] = set()
        for article, line, word in uses:
            if word in unknown and (article.file, line, word) not in seen:
                seen.add((article.file, line, word))
                problems.append(Problem(article.file, "stavekontroll", f"ukjent ord «{word}» ({DICTIONARIES[language]})", line))
    return problems
