"""The search index: Norwegian analysis, filters, the hit contract, the CLI, the public site's
search index, and the evaluation of ``tests/fixtures/search_queries.yaml``."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from helseinfo.cli import MAX_TEXT, main
from helseinfo.kernel.errors import InputError
from helseinfo.kernel.paths import PROJECT
from helseinfo.kernel.text import distance
from search_index import DEFAULT_INDEX, index_dir_for, search
from search_index.analysis import Lexicon, analyzer
from search_index.bench import evaluate, load_queries, whoosh_runner
from search_index.build import write_index
from services_catalog.places import find_places, place_variants

CONTRACT = {"kind", "id", "title", "url", "icpc2", "municipalities"}


def terms(text: str, lexicon: Lexicon | None = None) -> list[str]:
    return [t.text for t in analyzer(lexicon or Lexicon({}))(text)]


# ---------------------------------------------------------------- analysis


def test_bokmal_and_nynorsk_forms_share_one_term():
    assert terms("legevakt") == terms("legevakta") == terms("legevakten") == terms("legevakter")
    assert terms("sjukehuset") == terms("sykehuset") and terms("sjukehus") == terms("sykehus")
    assert terms("hovudet") == terms("hodet")
    assert terms("ufarleg") == terms("ufarlig") and terms("svimmelheit") == terms("svimmelhet")
    assert terms("helsesjukepleiar") == terms("helsesykepleiar")
    assert terms("Diaré") == terms("diare")


def test_stop_words_of_both_written_standards_are_dropped():
    assert terms("eg har ikkje vondt i hovudet") == terms("vondt hodet")
    assert terms("jeg har ikke det") == []


def test_compounds_split_into_two_known_parts_with_linking_letters():
    lexicon = Lexicon(dict.fromkeys(["bryst", "smerter", "urinvei", "infeksjon", "lege", "vakt"], 1))
    assert lexicon.split("brystsmerter") == ("bryst", "smerter")
    assert lexicon.split("urinveisinfeksjon") == ("urinvei", "infeksjon")  # linking -s-
    assert lexicon.split("legevakt") == ("lege", "vakt")
    assert lexicon.split("bryst") == () and lexicon.split("kneskader") == ()
    assert set(terms("smerter i brystet", lexicon)) <= set(terms("brystsmerter", lexicon))


def test_typos_become_the_most_frequent_known_word_within_reach():
    lexicon = Lexicon({"hodepine": 10, "hodepute": 1, "lungebetennelse": 5})
    assert lexicon.correct("hodepinne") == "hodepine"  # one letter too many
    assert lexicon.correct("hodpeine") == "hodepine"  # two letters swapped
    assert lexicon.correct("lungebetenelse") == "lungebetennelse"  # one letter missing
    assert lexicon.correct("lungebettennelsse") == "lungebetennelse"  # two edits in a long word
    assert lexicon.correct("fotball") is None
    assert distance("hodepinne", "hodepine") == 1 and distance("ab", "ba") == 1


def test_place_names_longest_first_ambiguous_ones_only_with_a_capital():
    places = {
        v: n
        for name, n in [("Orkanger", "5059"), ("Midtre Gauldal", "5027"), ("Heim", "5055"), ("Ålesund", "1508")]
        for v in place_variants(name)
    }
    assert find_places("legevakt Orkanger", places) == (["5059"], "legevakt", "Orkanger")
    assert find_places("sjukehus i midtre gauldal", places) == (["5027"], "sjukehus i", "midtre gauldal")
    assert find_places("vil reise heim", places) == ([], "vil reise heim", "")
    assert find_places("legevakt i Heim", places)[0] == ["5055"]
    assert find_places("legevakt Alesund", places)[0] == ["1508"]


# ---------------------------------------------------------------- the real site and index


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The real site, built once by ``helseinfo build``'s code: (site folder, index folder)."""
    from helseinfo.build import build_site

    site = tmp_path_factory.mktemp("build") / "site"
    build_site(site, config_file=PROJECT / "mkdocs.yml", verbose=False)
    return site, index_dir_for(site)


