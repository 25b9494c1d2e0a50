"""The Norwegian spaCy pipelines (issue 7): conversion, splits, the committed pipelines, tiny training."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import spacy
from click.testing import CliRunner
from spacy.tokens import DocBin

from assistant.nlp import NORNE, PIPELINES, pipeline_name
from assistant.nlp.convert import convert, guess_spaces
from assistant.nlp.splits import split
from helseinfo.cli import main
from helseinfo.kernel.paths import PROJECT

needs_norne = pytest.mark.skipif(not (NORNE / "nob").is_dir(), reason="NorNE is not in ../shared/data")

#: A hand-written NDT sample: copula, perfect auxiliary, main-verb "ha", numbers, names, punctuation.
SAMPLE = """\
1	Kari	Kari	subst	subst	prop	2	SUBJ	_	name=B-PER
2	er	være	verb	verb	pres	0	FINV	_	name=O
3	syk	syk	adj	adj	m/f|ub|ent|pos	2	SPRED	_	name=O
4	.	$.	clb	clb	<punkt>	2	IP	_	name=O

1	Hun	hun	pron	pron	fem|ent|3|pers|nom	2	SUBJ	_	name=O
2	har	ha	verb	verb	pres	0	FINV	_	name=O
3	hatt	ha	verb	verb	perf-part	2	INFV	_	name=O
4	to	to	det	det	kvant|fl	5	DET	_	name=O
5	hodepiner	hodepine	subst	subst	appell|mask|ub|fl	3	DOBJ	_	name=O
6	i	i	prep	prep	_	3	ADV	_	name=O
7	Trondheim	Trondheim	subst	subst	prop	6	PUTFYLL	_	name=B-GPE_LOC
8	,	$,	<komma>	<komma>	_	3	IK	_	name=O
9	og	og	konj	konj	<ikke-clb>	10	KONJ	_	name=O
10	har	ha	verb	verb	pres	2	KOORD	_	name=O
11	en	en	det	det	kvant|mask|ent	12	DET	_	name=O
12	fastlege	fastlege	subst	subst	appell|mask|ub|ent	10	DOBJ	_	name=O
13	som	som	sbu	sbu	_	15	SBU	_	name=O
14	å	å	inf-merke	inf-merke	_	15	INFV	_	name=O
15	ringe	ringe	verb	verb	inf	12	ATR	_	name=O
16	St.	St.	subst	subst	prop	17	FLAT	_	name=B-ORG
17	Olavs	Olavs	subst	subst	prop	15	DOBJ	_	name=I-ORG
18	.	$.	clb	clb	<punkt>	2	IP	_	name=O

