"""Reading level: LIX (läsbarhetsindex), the measure Norwegian plain-language work uses.

LIX = words / sentences + 100 × long words / words, where a long word has more than six
letters. Below 30 is easy, 30–40 is ordinary, above 40 is hard for many readers; the
library's target is at most 40.
"""

from __future__ import annotations

import re

from content_model.loader import Article

LIX_WARNING = 40

_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?:;]+(?=\s|$)")
_MARKUP = re.compile(r"`[^`]*`|<[^>]+>|\[([^\]]*)\]\([^)]*\)|[*_#>|]")


def body_units(body: str) -> list[str]:
    """Paragraphs, list items, headings and table cells of a Markdown body, lines joined."""
    units: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            units.append(" ".join(current))
            current.clear()

    for raw in body.splitlines():
        line = raw.strip()
        if not line or set(line) <= set("-:| "):
            flush()
            continue
        if line.startswith("|"):
            flush()
            units.extend(cell.strip() for cell in line.strip("|").split("|") if cell.strip())
            continue
        if line.startswith(("#", "- ", "* ", "+ ", "!!!")) or re.match(r"\d+\. ", line):
            flush()
        current.append(_MARKUP.sub(lambda m: m.group(1) or " ", line).strip(" -\t"))
        if line.startswith("#"):
            flush()
    flush()
    return [unit for unit in units if unit.strip()]


def reader_text(article: Article) -> list[str]:
    """The text a reader sees, as units that each end a sentence (paragraphs, list items, cells)."""
    meta = article.meta
    units = [meta.summary]
    if meta.care_card:
        units += [criterion.text for _, criterion in meta.care_card.criteria()]
    units += meta.self_care_advice
    return units + body_units(article.body)


def lix(units: list[str]) -> float:
    """LIX of text units; each unit counts as at least one sentence."""
    words = long_words = sentences = 0
    for unit in units:
        tokens = _WORD.findall(unit)
        if not tokens:
            continue
        words += len(tokens)
        long_words += sum(1 for token in tokens if len(token.replace("-", "")) > 6)
        unit = unit.strip()
        # A unit that does not end with a full stop (a heading, a list item) still ends a sentence.
        sentences += len(_SENTENCE_END.findall(unit)) + (unit[-1] not in ".!?:;")
    if not words:
        return 0.0
    return words / sentences + 100 * long_words / words


def article_lix(article: Article) -> float:
    return round(lix(reader_text(article)), 1)