def test_build_publishes_the_index_beside_the_site_not_inside_it(built):
    site, index = built
    assert index == site.parent / "var" / "search-index" and index.is_symlink()
    assert not list(site.resolve().rglob("*.seg")) and not (site / "var").exists()
    assert index_dir_for(PROJECT / "site") == DEFAULT_INDEX


def test_hits_carry_exactly_the_contract_fields(built):
    _, index = built
    kinds = {}
    for q in ("hodepine", "legevakt Orkanger", "kurs diabetes"):
        for hit in search(q, index_dir=index):
            kinds.setdefault(hit.kind, hit.to_json())
    article, service, group = kinds["article"], kinds["service"], kinds["group"]
    assert set(article) == set(group) == CONTRACT and set(service) == CONTRACT | {"service_type"}
    assert article["municipalities"] == [] and article["icpc2"] and article["url"].endswith("/")
    assert service["service_type"] == "legevakt" and all(len(n) == 4 and n.isdigit() for n in service["municipalities"])
    assert not any(h["url"].startswith("/") for h in (article, service, group))
    assert json.dumps(article, ensure_ascii=False)


def test_kind_and_municipality_filters(built):
    _, index = built
    assert {h.kind for h in search("legevakt", kind="service", index_dir=index)} == {"service"}
    haram = search("legevakt", municipality="1580", limit=30, index_dir=index)
    assert haram[0].service_type == "legevakt" and "1580" in haram[0].municipalities
    assert all(h.kind == "article" or "1580" in h.municipalities for h in haram)
    assert [h.id for h in search("legevakt", municipality="Brattvåg", index_dir=index)] == [h.id for h in haram[:10]]
    with pytest.raises(InputError, match="ukjent kommune eller sted: 'Oslo'"):
        search("legevakt", municipality="Oslo", index_dir=index)
    with pytest.raises(InputError, match="ukjent kind 'tjeneste'"):
        search("legevakt", kind="tjeneste", index_dir=index)


def test_a_place_in_the_query_finds_what_serves_it(built):
    _, index = built
    first = search("legevakta på Orkanger", index_dir=index)[0]
    assert first.service_type == "legevakt" and "5059" in first.municipalities  # Orkanger is in Orkland
    alone = search("Brattvåg", index_dir=index)
    assert alone[0].service_type == "legevakt" and all("1580" in h.municipalities for h in alone)


def test_search_boost_from_front_matter_raises_a_document(tmp_path):
    doc = {"kind": "article", "url": "nb/x/", "summary": "", "language": "nb", "title": "Feber", "text": "feber hos barn"}
    docs = [{**doc, "key": "article:nb/a", "id": "nb/a", "boost": 1.0}, {**doc, "key": "article:nb/b", "id": "nb/b", "boost": 3.0}]
    write_index(docs, tmp_path / "ix")
    hits = search("feber", index_dir=tmp_path / "ix")
    assert [h.id for h in hits] == ["nb/b", "nb/a"] and hits[0].score == pytest.approx(3 * hits[1].score)


def test_index_is_published_atomically_and_a_failed_build_changes_nothing(tmp_path):
    doc = {"key": "article:nb/a", "kind": "article", "id": "nb/a", "url": "nb/a/", "title": "Feber", "text": "feber"}
    first = write_index([doc], tmp_path / "ix")
    assert os.readlink(tmp_path / "ix").endswith(first.name)
    with pytest.raises(Exception):
        write_index([{**doc, "unknown_field": "x"}], tmp_path / "ix")
    assert os.readlink(tmp_path / "ix").endswith(first.name)
    assert [p.name for p in (tmp_path / ".ix-releases").iterdir()] == [first.name]
    second = write_index([doc], tmp_path / "ix")
    assert os.readlink(tmp_path / "ix").endswith(second.name) and search("feber", index_dir=tmp_path / "ix")