1	Den	den	pron	pron	mask|fem|ent|pers|3	2	SUBJ	_	name=O
2	hjelper	hjelpe	verb	verb	pres	0	FINV	_	name=O
3	.	$.	clb	clb	<punkt>	2	IP	_	name=O
"""


def converted(tmp_path, text=SAMPLE):
    source = tmp_path / "xx001_0000.conll"
    source.write_text(text, encoding="utf-8")
    words = convert([source], tmp_path / "sample.spacy")
    docs = list(DocBin().from_disk(tmp_path / "sample.spacy").get_docs(spacy.blank("nb").vocab))
    return words, docs


def test_conversion_maps_ndt_tags_to_ud(tmp_path):
    words, docs = converted(tmp_path)
    assert words == 25 and len(docs) == 1
    doc = docs[0]
    pos = [t.pos_ for t in doc]
    assert pos == [
        "PROPN",
        "AUX",
        "ADJ",
        "PUNCT",
        "PRON",
        "AUX",
        "VERB",
        "NUM",
        "NOUN",
        "ADP",
        "PROPN",
        "PUNCT",
        "CCONJ",
        "VERB",
        "DET",
        "NOUN",
        "SCONJ",
        "PART",
        "VERB",
        "PROPN",
        "PROPN",
        "PUNCT",
        "PRON",
        "VERB",
        "PUNCT",
    ]
    assert [t.tag_ for t in doc][:4] == ["subst", "verb", "adj", "clb"]
    by_text = {t.text: t for t in doc}
    assert str(by_text["hodepiner"].morph) == "Definite=Ind|Gender=Masc|Number=Plur"
    assert str(by_text["Hun"].morph) == "Case=Nom|Gender=Fem|Number=Sing|Person=3|PronType=Prs"
    assert str(by_text["er"].morph) == "Mood=Ind|Tense=Pres|VerbForm=Fin"
    assert str(by_text["hatt"].morph) == "VerbForm=Part"
    assert str(by_text["to"].morph) == "NumType=Card"
    assert str(by_text["syk"].morph) == "Definite=Ind|Degree=Pos|Gender=Fem,Masc|Number=Sing"
    assert str(by_text["Den"].morph) == "Gender=Fem,Masc|Number=Sing|Person=3|PronType=Prs"
    assert by_text["hodepiner"].lemma_ == "hodepine"
    assert doc[3].lemma_ == "." and by_text[","].lemma_ == ","
    assert [t.dep_ for t in doc[:3]] == ["SUBJ", "FINV", "SPRED"]
    assert doc[0].head.i == 1 and doc[1].head.i == 1 and by_text["hodepiner"].head.text == "hatt"
    assert [(e.text, e.label_) for e in doc.ents] == [("Kari", "PER"), ("Trondheim", "GPE_LOC"), ("St. Olavs", "ORG")]
    assert next(s.text for s in doc.sents) == "Kari er syk."
    assert "Trondheim, og har" in doc.text


def test_spaces_are_guessed_around_punctuation():
    words = ["Han", "sa", '"', "nei", '"', "(", "i", "går", ")", ":", "«", "ja", "»", "."]
    text = "".join(w + (" " if space else "") for w, space in zip(words, guess_spaces(words)))
    assert text == 'Han sa "nei" (i går): «ja». '


def test_bad_conll_is_a_clean_error(tmp_path):
    from helseinfo.kernel.errors import HelseinfoError

    with pytest.raises(HelseinfoError, match=r"xx001_0000.conll:1: forventet 10 kolonner"):
        converted(tmp_path, "1\tKari\tKari\n")


@needs_norne
def test_bokmal_split_is_the_ud_split():
    parts = split("nb", NORNE / "nob")
    assert [len(parts[name]) for name in ("train", "dev", "test")] == [180, 26, 26]
    names = {name: {p.stem for p in paths} for name, paths in parts.items()}
    assert "kk006_0000" in names["train"] and "kk006_0001" in names["dev"]
    assert {"ap014_0003", "ap015_0002", "vg002_0005", "st005_0004"} <= names["test"]


@needs_norne
def test_nynorsk_split_is_deterministic_and_about_80_10_10():
    parts = split("nn", NORNE / "nno")
    assert parts == split("nn", NORNE / "nno")
    sizes = [len(parts[name]) for name in ("train", "dev", "test")]
    assert sum(sizes) == 199 and sizes == [158, 19, 22]
    assert not set(parts["train"]) & set(parts["test"])


def committed(lang):
    path = PIPELINES / pipeline_name(lang)
    if not (path / "meta.json").is_file():
        pytest.fail(f"{path} is missing: run 'helseinfo nlp train --lang {lang}'")
    return path


@pytest.fixture(scope="module", params=["nb", "nn"])
def pipeline(request):
    return request.param, spacy.load(committed(request.param))


def test_committed_pipelines_load_parse_and_carry_their_scores(pipeline):
    lang, nlp = pipeline
    text = {"nb": "Kari Nordmann bor i Trondheim og har vondt i magen.", "nn": "Kari Nordmann bur i Trondheim og har vondt i magen."}[lang]
    doc = nlp(text)
    assert nlp.pipe_names == ["tok2vec", "morphologizer", "trainable_lemmatizer", "health_lemmas", "parser", "ner"]
    assert [t.pos_ for t in doc][-3:] == ["ADP", "NOUN", "PUNCT"] and doc[0].pos_ == "PROPN"
    assert doc[1].head.i in range(len(doc)) and any(t.dep_ for t in doc)
    assert ("Trondheim", "GPE_LOC") in [(e.text, e.label_) for e in doc.ents]
    meta = nlp.meta
    assert meta["name"] == "helse_sm" and meta["lang"] == lang
    assert meta["performance"]["pos_acc"] > 0.95 and meta["performance"]["lemma_acc"] > 0.95
    assert meta["performance"]["ents_f"] >= (0.70 if lang == "nb" else 0.6)
    path = committed(lang)
    assert sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) <= 15e6


HEALTH = {
    "nb": (
        "Hodepinen kom tilbake, og brystsmertene var verre enn smerten i går. Jeg har vondt i magen.",
        {"Hodepinen": "hodepine", "brystsmertene": "brystsmerte", "smerten": "smerte", "magen": "mage"},
    ),
    "nn": (
        "Hovudverken kom att, og brystsmertene var verre enn smerta i går. Eg har vondt i magen.",
        {"Hovudverken": "hovudverk", "brystsmertene": "brystsmerte", "smerta": "smerte", "magen": "mage"},
    ),
}


def test_health_words_lemmatise_right(pipeline):
    lang, nlp = pipeline
    text, expected = HEALTH[lang]
    doc = nlp(text)
    lemmas = {t.text: t.lemma_ for t in doc}
    assert {word: lemmas[word] for word in expected} == expected
    tail = [(t.text, t.lemma_) for t in doc][-5:]
    assert tail[:2] == [("har", "ha"), ("vondt", "vond")] and tail[2:] == [("i", "i"), ("magen", "mage"), (".", ".")]


def test_pipeline_loads_by_relative_path_in_a_fresh_process_and_in_rasa():
    committed("nb")
    code = (
        "import spacy, sys\n"
        "from rasa.nlu.utils.spacy_utils import SpacyNLP\n"
        "nlp = spacy.load('assistant/nlp/pipelines/nb_helse_sm')\n"
        "print([t.lemma_ for t in nlp('Hodepinen er verst om morgenen.')])\n"
        "model = SpacyNLP.load_model('assistant/nlp/pipelines/nn_helse_sm')\n"
        "SpacyNLP.ensure_proper_language_model(model.model)\n"
        "print(model.model.meta['lang'], model.model.pipe_names)\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    assert lines[-2].startswith("['hodepine', 'være'")
    assert lines[-1].startswith("nn [") and "parser" not in lines[-1]


@needs_norne
@pytest.mark.slow
def test_training_runs_end_to_end_on_a_tiny_slice(tmp_path):
    """The default: the pipeline on bokmål, then the NER alone on bokmål + nynorsk, copied in."""
    args = [
        "nlp",
        "train",
        "--lang",
        "nb",
        "--limit-files",
        "2",
        "--max-steps",
        "20",
        "--out",
        str(tmp_path / "out"),
        "--work",
        str(tmp_path / "work"),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    path = tmp_path / "out" / "nb_helse_sm"
    nlp = spacy.load(path)
    assert nlp.pipe_names == ["tok2vec", "morphologizer", "trainable_lemmatizer", "health_lemmas", "parser", "ner"]
    assert nlp("Hodepinen")[0].lemma_ == "hodepine" and nlp.get_pipe("ner").labels
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    assert meta["helseinfo"]["limit_files"] == 2 and meta["helseinfo"]["ner_train"] == "both"
    assert "pos_acc" in meta["performance"] and "ents_f" in meta["performance"]
    assert set(meta["helseinfo"]["training_seconds_per_run"]) == {"pipeline", "ner"}
    assert "nb ner_train: 2 nb- + 2 nn-filer" in result.output and "nb_helse_sm: POS" in result.output
    assert (tmp_path / "work" / "nb" / "run-ner" / "model-best").is_dir()


@needs_norne
def test_ner_training_files_are_both_standards_training_files_and_nothing_else(tmp_path):
    from assistant.nlp.train import prepare
    from helseinfo.kernel.errors import HelseinfoError

    paths = prepare("nn", tmp_path, limit_files=3, ner_train="both")
    vocab = spacy.blank("nb").vocab

    def texts(path):
        return [doc.text for doc in DocBin().from_disk(path).get_docs(vocab)]

    other = tmp_path / "nb_train.spacy"
    convert(split("nb", NORNE / "nob")["train"][:3], other)
    ner_train = texts(paths["ner_train"])
    assert ner_train == texts(paths["train"]) + texts(other)
    held_out = set(texts(paths["dev"])) | set(texts(paths["test"]))
    assert held_out and not held_out & set(ner_train)
    with pytest.raises(HelseinfoError, match="ukjent NER-trening"):
        prepare("nb", tmp_path, limit_files=1, ner_train="all")


def test_missing_data_and_pipeline_are_clean_one_line_errors(tmp_path):
    env = {**os.environ, "HELSEINFO_SHARED_DATA": str(tmp_path / "nowhere")}
    cases = {
        "fant ikke NorNE-mappen": ["nlp", "train", "--lang", "nb", "--work", str(tmp_path / "w")],
        "fant ingen pipeline": ["nlp", "evaluate", "--lang", "nn", "--pipelines", str(tmp_path)],
    }
    for message, args in cases.items():
        result = subprocess.run(
            [sys.executable, "-c", "from helseinfo.cli import main; main()", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=300,
        )
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        errors = [line for line in result.stderr.splitlines() if line.startswith("Feil:")]
        assert len(errors) == 1 and message in errors[0], result.stderr[-2000:]
