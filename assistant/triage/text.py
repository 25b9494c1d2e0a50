"""Text matching for care-card criteria: normalising, stemming, typo tolerance, negation.

A phrase matches when its words occur in order as consecutive words of the text, each word
matching when the two are equal, share a Norwegian Snowball stem, or (for words of six
letters or more) differ by one edit (``hodepinne`` → ``hodepine``). An occurrence is negated
when a negation word stands shortly before it in the same clause (``ikke vondt i brystet``,
``ingen feber``, ``no chest pain``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from whoosh.lang import stemmer_for_language

from helseinfo.kernel.text import normalise, within_one_edit

_stem = stemmer_for_language("no")
#: Short function words that match only themselves (their stems collide with content words).
FUNCTION_WORDS = frozenset(
    [
        "dem",
        "den",
        "det",
        "de",
        "dei",
        "han",
        "ham",
        "hun",
        "ho",
        "seg",
        "meg",
        "deg",
        "oss",
        "man",
        "men",
        "for",
        "fra",
        "frå",
        "med",
        "til",
        "som",
        "var",
        "har",
        "kan",
        "vil",
        "skal",
        "er",
        # modal and helping verbs: "wish I could just disappear" is a wish next to its object
        "kunne",
        "skulle",
        "ville",
        "could",
        "would",
        "should",
        "was",
        "were",
        "be",
        "just",
        "if",
        # the writer, like the other pronouns: "lettere om jeg bare ikke fantes"
        "jeg",
        "eg",
        "æ",
        "en",
        "ei",
        "et",
        "eit",
        "i",
        "på",
        "av",
        "at",
        "og",
        "om",
        "å",
        "da",
        "no",
        "nå",
        "the",
        "and",
        "for",
        "with",
        "of",
        # intensifiers: "quite a lot of blood" is as near as "a lot of blood"
        "a",
        "an",
        "quite",
        "very",
        "really",
        "veldig",
        "ganske",
        "him",
        "her",
        "his",
        "them",
    ]
    # Words whose stem is another word's: "tunga" (the tongue) is not "tung" (heavy), "lite"
    # (little) is not "liter". They match only as written.
    + ["tunga", "tunge", "tungen", "tungene", "lite", "liten", "litt"]
    # Everyday words one letter from a sign's word: "cooking" is not "choking", "overalt"
    # (everywhere) not "overfalt" (assaulted), "drooling" not "drooping", "camping" not "cramping"
    + ["cooking", "cooked", "cooks", "overalt", "drooling", "drools", "dribbling", "camping"]
)
#: The shortest words that are matched with one typo.
TYPO_MIN = 7
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+", re.UNICODE)
#: Where a negation's reach ends. A comma only when a new clause starts after it:
#: "hjelper ikke, jeg har nyrestein" counts the stone; "ingen feber, frysninger" lists.
_CLAUSE_END = re.compile(
    r"[.;:!?]|,\s*(?:men|but|jeg|eg|han|hun|ho|vi|de|dei|det|i)\b|\bmen\b|\bbut\b|\bselv om\b|\bsjølv om\b|\bbortsett fra\b|\bexcept\b"
    # "og" with a new subject starts a new main clause: "klarer ikke å slutte og æ veit ikkje kæm
    # æ ska snakke med" (the speech there is not the sign's)
    r"|\bog\s+(?=(?:jeg|eg|æ|vi)\b)"
    # a comma before a finite verb starts a new clause: "ingen blemmer, føler meg ellers bra"
    r"|,\s*(?:ellers|elles|otherwise|føler|føles|kjenner|kjennes|kjenne|virker|verkar|spiser|drikker|drikk|feel|feels|seems|eats|drinks)\b"
)

NEGATIONS = frozenset(
    [
        "ikke",
        "ikkje",
        "ikkje",
        "inkje",
        "itj",
        "ittj",
        "ikk",
        "ikkj",
        "kje",  # the dialect clitic: "får'kje", "e'kje"
        "ingen",
        "inga",
        "ingi",
        "intet",
        "uten",
        "utan",
        "verken",
        "hverken",
        "korkje",
        "aldri",
        "nei",
        "not",
        "no",
        "without",
        "never",
        "none",
        "neither",
        "nor",
        "denies",
        "denied",
        "nothing",
        "ingenting",
    ]
)
#: Negations of a noun ("ingen feber", "uten blod", "no fever"). These reach past "eller"/"or":
#: "ingen feber eller frysninger", "no abdominal pain or fever" deny both. After a verb's negation
#: ("reagerer ikke eller puster dårlig") "eller" still starts something new.
NOUN_NEGATIONS = frozenset(
    ["ingen", "inga", "ingi", "uten", "utan", "verken", "hverken", "korkje", "no", "without", "neither", "nor", "denies", "denied"]
)
#: Negations that deny a whole list joined by "eller"/"or" ("aldri brått eller voldsomt", "nothing
#: going down my arm or jaw") but, like a verb's, stop at a comma: "nothing helps, he is gasping
#: for air" is gasping.
OR_REACHING = frozenset(["nothing", "ingenting", "aldri", "never"])
LIST_OR = frozenset(["eller", "or"])
#: How many words before a term a negation word still reaches.
NEGATION_WINDOW = 4
#: Words that end a negation's reach: "ikke feber og hoste" counts the cough. Reading too
#: little as negated errs on the safe side (a sign counted), never the other way.
SCOPE_END = frozenset(["og", "and", "samt", "eller", "or", "bare", "berre", "kun", "only", "just", "but"])
#: After a phrase that ends in a negation ("puster ikke"), these words mean the opposite of
#: the sign: "puster ikke tungt" is breathing without effort, not "not breathing".
QUALIFIED_NEGATION = frozenset(["tungt", "fort", "raskt", "hardt", "anstrengt", "mye", "mykje", "heavily", "fast", "hard"])
#: Words people put inside a phrase without changing it: "får nesten ikke frem ord".
FILLERS = frozenset(
    [
        "nesten",
        "litt",
        "helt",
        "heilt",
        "hele",
        "heile",
        "veldig",
        "svært",
        "så",
        "mye",
        "mykje",
        "ganske",
        "tydelig",
        "tydeleg",
        "plutselig",
        "plutseleg",
        "brått",
        "really",
        "just",
        "very",
        "quite",
    ]
) | frozenset(
    # a pronoun after the verb (Norwegian inversion): "kaster han opp", "stopper det ikke"
    ["han", "hun", "ho", "hen", "jeg", "eg", "æ", "du", "vi", "me", "dei", "de", "det", "he", "she"]
)
#: Words of a phrase that people leave out: "rød, hoven og øm" for "rød og hoven".
OPTIONAL_IN_PHRASE = frozenset(["og", "and"])
#: "stiv nakke" is also written "nakken er stiv": a two-word phrase may turn round a copula.
COPULAS = frozenset(
    ["er", "var", "ble", "blir", "blei", "vart", "vert", "har", "blitt", "vorte", "vore", "is", "was", "became", "become", "got"]
)
#: Words before a sign that make it something feared or to be prevented, not something that is
#: there: "redd han skulle bli dehydrert", "worries about dehydration". Only lower levels heed them:
#: a 113 sign counts even when it is only feared (the safe side).
HYPOTHETICAL = (
    ("skulle", "bli"),
    ("skal", "bli"),
    ("kunne", "bli"),
    ("kan", "bli"),
    ("unngå",),
    ("forebygge",),
    ("worried", "about"),
    ("worries", "about"),
    ("afraid", "of"),
    ("avoid",),
    ("prevent",),
)


_FOLD = str.maketrans({"å": "a", "æ": "e", "ø": "o", "é": "e", "è": "e", "ä": "e", "ö": "o", "ü": "u"})


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A word without æ, ø and å, as people type them on a foreign keyboard or in a hurry:
    "bevisstløs", "bevisstlos" and "bevisstloes" fold alike."""
    return word.replace("aa", "a").replace("ae", "e").replace("oe", "o").translate(_FOLD)


