"""Spelling of bokmål and nynorsk with Debian's Hunspell dictionaries and the project's word list
(content_model.spelling), run by helseinfo check and here over the whole library."""

from __future__ import annotations

from pathlib import Path

from content_model.loader import collect_library
from content_model.spelling import WORD_LIST, spelling_problems, words_of
from helseinfo.kernel.paths import CONTENT
from tests.base import article, write_article

#: Plain pages in each written standard (the base article's texts are bokmål).
PAGE = {
    "nb": {"title": "Hodepine", "summary": "Hodepine er vanlig.", "language": "nb", "kind": "page"},
    "nn": {"title": "Hovudverk", "summary": "Hovudverk er vanleg.", "language": "nn", "kind": "page"},
}


def findings(content: Path) -> list[str]:
    library, _ = collect_library(content, codes=False)
    return [str(p).replace(f"{content}/", "") for p in spelling_problems(library)]


def write_word_list(content: Path, text: str) -> None:
    (content / WORD_LIST).parent.mkdir(parents=True, exist_ok=True)
    (content / WORD_LIST).write_text(text, encoding="utf-8")


def test_a_misspelt_word_is_reported_with_file_line_and_word(tmp_path):
    write_article(
        tmp_path, "nb/hodepine.md", article(), "## Om\n\nHodepine er vanlig.\nDet går ofte over av seg selv og er sjelden farlgi.\n"
    )
    assert findings(tmp_path) == ["nb/hodepine.md:53: stavekontroll: ukjent ord «farlgi» (nb_NO)"]


def test_front_matter_texts_are_checked_at_their_own_line(tmp_path):
    meta = article(title="Hodeipne")
    meta["care_card"]["gp"][0]["text"] = "Hodepine som har vart i mer enn en ukke."
    write_article(tmp_path, "nb/hodepine.md", meta)
    assert findings(tmp_path) == [
        "nb/hodepine.md:2: stavekontroll: ukjent ord «Hodeipne» (nb_NO)",
        "nb/hodepine.md:21: stavekontroll: ukjent ord «ukke» (nb_NO)",
    ]


def test_each_written_standard_has_its_own_dictionary(tmp_path):
    """'bleiknar' is nynorsk and 'blekner' bokmål: each is wrong only in the other standard."""
    write_article(tmp_path, "nb/hodepine.md", PAGE["nb"], "## Om\n\nPrikkene blekner ikke.\n")
    write_article(tmp_path, "nn/hodepine.md", PAGE["nn"], "## Om\n\nPrikkane blekner ikkje.\n")
    assert findings(tmp_path) == ["nn/hodepine.md:10: stavekontroll: ukjent ord «blekner» (nn_NO)"]


def test_the_word_list_adds_terms_and_rejects_forms_with_the_form_to_write(tmp_path):
    write_word_list(tmp_path, "[felles]\nkvalmestillende\n[nn-avvis]\nsmerter smertar\n-smerter -smertar\n")
    write_article(tmp_path, "nn/hodepine.md", PAGE["nn"], "## Om\n\nKvalmestillende medisin.\nSterke smerter og brystsmerter.\n")
    assert findings(tmp_path) == [
        "nn/hodepine.md:11: stavekontroll: «smerter»: skriv «smertar» (nn_NO)",
        "nn/hodepine.md:11: stavekontroll: «brystsmerter»: skriv «brystsmertar» (nn_NO)",
    ]


def test_code_addresses_link_targets_abbreviations_and_numbers_are_not_words():
    text = "Se [feber](../nb/feberr.md), https://nhi.no/xyzzy og `helseinfo chekc`; KOLS, HbA1c og covid-19, vepse- eller biegift."
    assert words_of(text) == ["Se", "feber", "og", "og", "eller", "biegift"]


def test_without_hunspell_the_check_says_what_to_install_instead_of_a_traceback(tmp_path, monkeypatch):
    write_article(tmp_path, "nb/hodepine.md", article())
    monkeypatch.setattr("content_model.spelling.shutil.which", lambda name: None)
    assert findings(tmp_path) == [
        f"{WORD_LIST}: stavekontroll: fant ikke hunspell med ordboken nb_NO: "
        "installer Debians hunspell og hunspell-no (apt-get install hunspell hunspell-no)"
    ]


def test_the_whole_library_is_spelt_right_in_both_written_standards():
    library, _ = collect_library(CONTENT, codes=False)
    assert [str(p) for p in spelling_problems(library)] == []