# ---------------------------------------------------------------- helseinfo search


def run(*args):
    result = CliRunner().invoke(main, ["search", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def test_cli_json_is_one_line_with_the_query_and_its_hits(built):
    _, index = built
    code, out, _ = run("sjukehus Ålesund", "--json", "--kind", "service", "--limit", "3", "--index", index)
    assert code == 0 and len(out.splitlines()) == 1
    answer = json.loads(out)
    assert answer["q"] == "sjukehus Ålesund" and len(answer["hits"]) == 3
    assert answer["hits"][0]["id"] == "alesund-sjukehus" and answer["hits"][0]["service_type"] == "sykehus"


def test_cli_jsonl_answers_every_line_in_order(built, tmp_path):
    _, index = built
    queries = [
        {"q": "hovudverk"},
        {"q": "legevakt", "municipality": "Orkanger", "kind": "service"},
        {"q": "qqqzzz xyzzyx"},
        {"q": "kurs", "kind": "group", "limit": 2},
    ]
    path = tmp_path / "q.jsonl"
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in queries), encoding="utf-8")
    code, out, err = run("--jsonl", path, "--index", index)
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and err == ""
    assert [line["q"] for line in lines] == [q["q"] for q in queries]
    assert lines[0]["hits"][0]["id"] in ("nn/hodepine", "nb/hodepine")
    assert "5059" in lines[1]["hits"][0]["municipalities"] and lines[2]["hits"] == []
    assert len(lines[3]["hits"]) == 2 and {h["kind"] for h in lines[3]["hits"]} == {"group"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["x", "--kind", "tjeneste"], "Feil: ukjent kind 'tjeneste' (forventet en av: article, service, group)"),
        (["x", "--municipality", "9999"], "Feil: ukjent kommune eller sted: '9999'"),
        (["x", "--limit", "mange"], "Feil: limit må være et heltall fra 1 til 100, ikke 'mange'"),
        (["x" * (MAX_TEXT + 1)], f"Feil: q må være tekst på høyst {MAX_TEXT} tegn"),
        ([], "Feil: gi enten en SPØRRING eller --jsonl FIL"),
    ],
)
def test_cli_input_errors_are_one_clean_line(built, args, message):
    code, out, err = run(*args, "--index", built[1])
    assert code == 1 and out == "" and len(err.splitlines()) == 1 and err.startswith(message)


def test_cli_jsonl_errors_name_the_file_and_the_line(built, tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"q": "feber"}\n{"q": "feber", "kind": "x"}\n', encoding="utf-8")
    code, out, err = run("--jsonl", path, "--index", built[1])
    assert (code, out) == (1, "") and err.strip() == f"Feil: {path}: spørring 2: ukjent kind 'x' (forventet en av: article, service, group)"
    path.write_text('{"q": "feber"}\nikke json\n', encoding="utf-8")
    assert run("--jsonl", path, "--index", built[1])[2].startswith(f"Feil: {path}:2: ugyldig JSON")


def test_cli_builds_a_missing_index_and_says_so(tmp_path):
    code, out, err = run("hodepinne", "--json", "--index", tmp_path / "var" / "search-index")
    assert code == 0 and "Fant ingen søkeindeks" in err and "bygger den nå" in err
    assert json.loads(out)["hits"][0]["id"] in ("nb/hodepine", "nn/hodepine")


# ---------------------------------------------------------------- the public site's search


def test_site_search_index_carries_synonyms_and_norwegian_stemming(built):
    site, _ = built
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["no"]
    text = {doc["location"]: doc["text"] for doc in index["docs"]}
    assert "hodepinne" in text["nb/hodepine/"] and "vondt i hodet" in text["nb/hodepine/"]
    assert "hovudverk" in text["nn/hodepine/"]
    assert "vondt i brystet" in text["nb/brystsmerter/"] and "brystsmærter" in text["nb/brystsmerter/"]