@dataclass(frozen=True)
class Token:
    text: str
    stem: str
    start: int
    clause: int


class Tokens(list[Token]):
    """The words of one text, remembering where each term word matches (a text is matched
    against thousands of phrases, most of whose first words are not in it at all)."""

    # Set by ``tokenize`` (pauses, source) and the engine (language, possible_signs); read with
    # getattr and a default where a plain list of tokens may come instead.
    pauses: set[int]  # indices of words right after a comma or dash
    source: str  # the normalised text the offsets point into
    language: str
    mixed: bool  # Norwegian and English in one message
    possible_signs: set[str]
    _vocabulary: set[str]
    _variants: set[str]
    _heads: set[str]

    def may_start(self, word: Token) -> bool:
        """A cheap, exact pre-check: could ``word`` match any word of the text?"""
        cache: dict[str, bool] = self.__dict__.setdefault("_may_start", {})
        if word.text not in cache:
            if "_vocabulary" not in self.__dict__:
                self._vocabulary = {t.text for t in self} | {t.stem for t in self} | {fold(t.text) for t in self}
                self._variants = set().union(*(_deletions(fold(t.text)) for t in self if len(t.text) >= TYPO_MIN))
                # Compound heads: every ending of eight letters or more of a word of the text.
                self._heads = {t.text[i:] for t in self if len(t.text) >= 8 for i in range(len(t.text) - 7)}
            long_word = len(word.text) >= TYPO_MIN
            cache[word.text] = (
                word.text in self._vocabulary
                or word.stem in self._vocabulary
                or fold(word.text) in self._vocabulary
                or (long_word and not _deletions(fold(word.text)).isdisjoint(self._variants))
                or (len(word.text) >= 8 and word.text in self._heads)
            )
        return cache[word.text]

    def positions(self, word: Token) -> list[int]:
        cache: dict[str, list[int]] = self.__dict__.setdefault("_positions", {})
        if word.text not in cache:
            cache[word.text] = [i for i, t in enumerate(self) if _word_matches(word.text, word.stem, t.text, t.stem)]
        return cache[word.text]


