"""Place names in what people type: one finder for the assistant and the search index.

``place_table`` maps every official municipality name and the catalogue's places (villages,
former municipalities) to a municipality number, also as typed without æ, ø and å;
``find_places`` finds them in a text. A few names are also everyday words ("heim",
"stranda", "bud"): those count only when written with a capital or after a word of place
("bor i", "på", "fra").
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from helseinfo.kernel.text import normalise

if TYPE_CHECKING:
    from services_catalog.loader import Catalog

TOKEN = re.compile(r"[^\W_]+", re.UNICODE)

#: Place names that are also ordinary words.
AMBIGUOUS_PLACES = frozenset(
    ["heim", "fjord", "leka", "bud", "stranda", "osen", "malm", "eide", "frei", "åsen", "ålen", "straumen", "sande", "aure"]
    + ["grong", "frosta"]
)
#: Words after which an ambiguous name is a place: "bor i Heim", "legevakt på stranda".
PLACE_WORDS = frozenset(["i", "på", "fra", "frå", "in", "bor", "bur", "ved", "til", "near"])


def place_variants(name: str) -> set[str]:
    """A place name as typed: normalised, and without æ, ø, å (``Ålesund`` → ``alesund``, ``aalesund``)."""
    base = " ".join(TOKEN.findall(normalise(name)))
    ascii_ = base.replace("æ", "ae").replace("ø", "o")
    return {base, ascii_.replace("å", "a"), ascii_.replace("å", "aa")}


def place_table(catalog: Catalog) -> dict[str, str]:
    """Normalised place name → municipality number: every official municipality name and
    the catalogue's places (``Brattvåg`` → ``1580``), also as typed without æ, ø, å."""
    pairs = []
    for municipality in catalog.municipalities.values():
        pairs += [(name, municipality.number) for name in (municipality.name, *municipality.other_names)]
    pairs += [(place.name, place.municipality) for place in getattr(catalog, "places", {}).values()]
    table: dict[str, str] = {}
    for name, number in pairs:
        for variant in place_variants(name):
            table.setdefault(variant, number)
    return table


def find_places(text: str, places: dict[str, str]) -> tuple[list[str], str, str]:
    """Place names in a text: their municipality numbers (in the order named), the text
    without them, and them. Names of up to three words are matched, longest first."""
    raw = TOKEN.findall(unicodedata.normalize("NFKC", text))
    folded = [normalise(w) for w in raw]
    numbers: list[str] = []
    rest: list[str] = []
    names: list[str] = []
    i = 0
    while i < len(raw):
        for n in (3, 2, 1):
            name = " ".join(folded[i : i + n])
            if i + n <= len(raw) and name in places and _meant_as_place(name, raw, folded, i):
                if places[name] not in numbers:
                    numbers.append(places[name])
                names.extend(raw[i : i + n])
                i += n
                break
        else:
            rest.append(raw[i])
            i += 1
    return numbers, " ".join(rest), " ".join(names)


def _meant_as_place(name: str, raw: list[str], folded: list[str], i: int) -> bool:
    return name not in AMBIGUOUS_PLACES or raw[i][:1].isupper() or (i > 0 and folded[i - 1] in PLACE_WORDS)