# ---------------------------------------------------------------- benchmark report and evaluation


def test_benchmark_report_replaces_only_its_own_section(tmp_path):
    from search_index.bench import HEADING, write_report

    path = tmp_path / "benchmarks.md"
    write_report(f"{HEADING}\n\nfirst\n", path)
    assert path.read_text(encoding="utf-8") == f"# Benchmarks\n\n{HEADING}\n\nfirst\n"
    path.write_text(f"# Benchmarks\n\n## Build\n\nb\n\n{HEADING}\n\nold\n\n## Other\n\no\n", encoding="utf-8")
    write_report(f"{HEADING}\n\nnew\n", path)
    assert path.read_text(encoding="utf-8") == f"# Benchmarks\n\n## Build\n\nb\n\n{HEADING}\n\nnew\n\n## Other\n\no\n"


def test_evaluation_recall_at_5_is_at_least_95_percent(built):
    queries = load_queries()
    assert len(queries) >= 60
    from search_index.bench import merged_ids
    from services_catalog import load_catalog

    result = evaluate(queries, whoosh_runner(built[1]), merged_ids(load_catalog()))
    print(f"\nrecall@5 {result['recall_at_5']}  MRR {result['mrr']}  ({result['queries']} queries)")
    print("by group:", ", ".join(f"{g} {v}" for g, v in result["groups"].items()))
    print("not in the first five:", result["missed"])
    assert result["recall_at_5"] >= 0.95


# ---------------------------------------------------------------- ranking: the service word decides the type


def _catalog():
    from services_catalog import load_catalog

    return load_catalog()


CATALOG = _catalog()


@pytest.fixture(scope="module")
def catalog_index(tmp_path_factory):
    """The index of the real library and catalogue, without the site (faster than ``built``)."""
    from content_model import load_library
    from helseinfo.kernel.paths import CONTENT
    from search_index import build_index

    index = tmp_path_factory.mktemp("katalog") / "var" / "search-index"
    build_index(load_library(CONTENT), CATALOG, index)
    return index


def test_every_service_type_has_words_that_decide_it():
    from search_index.analysis import TYPE_WORDS, service_types
    from services_catalog import SERVICE_TYPES

    assert set(TYPE_WORDS) == set(SERVICE_TYPES)
    for service_type, label in SERVICE_TYPES.items():
        assert service_type in service_types(label), label


@pytest.mark.parametrize(
    "query, types",
    [
        ("sjukehuset på Orkanger", ["sykehus"]),
        ("lokalsjukehus", ["sykehus"]),
        ("akuttmottaket", ["sykehus"]),
        ("legevakta i Brattvåg", ["legevakt"]),
        ("ring 116 117", ["legevakt"]),
        ("fødeavdelinga", ["fodeavdeling"]),
        ("kvinneklinikken", ["fodeavdeling"]),
        ("fødestova", ["fodestue"]),
        ("hvor kan jeg føde", ["fodeavdeling", "fodestue"]),
        ("jordmor", ["fodeavdeling", "fodestue", "helsestasjon"]),
        ("helsesøster", ["helsestasjon"]),
        ("helsesjukepleiaren", ["helsestasjon"]),
        ("skulehelsetenesta", ["helsestasjon"]),
        ("frisklivssentralen", ["frisklivssentral"]),
        ("LMS", ["lms"]),
        ("lærings- og meistringssenter", ["lms"]),
        ("psykisk helse", ["psykisk_helse"]),
        ("DPS", ["psykisk_helse"]),
        ("fastlegen", ["fastlegekontor"]),
        ("tannlegevakta", ["tannlegevakt"]),
        ("akutt tannhjelp", ["tannlegevakt"]),
    ],
)
def test_service_words_in_both_written_standards_and_lay_forms_name_their_type(query, types):
    from search_index.analysis import service_types

    assert service_types(query) == types