#: English negations written short, with or without the apostrophe ("don't", "dont", "isn't"),
#: read as the two words they stand for, so "he doesnt breathe" is "does not breathe" and "I don't
#: have chest pain" is negated like "I do not have chest pain".
_NOT = {
    "can't": "can not", "cant": "can not", "won't": "will not", "wont": "will not", "ain't": "is not",
    "don't": "do not", "dont": "do not", "doesn't": "does not", "doesnt": "does not", "didn't": "did not",
    "didnt": "did not", "isn't": "is not", "isnt": "is not", "aren't": "are not", "arent": "are not",
    "wasn't": "was not", "wasnt": "was not", "weren't": "were not", "werent": "were not",
    "couldn't": "could not", "couldnt": "could not", "wouldn't": "would not", "wouldnt": "would not",
    "shouldn't": "should not", "shouldnt": "should not", "hasn't": "has not", "hasnt": "has not",
    "haven't": "have not", "havent": "have not", "hadn't": "had not", "hadnt": "had not",
}  # fmt: skip
_NOT_RE = re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(w) for w in sorted(_NOT, key=len, reverse=True)) + r")(?![\w'])")
#: Words that mean one thing together, read as that thing before any sign is looked for: English
#: compounds written as two words whose first word is a sign of its own ("cold sores" are not
#: cold, "fever blisters" not a fever: one word, as the vocabulary writes them), and idioms whose
#: words would each be read as a sign.
_COMPOUNDS = {
    "cold sore": "coldsore",
    "cold sores": "coldsores",
    "fever blister": "feverblister",
    "fever blisters": "feverblisters",
    # "mellom beina" is the crotch, not the legs ("nummen mellom beina" is no numb leg)
    "mellom beina": "skrittet",
    "mellom beinan": "skrittet",
    "mellom bena": "skrittet",
    "between my legs": "crotch",
    "between the legs": "crotch",
    "between her legs": "crotch",
    "between his legs": "crotch",
    # refusing to talk is no loss of speech: "she won't talk" (read "refuses to talk")
    "will not talk": "refuses to talk",
    "won't talk": "refuses to talk",
    "wont talk": "refuses to talk",
    # a feeling, not water: "I feel like I'm drowning" (read "overwhelmed")
    "feel like im drowning": "feel overwhelmed",
    "feel like i am drowning": "feel overwhelmed",
    "feel like i'm drowning": "feel overwhelmed",
    "feels like drowning": "feels overwhelming",
}
_COMPOUND_RE = re.compile(r"\b(?:" + "|".join(sorted(_COMPOUNDS, key=len, reverse=True)) + r")\b")
#: A number with a unit of dose is a dose, not a count of tablets: "tatt 20 mg" is not "tatt 20".
_DOSE_RE = re.compile(r"\b(\d+(?:[.,]\d+)?)\s*(mg|milligram|mikrogram|mcg|µg|ml|g|gram)\b")
#: Cramps in a body part are muscle cramps, not seizures: "kramper nede i magen som ved mensen",
#: "krampe i leggen". Read as the compound ("magekramper"), which the seizure sign does not name.
_CRAMP_RE = re.compile(
    r"\b(?:kramper|krampe|krampa|krampar|kramp|cramps?)\s+(?:(?:nede|langt nede|low|down)\s+)?(?:i|in)\s+(?:the\s+|my\s+)?"
    r"(mage|magen|underlivet|leggen|leggene|leggane|låret|lårene|foten|føttene|tåa|tærne|beinet|stomach|belly|tummy|calf|calves|leg|foot)\b"
)
#: Other English written without its apostrophe ("im", "ive", "shes"): split where the apostrophe
#: would be, so they read as "i'm", "i've", "she's" do. "hes" only in English text (in Norwegian
#: it is hoarse); never "its".
_NO_APOSTROPHE = {"im": 1, "ive": 1, "shes": 3, "theyre": 4, "youre": 3}
_NO_APOSTROPHE_EN = {**_NO_APOSTROPHE, "hes": 2}


