"""The content model: front matter schema, exact error messages, cross-file checks."""

from __future__ import annotations

import pytest

from content_model import load_library
from content_model.loader import load_article
from helseinfo.kernel.errors import ContentError
from tests.base import AKUTT, article, write_article

CODES = {"N01": "Hodepine", "A03": "Feber", "A11": "Brystsmerter IKA"}


def problems_of(tmp_path, meta, src="nb/hodepine.md", codes=CODES):
    write_article(tmp_path, src, meta)
    with pytest.raises(ContentError) as info:
        load_library(tmp_path, codes=codes, display_root=tmp_path)
    return [str(p) for p in info.value.problems]


def test_valid_article_loads_with_care_card_levels_in_order(tmp_path):
    write_article(tmp_path, "nb/hodepine.md", article())
    library = load_library(tmp_path, codes=CODES)
    card = library.get("nb/hodepine.md").meta.care_card
    assert [level for level, _ in card.levels()] == ["emergency", "gp", "self_care"]
    assert library.get("nb/hodepine.md").url == "nb/hodepine/"


def test_missing_title_names_file_line_key_and_expectation(tmp_path):
    assert problems_of(tmp_path, article(title=None)) == ["nb/hodepine.md:2: title: mangler (påkrevd)"]


def test_unknown_key_is_an_error_not_ignored(tmp_path):
    assert problems_of(tmp_path, article(synonymer=["x"])) == ["nb/hodepine.md:48: synonymer: ukjent nøkkel"]


def test_wrong_language_lists_the_allowed_values(tmp_path):
    assert problems_of(tmp_path, article(language="en")) == ["nb/hodepine.md:4: language: forventet en av: nb, nn"]


def test_bad_date_in_review_points_at_its_line(tmp_path):
    meta = article()
    meta["review"]["next_review"] = "neste år"
    assert problems_of(tmp_path, meta) == ["nb/hodepine.md:47: review.next_review: forventet en dato på formen ÅÅÅÅ-MM-DD"]


def test_criterion_without_a_rule_is_rejected_at_the_criterion(tmp_path):
    meta = article()
    del meta["care_card"]["emergency"][0]["terms"]
    assert problems_of(tmp_path, meta) == [
        "nb/hodepine.md:14: care_card.emergency[0]: forventet signs (eller terms), eller et kriterium med samme id i bokmålsversjonen"
    ]


def test_approved_without_a_registered_reviewer_and_fingerprint_is_rejected(tmp_path):
    meta = article()
    meta["review"]["status"] = "approved"
    assert problems_of(tmp_path, meta) == [
        "nb/hodepine.md:43: review: reviewer og approved_hash er påkrevd når status er approved (bruk helseinfo review approve)"
    ]


def test_same_criterion_id_on_two_levels_is_rejected(tmp_path):
    meta = article()
    meta["care_card"]["self_care"][0]["id"] = "lenge"
    assert problems_of(tmp_path, meta) == ["nb/hodepine.md:12: care_card: kriteriet 'lenge' står både under gp og self_care"]


def test_symptom_with_a_single_level_is_rejected(tmp_path):
    meta = article()
    meta["care_card"] = {"gp": meta["care_card"]["gp"]}
    assert problems_of(tmp_path, meta) == ["nb/hodepine.md:2: et symptom-kort må ha minst to nivåer, så leseren ser forskjellen"]


def test_unknown_icpc2_code_is_rejected_against_the_official_list(tmp_path):
    assert problems_of(tmp_path, article(icpc2=["N01", "Z99"])) == ["nb/hodepine.md:9: icpc2[1]: ukjent ICPC-2-kode 'Z99'"]


def test_malformed_icpc2_code_says_what_a_code_looks_like(tmp_path):
    assert problems_of(tmp_path, article(icpc2=["hodepine"])) == [
        "nb/hodepine.md:8: icpc2[0]: forventet en ICPC-2-kode som 'A03' (bokstav og to eller tre sifre)"
    ]


def test_translation_must_point_back(tmp_path):
    write_article(tmp_path, "nn/hovudverk.md", article(language="nn", translation="nb/annen.md"))
    assert problems_of(tmp_path, article(translation="nn/hovudverk.md")) == [
        "nb/hodepine.md:48: translation: nn/hovudverk.md peker ikke tilbake hit (forventet translation: nb/hodepine.md)",
        "nn/hovudverk.md:48: translation: fant ikke nb/annen.md",
    ]


