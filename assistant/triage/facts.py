"""Facts a person states in passing: age, pregnancy, how long it has lasted, and language.

Age is kept as a range in months, [low, high): "3 måneder gammel" is [3, 4), "baby" is
[0, 12), "eldre" is [780, ∞). A care-card age condition then holds, fails, or cannot be
told yet (and becomes a follow-up question).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.triage.text import match_any, normalise, tokenize

INF = float("inf")

NUMBER_WORDS = {
    "en": 1,
    "ett": 1,
    "ein": 1,
    "eitt": 1,
    "ei": 1,
    "one": 1,
    "a": 1,
    "an": 1,
    "to": 2,
    "two": 2,
    "tre": 3,
    "three": 3,
    "fire": 4,
    "four": 4,
    "fem": 5,
    "five": 5,
    "seks": 6,
    "six": 6,
    "sju": 7,
    "syv": 7,
    "seven": 7,
    "åtte": 8,
    "eight": 8,
    "ni": 9,
    "nine": 9,
    "ti": 10,
    "ten": 10,
    "elleve": 11,
    "tolv": 12,
    "fjorten": 14,
    "et par": 2,
    "eit par": 2,
    "a couple of": 2,
    "noen": 3,
    "nokre": 3,
    "nokon": 3,
    "several": 3,
    "a few": 3,
    "flere": 3,
    "fleire": 3,
}
_NUM = r"(\d+(?:[.,]\d+)?|" + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True)) + r")"

UNIT_DAYS = {
    "time": 1 / 24,
    "timer": 1 / 24,
    "timar": 1 / 24,
    "timen": 1 / 24,
    "hour": 1 / 24,
    "hours": 1 / 24,
    "dag": 1,
    "dager": 1,
    "dagar": 1,
    "dagene": 1,
    "dagane": 1,
    "døgn": 1,
    "døgnene": 1,
    "day": 1,
    "days": 1,
    "uke": 7,
    "uker": 7,
    "ukene": 7,
    "vekene": 7,
    "månedene": 30,
    "månadene": 30,
    "timene": 1 / 24,
    "timane": 1 / 24,
    "uka": 7,
    "veke": 7,
    "veker": 7,
    "veka": 7,
    "week": 7,
    "weeks": 7,
    "måned": 30,
    "måneder": 30,
    "månad": 30,
    "månader": 30,
    "mnd": 30,
    "month": 30,
    "months": 30,
    "år": 365,
    "year": 365,
    "years": 365,
}
_UNIT = r"(" + "|".join(sorted(UNIT_DAYS, key=len, reverse=True)) + r")"

#: Words for a person someone writes about ("sønnen min på 6", "far min på 77").
_PERSON = (
    "sønn|sønnen|son|sonen|datter|datteren|dotter|dottera|jente|jenta|gutt|gutten|gut|guten|barn|barnet|ungen|"
    "mor|mora|moren|far|faren|mamma|pappa|kone|kona|mann|mannen|ektemann|samboer|samboeren|sambuar|sambuaren|"
    "kjæreste|kjæresten|kompis|kompisen|venn|vennen|venninne|venninna|bror|broren|søster|søstera|søsteren|"
    "bestemor|bestefar|besteforeldre|oldemor|oldefar|vesla|veslegutten|pasient|pasienten"
)

#: Who an age can follow: a person, a pronoun, or the writer ("jeg er 80 år").
_SOMEONE = _PERSON + "|baby|babyen|spedbarnet|spebarnet|den lille|han|hun|ho|hen|jeg|eg"
#: "babyen på", "sønnen min er", "jeg er": what an age follows (not "ikke grodd på fire uker").
_AGE_LEAD = r"\b(?:" + _SOMEONE + r")\s+(?:(?:min|mi|mitt|vår|vårt)\s+)?(?:(?:på|er|pa)\s+)?"
#: An English child and "is"/"of": "my daughter is", "our son's", "a boy of".
_EN_CHILD = r"\b(?:daughter|son|baby|boy|girl|child|kid|toddler|grandson|granddaughter|little one)\s+(?:is|'s|of|aged)\s+"
_AGE_PATTERNS = [
    (re.compile(_NUM + r"\s*-?\s*(?:måneder|måneders|månader|mnd|months?|month)\s*-?\s*(?:gammel|gammal|gamal|gamle|old)"), 1),
    (re.compile(_NUM + r"\s*-?\s*(?:uker|ukers|veker|weeks?)\s*-?\s*(?:gammel|gammal|gamal|gamle|old)"), 7 / 30),
    (re.compile(_NUM + r"\s*-?\s*(?:dager|dagar|days?)\s*-?\s*(?:gammel|gammal|gamal|gamle|old)"), 1 / 30),
    (re.compile(_NUM + r"\s*-?\s*(?:år|års|years?)\s*-?\s*(?:gammel|gammal|gamal|gamle|old)"), 12),
    (re.compile(_NUM + r"\s*-?\s*åring"), 12),
    (re.compile(r"\b(?:på|er|blir|aged?)\s+" + _NUM + r"\s*(?:år)\b"), 12),
    # "gutten min 5 år", "sonnen min pa 1 ar": a person and a number of years right after.
    (re.compile(_AGE_LEAD + _NUM + r"\s*(?:år|aar|ar|years?)\b(?!\s*(?:siden|sidan|ago))"), 12),
    # "babyen på 4 uker", "han er 3 måneder": only after a person, since "ikke grodd på fire uker"
    # is how long something has lasted.
    (re.compile(_AGE_LEAD + _NUM + r"\s*(?:måneder|månader|mnd)\b"), 1),
    (
        re.compile(
            _AGE_LEAD + _NUM + r"\s*(?:uker|veker)\b"
            r"(?!\s*(?:på vei|på veg|gravid|i svangerskapet))"
        ),
        7 / 30,
    ),
    (re.compile(r"\baged?\s+" + _NUM + r"\b"), 12),
    # "my daughter is 14 months", "our son is 6 weeks": English, a child and the age right after
    (re.compile(_EN_CHILD + _NUM + r"\s*(?:months?|mths?)\b(?!\s*(?:ago|pregnant))"), 1),
    (re.compile(_EN_CHILD + _NUM + r"\s*(?:weeks?|wks?)\b(?!\s*(?:ago|pregnant))"), 7 / 30),
    (re.compile(_EN_CHILD + r"(\d{1,2})\b(?![.,]\d)(?!\s*(?:%|kg|lbs?|cm|months?|mths?|weeks?|wks?|days?|hours?|times|degrees|°))"), 12),
    (
        re.compile(
            r"\b(?:mann|kvinne|dame|gutt|gut|jente|mannen|kvinna|man|woman)\s+(?:på|of)\s+"
            + _NUM
            + r"\b(?!\s*(?:kg|kilo|cm|uker|veker|måneder|månader|dager|dagar))"
        ),
        12,
    ),
    # "sønnen min på 6", "mor mi på 61", "kompisen min er 18", "jeg er 65": a person and a bare number is an age in years.
    (
        re.compile(
            r"\b(?:" + _PERSON + r")\s+(?:(?:min|mi|mitt|mine|vår|vårt|våre|hennes|hans)\s+)?(?:(?:på|i)\s+\w+\s+)?(?:på|er)\s+"
            r"(\d{1,3})\b(?![.,]\d)(?!\s*(?:%|kg|kilo|cm|mm|grader|°|uker|veker|måneder|månader|mnd|dager|dagar|døgn|timer|timar|minutter|ganger|gonger|i feber|i temp))"
        ),
        12,
    ),
    (
        re.compile(
            r"\b(?:jeg er|eg er)\s+(\d{1,3})\b(?![.,]\d)(?!\s*(?:%|kg|kilo|cm|uker|veker|måneder|månader|mnd|dager|dagar|døgn|timer|timar|minutter|i feber|i temp))"
        ),
        12,
    ),
]
#: Someone who writes about themselves and names nobody else is taken to be at least 10 years
#: old: babies and toddlers do not write. "Jeg har hatt feber i fem dager" is then not asked
#: "Er barnet under 3 måneder?". Older children stay possible (a 12-year limit is still asked).
WRITER_MIN_MONTHS = 10 * 12
_SELF = re.compile(r"\b(?:jeg|eg|meg|i (?:have|am|feel|had|got|think|was)|i'm|i've)\b")
_SOMEONE_ELSE = re.compile(
    r"\b(?:" + _PERSON + r"|han|ham|hun|henne|ho|hen|they|he|him|she|daughter|husband|wife|mother|mom|mum|"
    r"father|dad|child|children|kid|kids|boy|girl|friend|partner|patient|neighbour|neighbor|nabo|naboen|"
    r"nyfødt|nyfødd|spedbarn|spebarn|baby|babyen|toddler|småbarn|tenåring|tenåringen|teenager|ungdom|ungdommen|"
    r"eldre|pensjonist|elderly|infant|newborn)\b"
)
_AGE_WORDS = [
    (("nyfødt", "nyfødd", "nyfødte", "newborn", "neonate"), (0, 1)),
    (("spedbarn", "baby", "babyen", "babyar", "babyer", "infant", "spebarn", "spedbarnet"), (0, 12)),
    (("tenåring", "tenåringen", "teenager", "ungdom", "ungdommen"), (12 * 12, 20 * 12)),
    (("eldre", "gamle", "pensjonist", "elderly", "bestemor", "bestefar", "oldemor", "oldefar"), (65 * 12, INF)),
    (("toddler", "småbarn", "småbarnet"), (12, 48)),
    (("barn", "barnet", "ungen", "child", "kid", "skolebarn"), (0, 18 * 12)),
    # a spouse, a parent or a colleague is grown up (children's words above win)
    (
        (
            "kona",
            "kona mi",
            "kona min",
            "mannen min",
            "samboer",
            "samboeren",
            "sambuar",
            "sambuaren",
            "svigerfar",
            "svigermor",
            "far min",
            "faren min",
            "mor mi",
            "mora mi",
            "moren min",
            "kollega",
            "kollegaen",
            "wife",
            "my wife",
            "husband",
            "my husband",
            "my partner",
            "my dad",
            "my father",
            "my mum",
            "my mom",
            "my mother",
            "colleague",
            "coworker",
        ),
        (18 * 12, INF),
    ),
]
#: "kan være gravid", "might be pregnant": not known, so a pregnancy criterion is asked, not assumed.
_MAYBE_PREGNANT = re.compile(
    r"\b(?:kan|kunne|kanskje|muligens|mogleg|might|may|maybe|could)\s+(?:være\s+|vere\s+|be\s+)?(?:gravid|svanger|pregnant)"
    r"|\b(?:usikker på om|vet ikke om|veit ikkje om|not sure if)\b[^.]{0,20}(?:gravid|pregnant)"
)
_PREGNANT = [
    "gravid",
    "gravide",
    "svanger",
    "pregnant",
    "pregnancy",
    "svangerskap",
    "svangerskapet",
    "uker på vei",
    "veker på veg",
    "weeks pregnant",
    "gestation",
]
_DURATION = re.compile(
    r"\b(?:i|for|siste|sidan|siden|over|the last|past|in)\s+(?:over\s+|mer enn\s+|meir enn\s+|more than\s+|about\s+|omtrent\s+|ca\.?\s+|snart\s+|nesten\s+|almost\s+|nearly\s+|like\s+|typ\s+)?"
    + _NUM
    + r"(?:\s*[-–]\s*\w+)?\s*"
    + _UNIT
    + r"\b"
)
#: "first noticed four weeks ago", "for tre dager siden": it began that long ago.
_AGO = re.compile(r"\b" + _NUM + r"\s*" + _UNIT + r"\s+(?:ago|siden|sidan)\b")
_DURATION_BARE = re.compile(r"\b" + _NUM + r"\s*(?:første\s+|fyrste\s+|siste\s+)?" + _UNIT + r"\b")
_SINCE = [
    (("siden i går", "sidan i går", "since yesterday", "fra i går", "frå i går"), 1),
    (("siden i forgårs", "sidan i forgårs", "since the day before yesterday"), 2),
    (
        (
            "i hele dag",
            "heile dagen",
            "hele dagen",
            "all day",
            "since this morning",
            "siden i morges",
            "sidan i morgon",
            "i dag tidlig",
            "siden i natt",
            "sidan i natt",
            "i natt",
            "since last night",
            "last night",
            "siden i kveld",
            "sidan i kveld",
        ),
        0.5,
    ),
    (("en uke", "ei uke", "ei veke", "a week", "one week"), 7),
    (("en måneds tid", "ein månads tid", "en månedstid", "ein månadstid", "a month or so", "about a month"), 30),
    (("flere uker", "fleire veker", "fleire veka", "flere uka", "i ukevis", "i vekevis", "several weeks", "weeks"), 14),
    (
        (
            "flere måneder",
            "fleire månader",
            "i månedsvis",
            "i månadsvis",
            "several months",
            "months",
            # a season or a holiday that is past: months ago
            "siden i sommer",
            "sidan i sommar",
            "siden i høst",
            "sidan i haust",
            "siden i vinter",
            "sidan i vinter",
            "siden i vår",
            "sidan i vår",
            "siden jul",
            "sidan jul",
            "siden nyttår",
            "sidan nyttår",
            "since the summer",
            "since summer",
            "since christmas",
            "since new year",
        ),
        60,
    ),
    (("several hours", "flere timer", "fleire timar", "a few hours", "noen timer", "nokre timar"), 0.2),
    (("several days", "flere dager", "fleire dagar", "a few days", "noen dager", "nokre dagar"), 3),
]

#: Words that mark a language. Not "i": it is the commonest Norwegian preposition ("vondt i magen"),
#: so a Norwegian text with a few of them was read as English and answered in English.
_ENGLISH = set(
    [
        # English function words that are not Norwegian words ("to", "at", "over", "just", "man"
        # and "so" are, and stay out)
        "about",
        "after",
        "before",
        "all",
        "can",
        "could",
        "would",
        "will",
        "very",
        "really",
        "some",
        "any",
        "because",
        "if",
        "when",
        "there",
        "they",
        "we",
        "you",
        "your",
        "me",
        "him",
        "them",
        "that",
        "which",
        "who",
        "now",
        "from",
        "off",
        "out",
        "up",
        "than",
        "then",
        "where",
        "why",
        "how",
        "please",
        "seems",
        "says",
        "getting",
        "going",
        "keeps",
        "got",
        "ate",
        "the",
        "and",
        "is",
        "are",
        "was",
        "have",
        "has",
        "with",
        "my",
        "of",
        "for",
        "she",
        "he",
        "her",
        "his",
        "pain",
        "since",
        "years",
        "old",
        "it",
        "this",
        "want",
        "myself",
        "kill",
        "can't",
        "cant",
        "don't",
        "dont",
        "help",
        "feel",
        "what",
        "do",
        "am",
        "been",
    ]
)
_BOKMAL = set(
    [
        "jeg",
        "ikke",
        "hva",
        "hvordan",
        "hvorfor",
        "noe",
        "noen",
        "mer",
        "bare",
        "selv",
        "hun",
        "uke",
        "uker",
        "dager",
        "fikk",
        "fra",
        "vært",
        "ble",
        "siden",
        "hele",
        "mye",
        "begynte",
    ]
)
_NYNORSK = set(
    [
        "eg",
        "ikkje",
        "kva",
        "korleis",
        "kvifor",
        "noko",
        "nokon",
        "meir",
        "berre",
        "sjølv",
        "ho",
        "veke",
        "veker",
        "dagar",
        "fekk",
        "eit",
        "dei",
        "kjem",
        "frå",
        "vore",
        "vart",
        "sidan",
        "heile",
        "kvar",
        "mykje",
        "byrja",
        "dagane",
    ]
)


#: The week of a pregnancy: "32 uker på vei", "gravid i uke 26", "er i veke 30", "26 weeks pregnant".
_PREGNANCY_WEEK = re.compile(
    r"\b(\d{1,2})\s*(?:\+\d\s*)?(?:uker|ukker|uke|uk|veker|veke|weeks?|wks?|u)\s*(?:på vei|på veg|gravid|pregnant|along|i svangerskapet|inne i svangerskapet)"
    r"|\b(?:gravid|svanger|pregnant)\s+(?:i\s+)?(?:uke|veke|week)\s*(\d{1,2})\b"
    r"|\b(?:i|in)\s+(?:uke|veke|week)\s*(\d{1,2})\b(?=[^.]*(?:gravid|svanger|pregnan|svangerskap))"
    # "veke 28 og riane kjem", "week 30, contractions": only a pregnancy has contractions or waters
    r"|\b(?:uke|veke|week)\s*(\d{1,2})\b(?=[^.]*\b(?:rier|riene|rian|riar|riane|contractions|fostervann|fostervatn|waters))"
    # "kona mi er i veke 26", "she's in week 30": a person is in a week only of a pregnancy
    r"|\b(?:er|is|she's|i'm|im|am)\s+(?:i|in)\s+(?:uke|veke|week)\s*(\d{1,2})\b"
    # "kona er 30 uker", "wife is 30 weeks", "i'm 34 weeks": a wife or partner, or the writer, who
    # "is" a number of weeks is that far along. Not "she"/"hun"/"ho": that may be a baby ("hun er 3
    # uker og har feber" stays an age)
    r"|\b(?:kona|kona mi|konen|wife|i'm|im|jeg er|eg er|æ e|samboeren|sambuaren|kjæresten|girlfriend|partner)"
    r"\s+(?:is\s+|er\s+|e\s+)?(\d{1,2})\s*(?:uker|veker|veka|weeks|wks)\b(?!\s*(?:gammel|gamal|old))"
)


def _number(text: str) -> float:
    text = text.replace(",", ".")
    return float(text) if text[0].isdigit() else float(NUMBER_WORDS[text])


_MALE = re.compile(
    r"\b(?:jeg er en (?:mann|gutt)|eg er ein (?:mann|gut)|i am a (?:man|boy)|i'm a (?:man|boy)|mannen min|sønnen min|sonen min|far min|faren min|pappa|bestefar|gutten min|guten min|my (?:husband|son|father|dad)|(?:a|an) \d+[- ]year[- ]old (?:man|boy|male))\b"
)
_FEMALE = re.compile(
    r"\b(?:jeg er en (?:kvinne|dame|jente)|eg er ei (?:kvinne|dame|jente)|i am a (?:woman|girl)|kona mi|dattera mi|datteren min|mor mi|moren min|mamma|bestemor|jenta mi|my (?:wife|daughter|mother|mum|mom)|(?:a|an) \d+[- ]year[- ]old (?:woman|girl|female))\b"
)


@dataclass
class Facts:
    age: tuple[float, float] | None = None  # months, [low, high)
    pregnant: bool | None = None
    sex: str | None = None  # "male", "female", or None when not stated
    duration_days: float | None = None
    language: str = "nb"
    pregnancy_week: float | None = None  # "32 uker på vei", "gravid i uke 26"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"language": self.language}
        if self.age:
            low, high = self.age
            data["age_months"] = [low, None if high == INF else high]
        if self.pregnant is not None:
            data["pregnant"] = self.pregnant
        if self.sex:
            data["sex"] = self.sex
        if self.duration_days is not None:
            data["duration_days"] = round(self.duration_days, 2)
        if self.pregnancy_week is not None:
            data["pregnancy_week"] = self.pregnancy_week
        return data


def _language_counts(text: str) -> tuple[int, int, int]:
    words = [t.text for t in tokenize(text)]
    return sum(w in _ENGLISH for w in words), sum(w in _BOKMAL for w in words), sum(w in _NYNORSK for w in words)


def detect_language(text: str) -> str:
    english, bokmal, nynorsk = _language_counts(text)
    if english >= 2 and english > bokmal + nynorsk:
        return "en"
    return "nn" if nynorsk > bokmal else "nb"


#: Words of both written standards that are no English words: with æ, ø or å, they tell that
#: a message is (partly) Norwegian.
_NORWEGIAN = frozenset(
    ["og", "er", "har", "det", "på", "min", "mi", "mitt", "han", "hun", "ho", "jeg", "eg", "med", "til", "som", "av"]
    + ["når", "seg", "sæ", "meg", "mæ", "kan", "skal", "ska", "vil", "ikke", "ikkje", "itj", "etter", "heile", "hele"]
)


def is_mixed(text: str) -> bool:
    """Norwegian and English in one message ("han har krampe … what do i do"): words of both
    are then read with stems and typos, not only as written."""
    words = [t.text for t in tokenize(text)]
    english = sum(w in _ENGLISH for w in words)
    norwegian = sum(w in _NORWEGIAN or any(c in w for c in "æøå") for w in words)
    return english >= 2 and norwegian >= 3


def extract(text: str) -> Facts:
    norm = normalise(text)
    facts = Facts(language=detect_language(text))
    week = _PREGNANCY_WEEK.search(norm)
    for pattern, months_per_unit in _AGE_PATTERNS:
        match = pattern.search(norm)
        if match and week and match.start() < week.end() and week.start() < match.end():
            continue  # "kona er 34 uker": the week of her pregnancy, not an age
        if match:
            value = _number(match.group(1)) * months_per_unit
            step = months_per_unit if months_per_unit >= 1 else 1
            facts.age = (value, value + step)
            break
    if facts.age is None:
        tokens = tokenize(text)
        for words, age in _AGE_WORDS:
            phrase, negated = match_any(list(words), tokens)
            if phrase and not negated:
                facts.age = age
                break
    if facts.age is None and _SELF.search(norm) and not _SOMEONE_ELSE.search(norm):
        facts.age = (WRITER_MIN_MONTHS, INF)
    tokens = tokenize(text)
    tokens.language = facts.language  # "eg er no gravid": "no" is "now" in nynorsk
    phrase, negated = match_any(_PREGNANT, tokens)
    if phrase:
        facts.pregnant = None if _MAYBE_PREGNANT.search(norm) else not negated
    if week:
        facts.pregnancy_week = float(next(g for g in week.groups() if g))
        facts.pregnant = True if facts.pregnant is None else facts.pregnant
    if _MALE.search(norm):
        facts.sex = "male"
        facts.pregnant = False if facts.pregnant is None else facts.pregnant
    elif _FEMALE.search(norm):
        facts.sex = "female"
    # the week of a pregnancy is not how long something has lasted ("35 weeks pregnant")
    facts.duration_days = duration_in(norm[: week.start()] + " " + norm[week.end() :] if week else norm)
    return facts


def duration_in(norm: str) -> float | None:
    """How long something has lasted, in days, as said in a (normalised) text or part of one."""
    norm = re.sub(r"\bsia\b", "sidan", norm)  # dialect "sia i haust" is "sidan i haust"
    match = _DURATION.search(norm) or _AGO.search(norm)
    bare = _DURATION_BARE.search(norm) if match is None else None
    if bare and UNIT_DAYS[bare.group(2)] < 365 and not _HOW_OFTEN.search(norm[: bare.start()]):
        # a bare "35 år" is an age ("kvinne 35 år"), and "twice a month", "to ganger i uka"
        # say how often, not how long it has lasted
        match = bare
    if match and not _age_or_pregnancy(norm, match):
        days = _number(match.group(1)) * UNIT_DAYS[match.group(2)]
        # "over ei veke", "more than 3 weeks": past the number, so past a card's "over 7 days"
        return days * 1.01 if _MORE_THAN.match(match.group(0)) else days
    for phrases, days in _SINCE:
        if any(re.search(r"\b" + re.escape(p) + r"\b", norm) for p in phrases):
            return days
    return None


_HOW_OFTEN = re.compile(r"(?:once|twice|times|gang|ganger|gong|gonger)\s*(?:or\s+\w+\s*)?(?:(?:i|per|a|an|every)\s*)?$")


def _age_or_pregnancy(norm: str, match: re.Match) -> bool:
    """ "3 år gammel", "sønnen min på 3 år", "12 uker på vei": a number of weeks that is not how long it has lasted."""
    after = norm[match.end() : match.end() + 20]
    if re.match(r"\s*(?:på vei|på veg|gravid|pregnant|i svangerskapet)", after):
        return True
    before = norm[max(0, match.start() - 40) : match.start()]
    return bool(re.match(r"\s*-?\s*(gammel|gammal|gamal|gamle|old)", after) or _AGE_BEFORE.search(before))


_AGE_BEFORE = re.compile(_AGE_LEAD + "$")
_MORE_THAN = re.compile(r"(?:over\s|\S+\s+(?:over|mer enn|meir enn|more than)\s)")


#: A measured temperature: "tempen viser 40,0", "temperaturen er 38", "a temperature of 104°F (40°C)".
_TEMPERATURE = re.compile(
    r"\b(?:temperatur\w*|temp|tempen|temperature|febertermometer\w*|termometeret)\b[^.;!?\d]{0,25}?"
    r"(\d{2,3}(?:[.,]\d{1,2})?)\s*(°\s*[cf]\b|°|grader|degrees)?"
)
#: A temperature written as a bare number with one decimal ("har 38,1 no", "39.2 this morning"):
#: 36.0–42.9 with a decimal is a temperature in what people write here, unless a unit says otherwise.
_TEMPERATURE_BARE = re.compile(r"(?<![\d.,])((?:3[6-9]|4[0-2])[.,]\d)(?!\d|[.,]\d)(?!\s*(?:kg|kilo|cm|mm|%|år|uker|veker|weeks))()")
#: A whole-degree temperature after a word that says someone has it: "har hatt 38 i to dagar",
#: "rundt 38 siden i går", "running about 39". Not "på 38" (an age) or a count ("38 tabletter").
_TEMPERATURE_SAID = re.compile(
    r"\b(?:har|hatt|hadde|med|rundt|cirka|ca|omkring|gått med|ligget på|ligger på|around|about|running)\s+"
    r"(3[89]|4[0-2])\b(?![.,]\d)(?!\s*(?:kg|kilo|cm|mm|%|år|uker|veker|weeks|years|tabletter|piller|mg|ganger|gonger|times|minutt|timer|timar|dager|dagar|days|stk))()"
)
#: A counted breathing rate: "respiratory rate of 22 breaths per minute", "puster 30 ganger i minuttet".
_BREATHING_RATE = re.compile(
    r"\b(?:respiratory rate|respirasjonsfrekvens\w*|pustefrekvens\w*)\b\D{0,20}?(\d{1,3})\b"
    r"|\b(\d{1,3})\s*(?:breaths|åndedrag|pust|ganger)\s*(?:per|i|a|/)\s*(?:minute|min|minuttet)\b"
)


#: A blood pressure reading: "162/96", "blodtrykket 185 / 100".
_BLOOD_PRESSURE = re.compile(r"(?<![\d/.,])(\d{2,3})\s*/\s*(\d{2,3})(?![\d/])")


def measured_signs(text: str, facts: Facts) -> list[str]:
    """Plain words for measurements people give as numbers, so the cards' words apply to them.

    A temperature of 38.0 °C (100.4 °F) or more is "feber", 39.5 °C or more "høy feber"; a
    breathing rate above the normal range for the age (WHO and NEWS2 limits) is "puster fort"; a
    blood pressure of 140/90 or more is "høyt blodtrykk", of 180/110 or more "blodtrykket over 180"
    (Helsedirektoratet's limits for the fastlege and for acting the same day).
    """
    norm = normalise(text)
    signs: list[str] = []
    for match in [*_TEMPERATURE.finditer(norm), *_TEMPERATURE_BARE.finditer(norm), *_TEMPERATURE_SAID.finditer(norm)]:
        value = float(match.group(1).replace(",", "."))
        unit = (match.group(2) or "").replace(" ", "")
        if unit == "°f" or (95 <= value <= 110 and unit != "°c"):
            value = (value - 32) * 5 / 9
        if 38.0 <= value <= 43.0:
            signs.append("høy feber" if value >= 39.5 else "feber")
            break
    for match in _BLOOD_PRESSURE.finditer(norm):
        systolic, diastolic = int(match.group(1)), int(match.group(2))
        if 70 <= systolic <= 300 and 30 <= diastolic <= 200 and systolic > diastolic:
            if systolic >= 180 or diastolic >= 110:
                signs.append("blodtrykket over 180")
            elif systolic >= 140 or diastolic >= 90:
                signs.append("høyt blodtrykk")
            break
    breathing = _BREATHING_RATE.search(norm)
    if breathing:
        rate = int(breathing.group(1) or breathing.group(2))
        age = facts.age[0] if facts.age else None
        limit = 22 if age is None or age >= 12 * 12 else 50 if age < 12 else 40 if age < 60 else 30
        if limit <= rate <= 120:
            signs.append("puster fort")
    return signs