def tokenize(text: str, english: bool = False) -> Tokens:
    """Words of a text with their stems, character offsets and clause number; ``english``: the
    text is English, so "hes" is "he's"."""
    split = _NO_APOSTROPHE_EN if english else _NO_APOSTROPHE
    text = _NOT_RE.sub(lambda m: _NOT[m.group()], normalise(text))
    text = _COMPOUND_RE.sub(lambda m: _COMPOUNDS[m.group()], text)
    text = _CRAMP_RE.sub(lambda m: m.group(1) + "kramper", text)
    text = _DOSE_RE.sub(lambda m: m.group(2) + "dose", text)
    boundaries = [m.start() for m in _CLAUSE_END.finditer(text)]
    tokens = Tokens()
    tokens.pauses = set()  # indices of words right after a comma or dash
    tokens.source = text  # the normalised text the offsets point into
    clause, end = 0, 0
    for match in _TOKEN.finditer(text):
        while clause < len(boundaries) and boundaries[clause] < match.start():
            clause += 1
        word = match.group()
        gap = text[end : match.start()]
        # "hånd-, fot- og munnsykdom": a comma after a hyphen shortens a compound, no pause
        if tokens and re.search(r"[,–—]", gap) and not gap.startswith("-"):
            tokens.pauses.add(len(tokens))
        cut = split.get(word)
        for part, start in ((word[:cut], match.start()), (word[cut:], match.start() + cut)) if cut else ((word, match.start()),):
            tokens.append(Token(part, stem(part), start, clause))
        end = match.end()
    return tokens


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stem(word) if word.isalpha() else word


@lru_cache(maxsize=65536)
def phrase_tokens(phrase: str) -> tuple[Token, ...]:
    return tuple(tokenize(phrase))


@lru_cache(maxsize=65536)
def _deletions(word: str) -> frozenset[str]:
    """The word and every string one deletion away: two words within one edit share one."""
    return frozenset([word] + [word[:i] + word[i + 1 :] for i in range(len(word))])


@lru_cache(maxsize=262144)
def _word_matches(term: str, term_stem: str, word: str, word_stem: str) -> bool:
    if term in FUNCTION_WORDS or word in FUNCTION_WORDS:
        return term == word  # "dem" is not "demens", whatever the stemmer says
    if term == word or (term_stem == word_stem and len(term_stem) >= 3):
        return True
    if len(term) >= 3 and fold(term) == fold(word):
        return True  # "bevisstlos" for "bevisstløs"; not two-letter words ("åt" is not "at")
    # The stemmer cuts "feber" to "feb" but "feberen" to "feber": a word whose stem is the term
    # is an inflected form of it.
    if len(term) >= 4 and (word_stem == term or term_stem == word):
        return True
    if (term.startswith("u") and term[1:] == word) or (word.startswith("u") and word[1:] == term):
        return False  # "normalt" is not a typo of "unormalt": the prefix turns the meaning round
    # The head of a compound: "anfallsinhalatoren" is an "inhalatoren". Only long heads:
    # "magekramper" are not "kramper".
    if len(term) >= 8 and len(word) >= len(term) + 3 and word.endswith(term):
        return True
    # A typo rarely changes the first letter: "hodepinne" is "hodepine", "hoster" is not "zoster".
    # Only words of seven letters or more: shorter ones are too often another word one letter
    # away ("verker"/"virker", "hånden"/"hunden").
    return len(term) >= TYPO_MIN and len(word) >= TYPO_MIN and term[0] == word[0] and within_one_edit(fold(term), fold(word))


def word_matches(term: Token, word: Token) -> bool:
    """Equal, the same stem, the head of a compound, or one typo apart (words of seven letters or
    more, same first letter)."""
    return _word_matches(term.text, term.stem, word.text, word.stem)


@dataclass(frozen=True)
class Occurrence:
    phrase: str
    start: int  # token index
    negated: bool
    hypothetical: bool = False


