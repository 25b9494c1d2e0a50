"""No wording of the Semigran vignettes in any care card or sign file (issue 12).

The vignettes (the English originals and our two Norwegian lay versions) are a benchmark that is
scored, never tuned on. A card or sign that holds a run of four of a vignette's content words
(stop words left out) was copied from it, and the benchmark would measure the copy.
"""

from __future__ import annotations

import json
import re

from helseinfo.kernel.paths import CONTENT, PROJECT, SHARED_DATA

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "she",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
        "do",
        "does",
        "did",
        "can",
        "could",
        "would",
        "should",
        "about",
        "after",
        "before",
        "over",
        "under",
        "up",
        "down",
        "out",
        "very",
        "just",
        "also",
        "more",
        "most",
        "some",
        "any",
        "all",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "year",
        "years",
        "old",
        "day",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "og",
        "i",
        "på",
        "er",
        "det",
        "en",
        "et",
        "ei",
        "som",
        "av",
        "til",
        "for",
        "med",
        "har",
        "hadde",
        "jeg",
        "eg",
        "han",
        "hun",
        "ho",
        "de",
        "dei",
        "vi",
        "du",
        "meg",
        "seg",
        "sin",
        "sitt",
        "sine",
        "den",
        "dette",
        "denne",
        "disse",
        "ikke",
        "ikkje",
        "ingen",
        "inga",
        "men",
        "om",
        "når",
        "da",
        "så",
        "fra",
        "frå",
        "ved",
        "etter",
        "før",
        "over",
        "under",
        "opp",
        "ned",
        "ut",
        "inn",
        "eller",
        "var",
        "vært",
        "vore",
        "blir",
        "ble",
        "vart",
        "kan",
        "skal",
        "vil",
        "må",
        "bare",
        "berre",
        "også",
        "òg",
        "noe",
        "noko",
        "noen",
        "nokon",
        "mye",
        "mykje",
        "litt",
        "hans",
        "hennes",
        "hos",
        "mot",
        "uten",
        "utan",
        "sidan",
        "siden",
        "år",
        "dager",
        "dagar",
        "uke",
        "uker",
        "veke",
        "veker",
        "måned",
        "måneder",
        "månad",
        "månader",
        "min",
        "mi",
        "mitt",
        "mine",
        "din",
        "di",
        "ditt",
        "dine",
        "vår",
        "vårt",
        "våre",
    ]
)
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def content_words(text: str) -> list[str]:
    return [w for w in WORD.findall(text.casefold()) if w not in STOP_WORDS and len(w) > 1]


def grams(words: list[str], n: int = 4) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def vignette_grams() -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    sources = [
        (SHARED_DATA / "benchmarks" / "semigran_vignettes.jsonl", "case_description"),
        (PROJECT / "tests" / "fixtures" / "semigran_no.jsonl", "text"),
        (PROJECT / "tests" / "fixtures" / "semigran_no_heldout.jsonl", "text"),
    ]
    for path, key in sources:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found |= grams(content_words(json.loads(line)[key]))
    return found


def card_texts():
    """The care card of every article (its criteria, signs and questions), and every sign file."""
    for path in sorted(CONTENT.rglob("*.md")):
        front = path.read_text(encoding="utf-8").split("\n---", 2)[0]
        if "\ncare_card:" in front:
            card = front.split("\ncare_card:", 1)[1]
            yield path, re.split(r"\n[a-z_]+:", card, maxsplit=1)[0]
    for path in sorted((CONTENT / "signs").glob("*.yml")):
        yield path, path.read_text(encoding="utf-8")


def phrase_grams(text: str) -> set[tuple[str, ...]]:
    """Four content words in a row within one YAML value (a phrase, a sentence), not across items."""
    found: set[tuple[str, ...]] = set()
    for value in re.split(r"[\n,\[\]{}:]", text):
        found |= grams(content_words(value))
    return found


def test_no_card_or_sign_file_holds_four_content_words_of_a_vignette_in_a_row():
    wanted = vignette_grams()
    copied = {}
    for path, text in card_texts():
        hits = phrase_grams(text) & wanted
        if hits:
            copied[str(path.relative_to(CONTENT))] = sorted(" ".join(g) for g in hits)
    assert not copied, copied


#: Runs of four content words a sign file shares with the test half of the blind suite by
#: coincidence, with where the wording was before the suite existed.
BLIND_COINCIDENCES = {
    # helsenorge's own phrase for chest in-drawing; in nb/hoste-hos-barn.md since before 8292756
    ("huden", "trekkes", "mellom", "ribbeina"),
}


def test_no_sign_file_holds_four_content_words_of_a_text_of_the_blind_test_half():
    """The test half is only scored: its wording must not reach the vocabulary the engine reads."""
    wanted: set[tuple[str, ...]] = set()
    for path in sorted((PROJECT / "tests" / "fixtures" / "triage_blind").glob("test-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                wanted |= grams(content_words(json.loads(line)["text"]))
    copied = {}
    for path in sorted((CONTENT / "signs").glob("*.yml")):
        hits = phrase_grams(path.read_text(encoding="utf-8")) & wanted - BLIND_COINCIDENCES
        if hits:
            copied[path.name] = sorted(" ".join(g) for g in hits)
    assert not copied, copied