def test_missing_front_matter_and_bad_yaml_are_clean_errors(tmp_path):
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "tom.md").write_text("# Bare tekst\n", encoding="utf-8")
    (tmp_path / "nb" / "feil.md").write_text("---\ntitle: [uavsluttet\n---\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_library(tmp_path, codes=CODES, display_root=tmp_path)
    messages = [str(p) for p in info.value.problems]
    assert messages[1] == "nb/tom.md:1: mangler front matter: filen må starte med en linje '---'"
    assert messages[0].startswith("nb/feil.md:3: ugyldig YAML:")


def test_all_problems_in_all_files_are_reported_together(tmp_path):
    write_article(tmp_path, "nb/a.md", article(title=None))
    write_article(tmp_path, "nb/b.md", article(summary=None))
    with pytest.raises(ContentError) as info:
        load_library(tmp_path, codes=CODES, display_root=tmp_path)
    assert [p.file for p in info.value.problems] == ["nb/a.md", "nb/b.md"]


def test_plain_page_needs_only_title_summary_language(tmp_path):
    path = write_article(tmp_path, "om.md", {"title": "Om", "summary": "Om oss.", "language": "nb", "kind": "page"})
    assert not load_article(path, tmp_path).is_article


def test_akutt_card_is_found_per_language_with_bokmaal_fallback(tmp_path):
    write_article(tmp_path, "nb/akutt.md", AKUTT)
    write_article(tmp_path, "nb/hodepine.md", article())
    library = load_library(tmp_path, codes=CODES)
    assert library.akutt("nn").src_path == "nb/akutt.md"


def test_a_source_may_record_the_date_the_page_shows_and_a_note(tmp_path):
    meta = article(
        sources=[
            {
                "title": "Hodepine",
                "publisher": "Norsk helseinformatikk",
                "url": "https://nhi.no/symptomer/hode-og-nerver/hodepine/",
                "date": "2023-01-03",
                "note": "lagret kopi fra 2023",
            }
        ]
    )
    write_article(tmp_path, "nb/hodepine.md", meta)
    source = load_library(tmp_path, codes=CODES).get("nb/hodepine.md").meta.sources[0]
    assert str(source.date) == "2023-01-03" and source.note == "lagret kopi fra 2023"


@pytest.mark.parametrize(
    "url, front",
    [
        ("https://www.helsenorge.no/", True),
        ("https://nhi.no", True),
        ("https://www.helsenorge.no/nn/", True),
        ("https://www.helsenorge.no/en", True),
        ("https://www.helsenorge.no/sykdom/hjerneslag/", False),
        ("https://nhi.no/symptomer/feber/", False),
    ],
)
def test_front_page_is_an_empty_path_a_slash_or_only_a_language_prefix(url, front):
    from content_model.sources import is_front_page

    assert is_front_page(url) is front


def test_a_front_page_source_is_one_norwegian_error_naming_file_and_line(tmp_path):
    from content_model.sources import front_page_problems

    meta = article(
        sources=[
            {"title": "Hodepine", "publisher": "Norsk helseinformatikk", "url": "https://nhi.no/symptomer/hode-og-nerver/hodepine/"},
            {"title": "Hodepine", "publisher": "Helsenorge", "url": "https://www.helsenorge.no/"},
        ]
    )
    path = write_article(tmp_path, "nb/hodepine.md", meta)
    library = load_library(tmp_path, codes=CODES, display_root=tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    line = lines.index("  url: https://www.helsenorge.no/") + 1
    assert [str(p) for p in front_page_problems(library)] == [
        f"nb/hodepine.md:{line}: sources[1].url: «https://www.helsenorge.no/» er forsiden til www.helsenorge.no, "
        "ikke siden som støtter teksten: lenk til selve siden du har lest, eller fjern kilden"
    ]


def test_icd10_codes_are_checked_against_the_icd10_code_list_not_only_their_shape(tmp_path):
    assert problems_of(tmp_path, article(icd10=["R51", "R51.99", "r51", "J40-J47"])) == [
        "nb/hodepine.md:50: icd10[1]: ukjent ICD-10-kode 'R51.99' (finnes ikke i ICD-10-kodelisten)",
        "nb/hodepine.md:51: icd10[2]: forventet en ICD-10-kode som 'E11' eller 'M54.5' "
        "(stor bokstav, to sifre, eventuelt punktum og ett eller to sifre), ikke 'r51'",
        "nb/hodepine.md:52: icd10[3]: forventet en ICD-10-kode som 'E11' eller 'M54.5' "
        "(stor bokstav, to sifre, eventuelt punktum og ett eller to sifre), ikke 'J40-J47'",
    ]


def test_shipped_nynorsk_twins_carry_the_same_icd10_codes_as_bokmal():
    from pathlib import Path

    library = load_library(Path(__file__).resolve().parent.parent / "content")
    coded = [a for a in library.library_articles("nb") if a.meta.icd10]
    assert len(coded) >= 60
    for nb in coded:
        nn = library.translation_of(nb)
        assert nn is None or nn.meta.icd10 == nb.meta.icd10, nb.src_path
    assert library.get("nb/diabetes-type-2.md").meta.icd10 == ["E11"]


def test_a_concept_lists_each_word_once_per_language():
    """A word listed twice is how a bad edit shows (two lists run together, words glued)."""
    import pydantic

    from content_model.signs import ConceptWords

    with pytest.raises(pydantic.ValidationError, match="står mer enn én gang: sterk"):
        ConceptWords(nb=["sterk", "kraftig", "sterk"], nn=["sterk"], en=["severe"])


# ---------------------------------------------------------------- former slugs (renamed articles)


def test_a_renamed_article_lists_its_old_addresses_in_its_own_language_folder(tmp_path):
    write_article(tmp_path, "nb/hodepine.md", article(former_slugs=["vondt-i-hodet"]))
    write_article(tmp_path, "nn/hovudverk.md", article(language="nn", former_slugs=["hovudpine", "vondt-i-hovudet"]))
    library = load_library(tmp_path, codes=CODES)
    assert library.get("nb/hodepine.md").former_urls == ["nb/vondt-i-hodet/"]
    assert library.get("nn/hovudverk.md").former_urls == ["nn/hovudpine/", "nn/vondt-i-hovudet/"]


def test_a_nynorsk_twin_may_keep_the_same_former_slug_as_its_bokmal_article(tmp_path):
    write_article(tmp_path, "nb/hodepine.md", article(former_slugs=["vondt-i-hodet"], translation="nn/hodepine.md"))
    write_article(tmp_path, "nn/hodepine.md", article(language="nn", former_slugs=["vondt-i-hodet"], translation="nb/hodepine.md"))
    assert load_library(tmp_path, codes=CODES)


def test_a_former_slug_that_is_a_current_article_is_one_problem_naming_the_file_and_the_slug(tmp_path):
    write_article(tmp_path, "nb/migrene.md", article(title="Migrene"))
    path = write_article(tmp_path, "nb/hodepine.md", article(former_slugs=["migrene"]))
    line = path.read_text(encoding="utf-8").splitlines().index("- migrene") + 1
    assert problems_of(tmp_path, article(former_slugs=["migrene"])) == [
        f"nb/hodepine.md:{line}: former_slugs[0]: 'migrene' er adressen til nb/migrene.md, som finnes; "
        "en gammel adresse kan ikke være en side som finnes"
    ]


def test_a_former_slug_claimed_by_two_articles_is_one_problem_naming_the_second_file_and_the_slug(tmp_path):
    write_article(tmp_path, "nb/a-hodepine.md", article(former_slugs=["vondt-i-hodet"]))
    path = write_article(tmp_path, "nb/hodepine.md", article(former_slugs=["vondt-i-hodet"]))
    line = path.read_text(encoding="utf-8").splitlines().index("- vondt-i-hodet") + 1
    assert problems_of(tmp_path, article(former_slugs=["vondt-i-hodet"])) == [
        f"nb/hodepine.md:{line}: former_slugs[0]: 'vondt-i-hodet' står også i former_slugs til nb/a-hodepine.md; "
        "en gammel adresse kan bare peke til én side"
    ]


def test_a_former_slug_must_look_like_a_file_name_without_md(tmp_path):
    [problem] = problems_of(tmp_path, article(former_slugs=["Vondt i hodet.md"]))
    assert problem.endswith(
        "former_slugs[0]: forventet et filnavn uten .md, med små bokstaver, tall og bindestrek, som 'vondt-i-magen', ikke 'Vondt i hodet.md'"
    )


def test_helseinfo_check_reports_a_former_slug_collision_as_one_line_without_a_traceback(tmp_path):
    from click.testing import CliRunner

    from helseinfo.cli import main

    write_article(tmp_path, "nb/migrene.md", article(title="Migrene"))
    write_article(tmp_path, "nb/hodepine.md", article(former_slugs=["migrene"]))
    result = CliRunner().invoke(main, ["check", "--content", str(tmp_path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    [line] = [line for line in result.output.splitlines() if "former_slugs" in line]
    assert line.startswith("Feil: ") and "nb/hodepine.md:49: former_slugs[0]: 'migrene' er adressen til nb/migrene.md" in line