def _match_at(wanted: tuple[Token, ...], tokens: Tokens, i: int) -> int | None:
    """If the phrase starts at token ``i`` (one filler word allowed between its words),
    the index after its last word; else ``None``."""
    j = i + 1
    pauses: set[int] = getattr(tokens, "pauses", set())
    comma_for_and = False  # "rød, hoven" for "rød og hoven": a comma may stand for a left-out "og"
    for word in wanted[1:]:
        if j in pauses and not comma_for_and and word.text not in OPTIONAL_IN_PHRASE:
            return None  # a phrase does not run on across a comma: "to dagar, litt hovudverk"
        comma_for_and = False
        if j < len(tokens) and word_matches(word, tokens[j]):
            j += 1
        elif j + 1 < len(tokens) and tokens[j].text in FILLERS and j + 1 not in pauses and word_matches(word, tokens[j + 1]):
            j += 2
        elif word.text in OPTIONAL_IN_PHRASE:
            comma_for_and = True
            continue  # "rød og hoven" is also written "rød, hoven"
        else:
            return None
    return j


def find(phrase: str, tokens: Tokens) -> list[Occurrence]:
    """Every occurrence of ``phrase`` in ``tokens``, each marked negated or not."""
    wanted = phrase_tokens(phrase)
    if not wanted:
        return []
    found = []
    for i in tokens.positions(wanted[0]):
        end = _match_at(wanted, tokens, i)
        if end is None:
            continue
        if wanted[-1].text in NEGATIONS and end < len(tokens) and tokens[end].text in QUALIFIED_NEGATION:
            continue
        found.append(Occurrence(phrase, i, is_negated(tokens, i), is_hypothetical(tokens, i)))
    if len(wanted) == 2 and wanted[0].text not in NEGATIONS:
        # "nakken er stiv" for "stiv nakke"; also "leggen har blitt hoven", "leggen har vorte hoven"
        for i in tokens.positions(wanted[1]):
            k = i + 1
            if k < len(tokens) and tokens[k].text in COPULAS:
                k += 1
                if k < len(tokens) and tokens[k].text in COPULAS:
                    k += 1
                if k < len(tokens) and tokens[k].text in FILLERS:
                    k += 1
                if k < len(tokens) and word_matches(wanted[0], tokens[k]):
                    found.append(Occurrence(phrase, i, is_negated(tokens, i), is_hypothetical(tokens, i)))
    return found


def negates(word: str, tokens: list[Token]) -> bool:
    """A negation word here: "no" only in English text (in Norwegian it is "now": "no e han hes",
    whether the text was read as nynorsk or as bokmål with dialect words)."""
    return word in NEGATIONS and (word != "no" or getattr(tokens, "language", None) == "en")


def is_negated(tokens: list[Token], index: int) -> bool:
    """A negation word within the window before ``index``, in the same clause."""
    clause = tokens[index].clause
    past_or = False
    for j in range(index - 1, max(-1, index - 1 - NEGATION_WINDOW), -1):
        if tokens[j].clause != clause:
            return False
        if tokens[j].text in LIST_OR:
            past_or = True
            continue
        if tokens[j].text in SCOPE_END:
            return False
        if negates(tokens[j].text, tokens):
            return not past_or or tokens[j].text in NOUN_NEGATIONS or tokens[j].text in OR_REACHING
    return False


def is_hypothetical(tokens: list[Token], index: int) -> bool:
    """A worry or a precaution just before ``index`` in the same clause ("redd han skulle bli …")."""
    clause = tokens[index].clause
    words = [t.text for t in tokens[max(0, index - NEGATION_WINDOW) : index] if t.clause == clause]
    return any(tuple(words[j : j + len(cue)]) == cue for cue in HYPOTHETICAL for j in range(len(words) - len(cue) + 1))


def match_any(phrases: list[str], tokens: Tokens, *, negatable: bool = True, hypothetical: bool = True) -> tuple[str | None, bool]:
    """The first phrase that occurs un-negated (or at all, if not negatable).

    Returns ``(phrase, False)`` for a positive match, ``(phrase, True)`` when the phrase occurs
    only negated, and ``(None, False)`` when none occurs. With ``hypothetical=False`` a feared or
    prevented sign ("redd han skulle bli dehydrert") counts as negated.
    """
    negated_hit = None
    for phrase in phrases:
        first = phrase_tokens(phrase)[:1]
        if not first or not tokens.may_start(first[0]):
            continue  # cheap rejection: most phrases share no word with the text
        for occurrence in find(phrase, tokens):
            if (not occurrence.negated or not negatable) and (hypothetical or not occurrence.hypothetical):
                return phrase, False
            negated_hit = phrase
    return (negated_hit, True) if negated_hit else (None, False)