@pytest.mark.parametrize("query", ["får ikke sove om natta", "sitter fast", "vondt i en tann", "vondt i magen", "feber hos barn"])
def test_symptom_words_name_no_service_type(query):
    from search_index.analysis import service_types

    assert service_types(query) == []  # Snowball cuts fastlege to "fast" and nattlege to "natt": not used


def test_the_service_word_beats_the_place_in_the_name(catalog_index):
    hits = search("sykehus Midtre Gauldal", kind="service", index_dir=catalog_index)
    assert hits and hits[0].service_type == "sykehus" and "5027" in hits[0].municipalities
    hospitals = [h for h in hits if h.service_type == "sykehus"]
    assert hits[: len(hospitals)] == hospitals  # every hospital before the municipality's legevakt


@pytest.mark.parametrize(
    "service_type, number", [(t, n) for t in __import__("services_catalog").SERVICE_TYPES for n in sorted(CATALOG.municipalities)]
)
def test_type_word_and_municipality_give_that_type_serving_it_first(catalog_index, service_type, number):
    """``<type word> <municipality name>`` for every type and municipality of the catalogue."""
    from services_catalog import SERVICE_TYPES

    name = CATALOG.municipalities[number].name
    if not CATALOG.services_for(number, service_type):
        pytest.skip(f"katalogen mangler {service_type} for {name} ({number})")
    query = f"{SERVICE_TYPES[service_type]} {name}"
    hits = search(query, index_dir=catalog_index)
    assert hits, query
    assert (hits[0].service_type, number in hits[0].municipalities) == (service_type, True), (query, hits[0].id)


def test_suggestion_names_the_corrected_words_and_keeps_places(catalog_index):
    from search_index.query import suggest

    assert suggest("Legevak i Orkanger", index_dir=catalog_index) == "Legevakt i Orkanger"
    assert suggest("legevakt Orkanger", index_dir=catalog_index) is None
    assert suggest("hodpeine", index_dir=catalog_index) == "hodepine"


def test_among_services_of_the_type_the_local_one_to_the_place_comes_first(tmp_path):
    base = {"kind": "service", "url": "x/", "service_type": "sykehus", "municipalities": "5027 5001"}
    docs = [
        {**base, "key": "service:a", "id": "a", "title": "Sykehus sykehus sjukehus", "local": ""},
        {**base, "key": "service:b", "id": "b", "title": "Sykehuset", "local": "5027"},
        {**base, "key": "service:c", "id": "c", "title": "Legevakt Midtre Gauldal", "service_type": "legevakt", "municipalities": "5027"},
    ]
    places = {v: "5027" for v in place_variants("Midtre Gauldal")}
    write_index(docs, tmp_path / "ix", places)
    assert [h.id for h in search("sykehus Midtre Gauldal", index_dir=tmp_path / "ix")] == ["b", "a", "c"]
    assert [h.id for h in search("sykehus", index_dir=tmp_path / "ix")][:2] == ["a", "b"]  # no place: the score decides


def test_the_block_reader_gives_the_same_postings_as_whooshs_public_matcher(catalog_index):
    """``query._blocks`` reads whoosh-reloaded's private block arrays (pinned to 2.7.5 in
    pyproject.toml); on the real index it must give exactly the postings, in order, that the
    public matcher API gives, for every term of every field it scores."""
    from search_index.query import FIELD_BOOSTS, SearchIndex, _blocks

    index = SearchIndex(catalog_index)
    checked = 0
    for field in FIELD_BOOSTS:
        for term in list(index.reader.lexicon(field)):
            term = term.decode("utf-8") if isinstance(term, bytes) else term
            fast = [(d, w) for ids, weights in _blocks(index.reader, field, term) for d, w in zip(ids, weights)]
            matcher, public = index.reader.postings(field, term), []
            while matcher.is_active():
                public.append((matcher.id(), matcher.weight()))
                matcher.next()
            assert fast == public, (field, term)
            checked += 1
    assert checked > 5000
