"""NDT/NorNE CoNLL files → spaCy ``DocBin`` with UD part-of-speech tags.

A NorNE row has ten tab-separated columns::

    ID FORM LEMMA NDT-POS NDT-POS FEATS HEAD DEPREL _ name=B-PER

What each column becomes in spaCy:

* FORM → the word; spaces between words are guessed (no space before ``, . : ; ? ! ) »``,
  none after ``( «``), so the training text reads like running text.
* LEMMA → ``token.lemma_`` (punctuation's ``$.`` becomes the mark itself).
* NDT-POS and FEATS → ``token.pos_`` (UD) and ``token.morph`` (UD feature names); see
  ``ud_pos`` and ``ud_morph`` and the table in docs/nlp.md. The NDT tag is kept in ``token.tag_``.
* HEAD, DEPREL → ``token.head``, ``token.dep_`` with NDT's own labels (SUBJ, DOBJ, ADV, …).
* ``name=B-PER`` … → ``doc.ents`` with NorNE's labels (PER, ORG, LOC, GPE_LOC, GPE_ORG, PROD, EVT, DRV, MISC).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from helseinfo.kernel.errors import HelseinfoError

#: NDT part of speech → UD part of speech (exceptions in ``ud_pos``).
POS = {
    "subst": "NOUN",
    "verb": "VERB",
    "adj": "ADJ",
    "adv": "ADV",
    "prep": "ADP",
    "konj": "CCONJ",
    "sbu": "SCONJ",
    "inf-merke": "PART",
    "det": "DET",
    "pron": "PRON",
    "interj": "INTJ",
    "symb": "SYM",
    "ukjent": "X",
    "clb": "PUNCT",
    "<komma>": "PUNCT",
    "<strek>": "PUNCT",
    "<anf>": "PUNCT",
    "<parentes-beg>": "PUNCT",
    "<parentes-slutt>": "PUNCT",
}
PUNCT_POS = {tag for tag, ud in POS.items() if ud == "PUNCT"}

#: NDT feature → UD (feature, value). Bokmål and nynorsk spellings both (ent/eint, be/bu).
FEATS = {
    "mask": ("Gender", "Masc"),
    "fem": ("Gender", "Fem"),
    "nøyt": ("Gender", "Neut"),
    "m/f": ("Gender", "Fem,Masc"),
    "ent": ("Number", "Sing"),
    "eint": ("Number", "Sing"),
    "fl": ("Number", "Plur"),
    "ub": ("Definite", "Ind"),
    "be": ("Definite", "Def"),
    "bu": ("Definite", "Def"),
    "gen": ("Case", "Gen"),
    "nom": ("Case", "Nom"),
    "akk": ("Case", "Acc"),
    "pos": ("Degree", "Pos"),
    "komp": ("Degree", "Cmp"),
    "sup": ("Degree", "Sup"),
    "1": ("Person", "1"),
    "2": ("Person", "2"),
    "3": ("Person", "3"),
    "pers": ("PronType", "Prs"),
    "dem": ("PronType", "Dem"),
    "sp": ("PronType", "Int"),
    "res": ("PronType", "Rcp"),
    "refl": ("Reflex", "Yes"),
    "poss": ("Poss", "Yes"),
    "høflig": ("Polite", "Form"),
    "fork": ("Abbr", "Yes"),
    "inf": ("VerbForm", "Inf"),
    "perf-part": ("VerbForm", "Part"),
    "<perf-part>": ("VerbForm", "Part"),
    "<pres-part>": ("VerbForm", "Part"),
    "pass": ("Voice", "Pass"),
    "<ordenstall>": ("NumType", "Ord"),
    "<ordenstal>": ("NumType", "Ord"),
}
#: Finite verb forms set more than one feature.
VERB_FEATS = {
    "pres": {"Mood": "Ind", "Tense": "Pres", "VerbForm": "Fin"},
    "pret": {"Mood": "Ind", "Tense": "Past", "VerbForm": "Fin"},
    "imp": {"Mood": "Imp", "VerbForm": "Fin"},
}
#: Verbs that are always AUX in UD (copula), and those that are AUX when they head a verb chain (INFV).
AUX_ALWAYS = {"være", "vere"}
AUX_IN_CHAIN = {"ha", "bli", "verte", "kunne", "skulle", "ville", "vilje", "måtte", "burde"}
#: Cardinal number words (``det`` with ``kvant`` in NDT → NUM); "en/ein/ett/eitt" stay DET (article).
NUMBER_WORDS = set(
    [
        "én",
        "éin",
        "to",
        "tre",
        "fire",
        "fem",
        "seks",
        "sju",
        "syv",
        "åtte",
        "ni",
        "ti",
        "elleve",
        "tolv",
        "tretten",
        "fjorten",
        "femten",
        "seksten",
        "sytten",
        "atten",
        "nitten",
        "tjue",
        "tjuge",
        "tretti",
        "tredve",
        "førti",
        "femti",
        "seksti",
        "sytti",
        "åtti",
        "nitti",
        "hundre",
        "tusen",
        "tri",
    ]
)
NUMBER_RE = re.compile(r"^[0-9][0-9.,:/\-–]*$")
NO_SPACE_BEFORE = set(",.:;?!)]}»”…%") | {"...", ".."}
NO_SPACE_AFTER = set("([{«“")


def read_conll(path: Path) -> list[list[list[str]]]:
    """The sentences of one CoNLL file, each a list of ten-column rows."""
    sentences: list[list[list[str]]] = []
    rows: list[list[str]] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise HelseinfoError(f"{path}: kan ikke lese filen ({exc.strerror})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            if rows:
                sentences.append(rows)
            rows = []
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise HelseinfoError(f"{path}:{number}: forventet 10 kolonner, fant {len(cols)}")
        rows.append(cols)
    if rows:
        sentences.append(rows)
    return sentences


def ud_pos(ndt_pos: str, feats: set[str], lemma: str, form: str, heads_chain: bool) -> str:
    """The UD part of speech of one NDT token.

    ``heads_chain`` says whether the token has an infinite-verb (INFV) or predicative (SPRED)
    dependent, which makes ha/bli/modal verbs auxiliaries as in UD.
    """
    if ndt_pos == "subst":
        return "PROPN" if "prop" in feats else "NOUN"
    if ndt_pos == "verb":
        if lemma in AUX_ALWAYS or (lemma in AUX_IN_CHAIN and heads_chain):
            return "AUX"
        return "VERB"
    if ndt_pos == "det" and "kvant" in feats and (NUMBER_RE.match(form) or lemma.lower() in NUMBER_WORDS):
        return "NUM"
    return POS.get(ndt_pos, "X")


def ud_morph(ndt_pos: str, feats: set[str], pos: str) -> str:
    """UD morphological features (``Feat=Val|…``, sorted) from the NDT features.

    NDT gives some words two values of one feature (the pronoun *den*: ``mask|fem``); they
    become one UD multi-value (``Gender=Fem,Masc``), as ``m/f`` does.
    """
    values: dict[str, set[str]] = {}
    for feat in sorted(feats):
        pairs = VERB_FEATS[feat].items() if feat in VERB_FEATS and ndt_pos == "verb" else [FEATS.get(feat)]
        for pair in pairs:
            if pair:
                values.setdefault(pair[0], set()).update(pair[1].split(","))
    out = {key: ",".join(sorted(vals)) for key, vals in values.items()}
    if "refl" in feats or (ndt_pos == "det" and "poss" in feats):
        out["PronType"] = "Prs"
    if pos == "NUM":
        out = {"NumType": "Card"}
    if pos in {"ADP", "CCONJ", "SCONJ", "PART", "INTJ", "PUNCT", "SYM", "X"}:
        out = {k: v for k, v in out.items() if k == "Abbr"}
    return "|".join(f"{k}={v}" for k, v in sorted(out.items()))


def guess_spaces(words: list[str]) -> list[bool]:
    """Whether a space follows each word, guessed from punctuation (NDT has no such column)."""
    spaces = [True] * len(words)
    quote_open = False
    for i, word in enumerate(words):
        if word == '"':
            quote_open = not quote_open
            if quote_open:
                spaces[i] = False
            elif i > 0:
                spaces[i - 1] = False
            continue
        if word in NO_SPACE_BEFORE and i > 0:
            spaces[i - 1] = False
        if word in NO_SPACE_AFTER:
            spaces[i] = False
    return spaces


def sentence_tokens(rows: list[list[str]]) -> list[dict]:
    """The converted tokens of one sentence (heads relative to the sentence, 0-based)."""
    chain_heads = {int(r[6]) for r in rows if r[7] in {"INFV", "SPRED"}}
    tokens = []
    for cols in rows:
        ident, form, lemma, ndt_pos, _, feats, head, deprel, _, name = cols
        feat_set = set(feats.split("|")) - {"_"}
        pos = ud_pos(ndt_pos, feat_set, lemma, form, int(ident) in chain_heads)
        if ndt_pos in PUNCT_POS or (lemma.startswith("$") and len(lemma) > 1):
            lemma = form
        iob = name.split("=", 1)[1] if name.startswith("name=") else "O"
        tokens.append(
            {
                "word": form,
                "lemma": lemma,
                "pos": pos,
                "tag": ndt_pos,
                "morph": ud_morph(ndt_pos, feat_set, pos),
                "head": int(head) - 1,
                "dep": deprel,
                "iob": iob,
            }
        )
    return tokens


def fix_iob(tags: list[str]) -> list[str]:
    """Make IOB tags valid for spaCy: an ``I-X`` not preceded by ``B-X``/``I-X`` becomes ``B-X``."""
    fixed: list[str] = []
    for i, tag in enumerate(tags):
        if tag.startswith("I-") and (i == 0 or fixed[-1] == "O" or fixed[-1][2:] != tag[2:]):
            tag = "B-" + tag[2:]
        fixed.append(tag)
    return fixed


def sentences_to_doc(vocab, sentences: list[list[list[str]]]):
    """One spaCy ``Doc`` holding several sentences, with all annotation layers set."""
    from spacy.tokens import Doc

    tokens: list[dict] = []
    heads: list[int] = []
    for rows in sentences:
        offset = len(tokens)
        for token in sentence_tokens(rows):
            heads.append(offset + token["head"] if token["head"] >= 0 else len(tokens))
            tokens.append(token)
    words = [t["word"] for t in tokens]
    return Doc(
        vocab,
        words=words,
        spaces=guess_spaces(words),
        tags=[t["tag"] for t in tokens],
        pos=[t["pos"] for t in tokens],
        morphs=[t["morph"] for t in tokens],
        lemmas=[t["lemma"] for t in tokens],
        heads=heads,
        deps=[t["dep"] for t in tokens],
        ents=fix_iob([t["iob"] for t in tokens]),
    )


def files_to_docs(vocab, files: Iterable[Path], n_sents: int = 10) -> Iterator:
    """``Doc`` objects of ``n_sents`` sentences each, file by file (a doc never spans two files)."""
    for path in files:
        sentences = read_conll(path)
        for start in range(0, len(sentences), n_sents):
            yield sentences_to_doc(vocab, sentences[start : start + n_sents])


def convert(files: Iterable[Path], out: Path, lang: str = "nb", n_sents: int = 10) -> int:
    """Write the files as a spaCy ``DocBin`` to ``out``; returns the number of words."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank(lang)
    docbin = DocBin(store_user_data=False)
    words = 0
    for doc in files_to_docs(nlp.vocab, files, n_sents):
        docbin.add(doc)
        words += len(doc)
    out.parent.mkdir(parents=True, exist_ok=True)
    docbin.to_disk(out)
    return words
