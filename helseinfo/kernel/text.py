"""Text helpers every room shares: one normalisation and one edit distance.

The triage engine (``assistant/triage/text.py``) and the search index
(``search_index/analysis.py``) both read what people type; they normalise it and measure
spelling mistakes the same way, here.
"""

from __future__ import annotations

import unicodedata

#: Accents other than æ, ø and å, folded: "idé" is "ide"; Swedish and German ä and ö are æ and ø.
#: (The nynorsk "òg" keeps its accent: "og" is another word.)
ACCENTS = str.maketrans("éèêëáàâóôúùûüíìïçñäö", "eeeeaaaoouuuuiiicnæø")


def normalise(text: str) -> str:
    """NFKC, case-folded, typographic apostrophes made plain, accents other than æ, ø, å removed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return text.replace("’", "'").replace("`", "'").translate(ACCENTS)


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): insertions, deletions,
    substitutions and swaps of two neighbours each count one."""
    previous2: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def within_one_edit(a: str, b: str) -> bool:
    """``distance(a, b) <= 1``, without the table (the triage engine asks this very often)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))
