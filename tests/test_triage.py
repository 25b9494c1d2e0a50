"""The triage engine on a small library: akutt first, negation, age, pregnancy, duration, languages."""

from __future__ import annotations

import copy

import pytest

from assistant.triage import TriageEngine
from assistant.triage.facts import extract
from content_model import load_library
from tests.base import AKUTT, article, write_article

FEVER_CARD = {
    "emergency": [
        {
            "id": "feber-slapp",
            "text": "Feber og svært slapp.",
            "terms": ["feber", "fever"],
            "with_terms": [["svært slapp", "vanskelig å vekke", "hard to wake"]],
        }
    ],
    "urgent": [
        {
            "id": "feber-spedbarn",
            "text": "Barn under 3 måneder med feber.",
            "terms": ["feber", "fever"],
            "age": {"under_months": 3},
            "question": "Er barnet under 3 måneder?",
        }
    ],
    "gp": [
        {
            "id": "feber-lenge",
            "text": "Feber i mer enn 3 døgn.",
            "terms": ["feber", "fever"],
            "duration": {"over_days": 3},
            "question": "Har feberen vart i mer enn 3 døgn?",
        }
    ],
    "self_care": [{"id": "feber-ellers-bra", "text": "Feber, men ellers i form.", "terms": ["feber", "fever"]}],
}
PREGNANCY_CARD = {
    "urgent": [
        {
            "id": "blodning-gravid",
            "text": "Blødning når du er gravid.",
            "terms": ["blør", "blødning"],
            "pregnant": True,
            "destination": "fodeavdeling",
        }
    ],
    "gp": [{"id": "blodning-mellom", "text": "Blødning mellom mensen.", "terms": ["blør", "blødning"], "pregnant": False}],
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("lib")
    akutt = copy.deepcopy(AKUTT)
    akutt["care_card"]["emergency"] += [
        {"id": "brystsmerter", "text": "Trykkende smerter i brystet.", "terms": ["vondt i brystet", "trykk i brystet", "chest pain"]},
        {
            "id": "selvmord",
            "text": "Tanker om å ta sitt eget liv.",
            "terms": ["ta livet mitt", "selvmord", "sjølvmord", "kill myself"],
            "negatable": False,
            "crisis": True,
        },
    ]
    write_article(root, "nb/akutt.md", akutt)
    write_article(root, "nb/feber.md", article(title="Feber", synonyms=["feber", "fever"], icpc2=["A03"], care_card=FEVER_CARD))
    nn = article(
        title="Feber", language="nn", translation="nb/feber.md", synonyms=["feber"], icpc2=["A03"], care_card=copy.deepcopy(FEVER_CARD)
    )
    nn["care_card"]["self_care"][0]["text"] = "Feber, men elles i form."
    write_article(root, "nn/feber.md", nn)
    (root / "nb" / "feber.md").write_text(
        (root / "nb" / "feber.md").read_text().replace("title: Feber", "title: Feber\ntranslation: nn/feber.md")
    )
    write_article(root, "nb/blodning.md", article(title="Blødning", synonyms=["blødning", "blør"], icpc2=["X08"], care_card=PREGNANCY_CARD))
    return TriageEngine(load_library(root, codes=False))


def criteria(assessment):
    return [m.criterion for m in assessment.reasons()]


def test_akutt_card_wins_whatever_else_matches(engine):
    result = engine.assess("Jeg har feber og vondt i brystet")
    assert result.level == "emergency"
    assert criteria(result) == ["brystsmerter"]
    assert result.tel == "113"
    assert result.advice().startswith("Ring 113 nå.")


def test_negated_sign_does_not_match(engine):
    result = engine.assess("Jeg har ikke vondt i brystet, men feber")
    assert result.level == "self_care"
    assert "brystsmerter" not in [m.criterion for m in result.matches]


def test_negation_does_not_reach_past_men(engine):
    assert engine.assess("ingen feber, men vondt i brystet").level == "emergency"


def test_infant_fever_is_urgent_but_school_child_fever_is_not(engine):
    assert criteria(engine.assess("Babyen min på 2 måneder har feber")) == ["feber-spedbarn"]
    assert engine.assess("Babyen min på 2 måneder har feber").level == "urgent"
    assert engine.assess("Sønnen min på 9 år har feber").level == "self_care"


def test_unknown_age_becomes_a_follow_up_question_and_yes_raises_the_level(engine):
    first = engine.assess("Barnet har feber", can_ask=True)
    assert first.level == "self_care"
    assert [q.criterion for q in first.questions][:1] == ["feber-spedbarn"]
    answered = engine.assess("Barnet har feber", answers={"feber-spedbarn": True}, can_ask=True)
    assert answered.level == "urgent"
    no = engine.assess("Barnet har feber", answers={"feber-spedbarn": False}, can_ask=True)
    assert "feber-spedbarn" not in [q.criterion for q in no.questions]


def test_an_unasked_age_question_counts_as_not_sure_and_not_sure_is_the_safe_side(engine):
    # Gitt en kommandolinje som ikke kan spørre, når alderen ikke er kjent, så regnes
    # «under 3 måneder?» som «vet ikke», som for et urgent-kriterium betyr ja.
    result = engine.assess("Barnet har feber")
    assert result.level == "urgent" and result.tel == "116117"
    assert result.uncertain and result.assumed == ["feber-spedbarn"]
    assert engine.assess("my baby has a fever").level == "urgent"


def test_duration_decides_between_gp_and_self_care(engine):
    assert engine.assess("Jeg har hatt feber i 5 dager").level == "gp"
    assert engine.assess("Jeg har hatt feber i 2 dager").level == "self_care"


def test_pregnancy_condition(engine):
    assert engine.assess("Jeg er gravid og blør litt").level == "urgent"
    assert engine.assess("Jeg er ikke gravid, men blør mellom mensen").level == "gp"


def test_combined_signs_need_every_group(engine):
    assert engine.assess("Feber og svært slapp").level == "emergency"
    assert engine.assess("Feber og svært sliten").level != "emergency"


def test_suicide_is_emergency_with_helplines_even_when_phrased_negatively(engine):
    result = engine.assess("Jeg vet ikke om jeg orker mer, tenker på selvmord")
    assert result.level == "emergency" and result.crisis
    for number in ("113", "116 123", "22 40 00 40", "116 117"):
        assert number in result.advice()


def test_nynorsk_text_gets_nynorsk_reasons(engine):
    result = engine.assess("Eg har hatt feber i to dagar, men eg er i form")
    assert result.language == "nn"
    assert result.reasons()[0].text == "Feber, men elles i form."
    assert result.advice().startswith("Du kan som regel ta vare på deg sjølv.")


def test_english_text_gets_red_flag_guard_and_english_advice(engine):
    result = engine.assess("I have crushing chest pain")
    assert result.level == "emergency" and result.language == "en"
    assert result.advice().startswith("Call 113")


def test_a_lone_everyday_word_counts_only_within_its_topic(engine):
    assert engine.assess("Jeg er svært slapp etter trening").level != "emergency"  # no fever named
    assert engine.assess("Jeg har høy feber og er svært slapp").level == "emergency"


def test_typo_tolerance_on_long_words(engine):
    assert engine.assess("vondt i brystett").level == "emergency"


def test_nothing_recognised_is_urgent_uncertain_and_asks_for_the_main_complaint(engine):
    result = engine.assess("Jeg lurer på noe")
    assert result.level == "urgent" and result.tel == "116117" and result.uncertain
    assert "116 117" in result.advice() and "113" in result.advice()
    assert result.to_json()["follow_up"].startswith("Hva plager deg mest")


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂🙂", "x" * 5000, "Je ne sais pas quoi faire", "mixed: jeg vet ikke what to do"])
def test_bad_input_gets_a_clear_answer_with_the_national_numbers(engine, text):
    result = engine.assess(text)
    assert result.level in ("emergency", "urgent")
    advice = result.advice()
    assert "113" in advice and "116 117" in advice


def test_red_flag_guard_uses_only_the_akutt_card(engine):
    assert engine.red_flags("jeg har feber").matches == []
    assert engine.red_flags("jeg vil ta livet mitt").crisis


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sønnen min på 4 år har hatt feber siden i går", {"age_months": [48.0, 60.0], "duration_days": 1}),
        ("A 48-year-old woman with fever for 3 days", {"language": "en", "age_months": [576.0, 588.0], "duration_days": 3.0}),
        ("eg er gravid i veke 30", {"language": "nn", "pregnant": True}),
        ("ho har hatt vondt i to veker", {"language": "nn", "duration_days": 14.0}),
    ],
)
def test_facts_are_read_from_what_people_write(text, expected):
    facts = extract(text).to_json()
    for key, value in expected.items():
        assert facts[key] == value


def test_norwegian_text_full_of_the_preposition_i_is_not_read_as_english():
    facts = extract("Guten vår har hatt vondt i magen i sju dagar, og frå andre dagen har det vore blod i bæsjen")
    assert facts.language == "nn"


def test_a_person_and_a_bare_number_is_an_age():
    assert extract("Mor mi på 61 har hosta i fire dagar").age == (732.0, 744.0)
    assert extract("Jeg er 65 og fikk ny hofte").age == (780.0, 792.0)
    assert extract("Jeg har 38,5 i feber").age == (120, float("inf"))  # only "the writer is no baby", not 38 years


def test_an_inflected_form_whose_stem_is_the_term_matches(engine):
    assert "feber-ellers-bra" in criteria(engine.assess("Feberen holder seg", can_ask=True))


def test_a_measured_temperature_counts_as_fever(engine):
    assert engine.assess("Tempen viser 40,0", can_ask=True).level == "self_care"  # fever named only by its number
    assert criteria(engine.assess("a temperature of 104°F (40°C) and very hard to wake")) == ["feber-slapp"]
    assert engine.assess("Temperaturen er 37,4").uncertain


def test_a_feared_sign_counts_only_for_113(engine):
    assert engine.assess("Jeg er redd hun skal bli svært slapp av feber").level == "emergency"  # the safe side
    feared = engine.assess("Sønnen min på 4 år har feber, jeg er redd han skulle bli dehydrert")
    assert feared.level == "self_care"


def test_no_or_denies_a_whole_list_but_a_verbs_negation_stops_at_or(engine):
    assert engine.assess("Ingen feber eller vondt i brystet").level != "emergency"
    assert engine.assess("Han svarer ikke eller har vondt i brystet").level == "emergency"


def test_a_phrase_does_not_run_on_across_a_comma(engine):
    assert engine.assess("Feber, og svært, slapp").level != "emergency"
    assert engine.assess("Feber, svært slapp").level == "emergency"


def test_the_duration_said_with_the_sign_wins_over_the_first_duration_in_the_text(engine):
    text = "Jeg har hostet i fem dager. De første to dagene hadde jeg feber, nå er den borte."
    assert engine.assess(text).level == "self_care"
    assert engine.assess("Jeg har hatt feber i 5 dager").level == "gp"


@pytest.fixture(scope="module")
def library_engine():
    from helseinfo.kernel.paths import CONTENT

    return TriageEngine(load_library(CONTENT, codes=False))


@pytest.mark.parametrize("which", ["NORWEGIAN", "HELD_OUT", "ENGLISH"])
def test_semigran_no_emergency_vignette_is_under_triaged(library_engine, which):
    """The 45 Semigran vignettes (our two Norwegian lay versions and the English originals):
    every emergency gets 113 or the legevakt. Accuracy is reported by ``helseinfo bench triage``,
    never asserted here: a ratchet on a set turns it into a target to tune on."""
    from assistant.triage import benchmark

    report = benchmark.score(
        library_engine, benchmark.load_cases(getattr(benchmark, which), "case_description" if which == "ENGLISH" else "text")
    )
    assert report["cases"] == 45
    assert report["emergencies_under_triaged"] == 0, report["wrong"]
    assert report["em"] == 1.0


@pytest.mark.parametrize(
    "text, adult",
    [
        ("Jeg har hatt feber i fem dager og hoster", True),
        ("Eg har hatt feber sidan i går", True),
        ("I have had a fever for five days", True),
        ("Jeg er bekymret, barnet mitt har feber", False),
        ("Jeg tror sønnen min har feber", False),
        ("Han har feber", False),
        ("Feber i tre dager", False),
    ],
)
def test_a_person_writing_about_themselves_is_not_taken_for_a_baby(text, adult):
    """Babies do not write: 'jeg har feber' is not asked 'Er barnet under 3 måneder?'."""
    facts = extract(text)
    assert (facts.age == (120, float("inf"))) is adult


def test_no_infant_question_when_an_adult_writes_about_their_own_fever(library_engine):
    result = library_engine.assess("Jeg bor i Molde og har hatt feber i fem dager og hoster")
    assert "feber-spedbarn" not in [q.criterion for q in result.questions]
    assert library_engine.assess("Barnet mitt har feber", can_ask=True).questions[0].criterion == "feber-spedbarn"


@pytest.mark.parametrize(
    "text, age, days",
    [
        ("Eg har eit sår på tunga som ikkje har grodd på fire veker", (120, float("inf")), 28),
        ("Babyen på 4 uker har hatt feber i to dager", (28 / 30, 28 / 30 + 1), 2),
        ("Jeg er 12 uker på vei og blør", (120, float("inf")), None),
        ("Eg er 80 år og har blitt svimmel", (960, 972), None),
    ],
)
def test_weeks_after_a_person_are_an_age_and_otherwise_how_long_it_has_lasted(text, age, days):
    facts = extract(text)
    assert facts.age == pytest.approx(age) and facts.duration_days == days


def test_a_pregnant_woman_with_flickering_vision_gets_the_preeclampsia_sign(library_engine):
    result = library_engine.assess("Jeg er gravid i uke 30 og har fått hodepine og ser flimring")
    assert "preeklampsi-syn" in [m.criterion for m in result.matches]
    assert result.level in ("emergency", "urgent")
    assert result.articles[0].id == "nb/svangerskapsforgiftning"


def test_a_child_with_diarrhoea_is_asked_about_wet_nappies_and_gets_the_childrens_article(library_engine):
    result = library_engine.assess("Datteren min på 2 år har hatt diaré og kastet opp siden i natt")
    assert "barn-tisser-lite" in [q.criterion for q in result.questions]
    assert result.articles[0].id == "nb/oppkast-og-diare-hos-barn"


def test_a_seal_like_cough_is_croup_and_asks_about_noisy_breathing_at_rest(library_engine):
    result = library_engine.assess("Min sønn på 4 har hostet i natt og det høres ut som en sel når han hoster")
    assert result.articles[0].id == "nb/falsk-krupp"
    assert "krupp-pipelyd-i-ro" in [q.criterion for q in result.questions]


#: Development-half emergencies the engine still misses, and why (read, not yet solved in general).
KNOWN_DEV_MISSES: dict[str, str] = {
    # "æ hi pillan klar ska ta dæm no": pills ready and taken now, with no word of wanting to die
    # or of a child; the same words are said of a day's ordinary medicine. Answered urgent and
    # uncertain, with 113 in the text.
    "R12-EA-030": "urgent",
}


def test_no_emergency_of_the_blind_development_half_is_under_triaged(library_engine):
    """The development half of the blind paraphrase suite (tests/fixtures/triage_blind/): every
    text written for a 113 condition gets 113, except the known misses above (at least the
    legevakt, uncertain). Accuracy is a benchmark figure, not a test: the test half is only
    scored, by ``helseinfo bench triage``."""
    from assistant.triage import benchmark

    cases = benchmark.load_blind("dev")
    missed = {
        c["id"]: library_engine.assess(c["text"]).level
        for c in cases
        if c["expected"] == "emergency" and library_engine.assess(c["text"]).level != "emergency"
    }
    assert missed.items() <= KNOWN_DEV_MISSES.items()


#: The lead's emergency probes (not blind; see the file's header) that are still missed.
KNOWN_PROBE_MISSES = {
    # "my 2 year old": an age with no child word; the child criterion needs the word.
    "my 2 year old swallowed some of grandma's heart pills",
}


def test_every_emergency_probe_in_everyday_words_gets_113(library_engine):
    """Three everyday descriptions of each 113 condition of the blind suite, in bokmål, nynorsk
    and English: all 113, so a concept narrowed by a later change fails here."""
    from pathlib import Path

    path = Path(__file__).parent / "fixtures" / "triage_probes" / "emergencies.txt"
    probes = [line.split("|", 1) for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert len(probes) == 114
    missed = [
        (condition, text)
        for condition, text in probes
        if text not in KNOWN_PROBE_MISSES and library_engine.assess(text).level != "emergency"
    ]
    assert not missed, missed


def test_a_destination_flows_to_the_answer_with_116117_when_the_local_number_is_not_known(engine):
    # Gitt et kriterium som sender til fødeavdelingen, når katalogen ikke har nummeret, så sier
    # svaret «ring fødeavdelingen» og gir legevaktens 116 117, aldri et oppdiktet nummer.
    result = engine.assess("Jeg er gravid og blør litt")
    assert result.level == "urgent" and result.tel == "116117"
    data = result.to_json()
    assert data["destination"] == {
        "id": "fodeavdeling",
        "name": "Fødeavdelingen",
        "tel": "116117",
        "number_is_local": True,
        "text": "Ring fødeavdelingen der du skal føde, nå. Har du ikke nummeret, ring legevakten på 116 117.",
    }
    assert result.advice().startswith("Ring fødeavdelingen der du skal føde, nå.")
    assert data["matched"][0]["destination"] == "fodeavdeling"


def test_danger_signs_denied_in_so_many_words_allow_self_care_but_one_denial_does_not(library_engine):
    # Gitt en hoste der personen selv avkrefter to faretegn, så er egenomsorg mulig, merket som
    # usikker; med bare ett avkreftet faretegn er det ikke nok, og svaret blir legevakten.
    two = library_engine.assess("Jeg har hostet i fem dager etter en forkjølelse, ingen feber og ikke tungpust")
    assert two.level == "self_care" and two.uncertain
    assert any("avkreftet" in m.phrase for m in two.reasons())
    one = library_engine.assess("Jeg har hostet i fem dager etter en forkjølelse, ingen feber")
    assert one.level == "urgent" and one.uncertain


@pytest.mark.parametrize(
    "text", ["Jeg har hatt vondt i ryggen i tre uker", "Eg har hatt vondt i ryggen i tre veker", "I have had a sore back for four weeks"]
)
def test_a_complaint_of_weeks_with_no_criterion_matched_is_the_fastlege_and_still_gives_the_numbers(library_engine, text):
    """No card criterion matched, but a complaint is named and has lasted two weeks or more:
    the fastlege, said as uncertain, with 116 117 and 113 for a sudden change."""
    result = library_engine.assess(text)
    assert not result.recognised and result.long_standing and result.level == "gp" and result.uncertain
    assert result.to_json()["long_standing"] is True
    assert "116 117" in result.advice() and "113" in result.advice()


@pytest.mark.parametrize("text", ["Jeg har hatt vondt i ryggen i tre dager", "Jeg lurer på noe som har vart i tre uker"])
def test_a_short_complaint_or_none_named_stays_at_the_legevakt(library_engine, text):
    """Days, not weeks, or no complaint named: the long-standing rule does not lower anything."""
    result = library_engine.assess(text)
    assert not result.long_standing and result.level in ("urgent", "emergency", "gp", "self_care")
    if not result.recognised:
        assert result.level == "urgent"


def test_a_signs_phrase_from_tokens_without_the_source_text_is_the_matched_words():
    """Tokens without the text they came from (a plain copy): the phrase joins the matched words,
    from the first to the last word of the occurrence (it once sliced by a character offset)."""
    from assistant.triage.signs import Span, _phrase
    from assistant.triage.text import Tokens, tokenize

    tokens = Tokens(tokenize("jeg har vondt i brystet nå og i går"))
    assert _phrase(tokens, (Span(2, 5, 0),)) == "vondt i brystet"


def _sign(engine, sign: str, text: str):
    from assistant.triage.facts import extract

    facts = extract(text)
    tokens = engine.tokenize(text, english=facts.language == "en")
    tokens.language = facts.language
    return engine.matcher.find(sign, tokens)


def test_never_before_a_comparison_is_the_sign_at_its_worst_not_a_denial(library_engine):
    assert not _sign(library_engine, "smerter", "Hun har aldri hatt så vondt før").negated
    assert not _sign(library_engine, "smerter", "I have never had pain like this").negated
    assert _sign(library_engine, "smerter", "Hun har aldri vondt").negated


def test_a_negation_after_a_comma_belongs_to_the_next_item(library_engine):
    assert not _sign(library_engine, "ingen-feber", "ingen feber, ikke vondt i ryggen").negated


def test_hes_is_he_is_in_english_and_hoarse_in_norwegian(library_engine):
    assert _sign(library_engine, "hes", "my dad fell and now hes confused") is None
    assert _sign(library_engine, "hes", "han er hes og har vondt i halsen") is not None


def test_function_words_do_not_count_in_the_window_of_a_sign(library_engine):
    """A seizure and how long it has gone on, with "og det har holdt på i" between them."""
    text = "Hun fikk et anfall på badet der hun rykker i armene, og det har holdt på i godt og vel ti minutter"
    assert _sign(library_engine, "kramper-lenge", text) is not None


def test_a_wish_not_to_be_here_any_more_gets_the_helplines(library_engine):
    result = library_engine.assess("Noen ganger tenker jeg at familien hadde klart seg bedre uten meg")
    assert result.crisis and result.level in ("urgent", "emergency")


def test_a_man_with_burning_on_passing_urine_goes_to_the_legevakt_not_self_care(library_engine):
    for text in ("Jeg er en mann på 40 og det svir når jeg tisser", "I'm a guy and it burns when I pee, no fever"):
        assert library_engine.assess(text).level == "urgent", text


def test_no_is_now_in_norwegian_text_and_a_negation_only_in_english(library_engine):
    assert not _sign(library_engine, "hes", "no e han hes og pustar tungt").negated
    assert _sign(library_engine, "feber", "she has no fever and she is eating").negated


def test_a_negation_after_a_word_of_onset_belongs_to_what_follows(library_engine):
    """ "plutseleg ikkje kraft i armen" is a sudden weakness, not a denied onset."""
    assert not _sign(library_engine, "plutselig-debut", "han hi plutseleg ikkje kraft i armen").negated


def test_a_short_english_text_with_few_marker_words_is_read_as_english():
    from assistant.triage.facts import detect_language

    assert detect_language("toddler ate about ten pills, seems ok so far") == "en"
    assert detect_language("han har vondt i magen og kaster opp") == "nb"


@pytest.mark.parametrize(
    ("text", "week", "baby"),
    [
        ("kona er 34 uker og har vondt i magen", 34.0, False),
        ("wife is 30 weeks, belly tightening", 30.0, False),
        ("datteren vår, hun er 3 uker og har feber", None, True),
        ("babyen er 6 uker og har feber", None, True),
    ],
)
def test_a_wife_or_the_writer_who_is_weeks_is_pregnant_but_a_baby_stays_an_age(text, week, baby):
    from assistant.triage.facts import extract

    facts = extract(text)
    assert facts.pregnancy_week == week
    assert (facts.age is not None and facts.age[1] <= 3) == baby


def test_english_short_negations_read_as_the_two_words_they_stand_for(library_engine):
    """ "doesnt breathe" is "does not breathe"; "don't have chest pain" is negated."""
    assert library_engine.assess("he doesnt breathe").level == "emergency"
    assert _sign(library_engine, "brystsmerter", "I don't have chest pain").negated
    assert _sign(library_engine, "kramper-lenge", "she is having a fit and it isn't stopping") is not None


@pytest.mark.parametrize(
    "text",
    [
        "My girlfriend is having a fit on the sofa. It's been going about seven minutes and isn't stopping.",
        "Han fikk krampeanfall på jobben. Det har holdt på i over fem minutter nå.",
        "she is having a seizure right now",
    ],
)
def test_a_seizure_still_going_or_past_five_minutes_in_another_sentence_is_113(library_engine, text):
    result = library_engine.assess(text)
    assert result.level == "emergency" and "kramper" in [m.criterion for m in result.matches], text


@pytest.mark.parametrize(
    "text",
    [
        "sønnen min hadde feberkrampe i under 5 minutter, nå er han våken og leker",
        "Ho hadde krampar i går, no er ho vaken og som vanleg",
    ],
)
def test_a_short_seizure_that_is_over_stays_with_the_legevakt(library_engine, text):
    assert library_engine.assess(text).level == "urgent", text


def test_a_crisis_sign_denied_outright_is_not_counted_but_one_merely_near_a_negation_is(library_engine):
    denied = library_engine.assess("Nedfor og tom for energi i over en måned. Har ikke selvmordstanker.")
    assert denied.level == "gp" and "selvmordstanker" not in [m.criterion for m in denied.matches]
    told = library_engine.assess("Jeg har ikke fortalt noen at jeg har selvmordstanker")
    assert told.level in ("urgent", "emergency") and told.crisis


def test_something_hitting_the_head_is_a_head_injury_in_any_words(library_engine):
    for text in ("fikk en albue i hodet på fotballen, nå er han forvirret", "got a ball to the head and now hes confused"):
        assert library_engine.assess(text).level == "emergency", text
    assert _sign(library_engine, "hodeskade", "jeg fikk vondt i hodet i går") is None


def test_large_blisters_after_a_scald_are_113_but_not_after_sun_or_chickenpox(library_engine):
    scald = "He pulled a pot of boiling water over himself. His whole chest is blistering."
    assert library_engine.assess(scald).level == "emergency"
    for text in ("solbrent med blemmer på hele ryggen", "vannkopper med blemmer over hele ryggen"):
        assert library_engine.assess(text).level != "emergency", text


def test_a_blood_pressure_reading_is_read_as_the_cards_words():
    from assistant.triage.facts import extract, measured_signs

    assert measured_signs("bp monitor keeps showing 162/96", extract("x")) == ["høyt blodtrykk"]
    assert measured_signs("blodtrykket er 195/115", extract("x")) == ["blodtrykket over 180"]
    assert measured_signs("vi ses 12/11 og 24/12", extract("x")) == []


def test_pressing_on_a_sore_rib_is_not_pressure_in_the_chest(library_engine):
    rib = "Løftet en tung kommode for en uke siden, og nå har jeg vondt i brystet når jeg trykker på et ribbein."
    assert library_engine.assess(rib).level != "emergency"
    for text in ("det trykker som en stein midt i brystet", "Jeg er så tung i brystet", "trykkende smerter i brystet"):
        assert library_engine.assess(text).level == "emergency", text


def test_a_new_breast_lump_goes_to_the_fastlege_without_waiting(library_engine):
    result = library_engine.assess("Found a small lump in my left breast in the shower last week. Never noticed it before.")
    assert result.level == "gp" and "kreft-kul-bryst" in [m.criterion for m in result.matches]


def test_a_cold_sore_as_before_is_the_pharmacy_and_cold_sores_are_not_cold(library_engine):
    result = library_engine.assess("tingly spot on my lip and a blister coming up, same as i get every winter")
    assert result.level == "self_care" and result.matches[0].destination == "apotek"
    assert _sign(library_engine, "fryser", "I get cold sores") is None


def test_never_denies_unless_a_verb_of_having_felt_it_stands_between(library_engine):
    assert _sign(library_engine, "plutselig-debut", "samme type som alltid, aldri sånn brått og voldsomt").negated
    assert not _sign(library_engine, "smerter", "Hun har aldri hatt så vondt før").negated


def test_frequent_headaches_the_usual_kind_go_to_the_fastlege_and_a_screen_headache_that_eases_is_self_care(library_engine):
    frequent = library_engine.assess("Jeg har hatt hodepine flere ganger i uka i et halvt år. Den vanlige typen, aldri plutselig.")
    assert frequent.level == "gp" and "hodepine-ofte" in [m.criterion for m in frequent.matches]
    screen = library_engine.assess("Litt hodepine etter en lang dag foran skjermen, den vanlige. Den går over når jeg hviler.")
    assert screen.level == "self_care"


def test_several_people_need_more_than_the_word_several(library_engine):
    assert _sign(library_engine, "flere-syke-samtidig", "jeg får hodepine flere ganger i uka") is None
    assert _sign(library_engine, "flere-syke-samtidig", "alle på hytta har hodepine") is not None


def test_a_grown_up_relative_is_an_adult_and_a_child_word_wins():
    from assistant.triage.facts import extract

    assert extract("Sambuaren min drikk mykje vatn").age == (18 * 12, float("inf"))
    assert extract("mannen min og barnet har feber").age == (0, 18 * 12)


def test_thirst_and_passing_water_for_weeks_in_an_adult_is_the_fastlege_in_a_child_the_legevakt(library_engine):
    adult = "Far min på 67 drikk og drikk og må på do heile tida, har vore slik i fleire veker. Elles er han seg sjølv."
    assert library_engine.assess(adult).level == "gp"
    child = "Sønnen min på 9 er tørst hele tiden, tisser masse og har gått ned i vekt"
    assert library_engine.assess(child).level == "urgent"


@pytest.mark.parametrize(
    ("text", "days"),
    [("de siste fem-seks ukene", 35.0), ("been knackered for like 5 weeks now", 35.0), ("i snart tre veker", 21.0)],
)
def test_durations_with_a_range_a_filler_or_the_definite_plural(text, days):
    from assistant.triage.facts import extract

    assert extract(text).duration_days == days


def test_tiredness_for_weeks_without_a_reason_goes_to_the_fastlege(library_engine):
    for text in ("been totally knackered for like 5 weeks, sleeping fine, no idea why", "Eg har vore så trøytt i over ein månad, søv nok"):
        result = library_engine.assess(text)
        assert result.level == "gp" and "tretthet-uker" in [m.criterion for m in result.matches], text


def test_red_patches_in_the_elbow_creases_are_skin_not_a_hot_joint(library_engine):
    text = "My son has dry, itchy red patches in the creases of his elbows. Moisturiser for weeks, not getting any better."
    result = library_engine.assess(text)
    assert result.level == "gp" and "ledd-varmt-hovent" not in [m.criterion for m in result.matches]
    assert _sign(library_engine, "varmt-rodt-ledd", "kneet er varmt og hovent") is not None


def test_urine_said_to_be_pink_or_red_is_blood_in_the_urine_for_the_fastlege(library_engine):
    for text in ("Tissen min var rosa to ganger denne uka, svir ikke, ingen feber", "my pee was pinkish red twice, no pain no fever"):
        assert library_engine.assess(text).level == "gp", text


def test_weeding_is_not_welding(library_engine):
    assert _sign(library_engine, "sveising-sno", "Did a lot of weeding on Sunday and my back is sore") is None


def test_a_degree_word_qualifies_only_the_word_next_to_it(library_engine):
    text = "mye løsere avføring enn før og av og til litt blod på papiret"
    assert _sign(library_engine, "mye-blod-fra-endetarmen", text) is None
    for heavy in ("det kommer mye blod fra endetarmen", "lots of blood in his poo", "blod i avføringen, mye"):
        assert _sign(library_engine, "mye-blod-fra-endetarmen", heavy) is not None, heavy
    assert _sign(library_engine, "mye-blodning", "he was sick, bright red blood, quite a lot of it") is not None


def test_blood_in_a_stomach_bug_is_the_legevakt_but_weeks_of_loose_stools_with_a_little_blood_the_fastlege(library_engine):
    assert library_engine.assess("diaré med blod i avføringen siden i går").level == "urgent"
    weeks = "Magen har vore laus i ein månads tid, og av og til litt blod på dopapiret. Elles i form."
    assert library_engine.assess(weeks).level == "gp"


def test_a_card_applies_when_its_sign_is_said_in_two_or_more_words_of_meaning(library_engine):
    """ "sover dårlig" names the complaint as a topic word would; a lone "vondt" does not."""
    result = library_engine.assess("Æ har sovi dårli heilt sia i haust, ligg vaken til klokka tre kvar natt")
    assert result.level == "gp"


def test_burning_when_passing_water_in_dialect_and_text_speak(library_engine):
    for text in ("Æ e mainn på 52 og det svi når æ tiss", "my 5 year old says it stings when she pees"):
        assert _sign(library_engine, "svie-ved-vannlating", text) is not None, text
    assert _sign(library_engine, "torst", "må på do heile tida") is None


def test_an_earache_that_is_not_better_goes_to_the_fastlege(library_engine):
    text = "Datra på 6 har hatt vondt i øret siden fredag og det er ikke bedre. Ellers ganske pigg."
    assert library_engine.assess(text).level == "gp"


def test_a_comma_before_a_finite_verb_ends_a_noun_negations_list(library_engine):
    assert not _sign(library_engine, "i-form", "rødt og vondt men ingen blemmer, føler meg ellers bra").negated
    assert _sign(library_engine, "feber", "ingen hoste, feber eller frysninger").negated


def test_a_hangover_with_water_kept_down_is_self_care_and_a_pounding_head_is_no_blow(library_engine):
    result = library_engine.assess("drakk altfor mye i går, nå dundrer hodet og jeg er kvalm. er oppe og drikker vann")
    assert result.level == "self_care"
    assert _sign(library_engine, "hodeskade", "hodet dunker og jeg er kvalm") is None
    assert _sign(library_engine, "hodeskade", "han dunket hodet i bordet") is not None


def test_cutting_oneself_by_accident_is_no_crisis_but_cutting_oneself_now_or_on_the_arms_is(library_engine):
    assert not library_engine.assess("skar meg litt i tommelen på brødkniven, lite og grunt kutt").crisis
    for text in (
        "Æ har skåre mæ i armen igjen i natt",
        "jeg kutter meg når det blir for mye",
        "my sister has been cutting her thighs with a razor",
    ):
        assert library_engine.assess(text).crisis, text


def test_reported_speech_is_not_a_speech_disorder(library_engine):
    assert _sign(library_engine, "taleforstyrrelse", "she says she can not stop doing it") is None
    assert _sign(library_engine, "taleforstyrrelse", "han klarer ikke å snakke") is not None


def test_pills_gone_from_the_pack_near_a_small_child_are_113(library_engine):
    text = "Barnebarnet på tre har vært i vesken min og fått tak i sovepillene mine, og det mangler sju-åtte stykker."
    assert library_engine.assess(text).level == "emergency"


@pytest.mark.parametrize(
    ("text", "signs"),
    [("Har hatt 38 i to dagar", ["feber"]), ("mannen min på 38 har vondt", []), ("har tatt 38 tabletter", [])],
)
def test_a_whole_degree_temperature_someone_has_is_fever_but_an_age_or_a_count_is_not(text, signs):
    from assistant.triage.facts import extract, measured_signs

    assert measured_signs(text, extract(text)) == signs


def test_how_often_is_not_how_long():
    from assistant.triage.facts import extract

    assert extract("once or twice a month after a big dinner").duration_days is None
    assert extract("hatt det i en måned").duration_days == 30.0


def test_drinking_plenty_during_a_fever_is_no_sign_of_diabetes(library_engine):
    result = library_engine.assess("Har gått med rundt 38 siden i går. Ellers greit, drikker masse vann og te.")
    assert result.level == "self_care" and not any(m.criterion.startswith("dt2") for m in result.matches)


def test_occasional_heartburn_after_a_big_dinner_is_the_pharmacy(library_engine):
    result = library_engine.assess("Sometimes after a big dinner I get a burning feeling behind my breastbone. Otherwise healthy.")
    assert result.level == "self_care" and result.matches[0].destination == "apotek"


def test_small_burns_sprains_and_constipation_with_their_reassurance_are_self_care(library_engine):
    for text in (
        "Touched the hot pan with the back of my finger. A red spot about the size of my fingernail, no big blister.",
        "Tråkka over på ankelen, e litt hoven men æ kainn gå på han",
        "Eg har ikkje fått til noko på do på fire dagar. Ikkje noko særleg vondt i magen, elles grei.",
    ):
        assert library_engine.assess(text).level == "self_care", text


def test_the_english_word_fire_is_not_the_norwegian_number_four(library_engine):
    assert _sign(library_engine, "brann-eller-skolding", "Eg har hatt vondt i fire dagar") is None
    assert _sign(library_engine, "brann-eller-skolding", "he was pulled out of a house fire") is not None


def test_a_lump_on_the_neck_for_a_month_and_a_mouth_ulcer_find_their_cards(library_engine):
    lump = "I've had a lump on the side of my neck, just under my jaw, for about a month. It doesn't hurt."
    assert library_engine.assess(lump).level == "gp"
    ulcer = "Got a small sore ulcer inside my cheek since Monday, hurts when I eat. Otherwise fine."
    assert library_engine.assess(ulcer).level == "self_care"


def test_something_first_noticed_weeks_ago_has_lasted_weeks():
    from assistant.triage.facts import extract

    assert extract("we first noticed about four weeks ago").duration_days == 28.0


def test_a_stroke_years_ago_and_a_sore_knee_are_no_blow_to_the_head(library_engine):
    assert _sign(library_engine, "hodeskade", "han hadde et slag for to år siden og har vondt i hodet") is None
    assert _sign(library_engine, "hodeskade", "vondt i kneet og i hodet") is None


#: Crisis texts by what they say (the lead's probes, not blind): a farewell or the means laid out
#: with a time or despair is 113 over two sentences; thoughts without a plan are the legevakt with
#: the helplines; other ways of saying one is in crisis get the helplines at least at the
#: legevakt; everyday cuts, an empty pill pack and a letter before a holiday are no crisis.
CRISIS_PROBES = [
    ("har skrevet brev til familien og lagt fram tauet. jeg gjør det i kveld", "emergency", True),
    ("I have the gun out on the table. I can't do this anymore", "emergency", True),
    ("eg har bestemt meg. eg køyrer ut på brua i natt", "emergency", True),
    ("hun tok en haug sovetabletter. det var med vilje", "emergency", True),
    ("har hatt selvmordstanker en stund, skal til fastlegen i morgen", "urgent", True),
    ("tenker på selvmord nå for tiden, men har ingen planer", "urgent", True),
    ("sometimes I wish I was dead, but I have no plan", "urgent", True),
    ("min datter sier hun ikke orker å leve mer, hun har ingen plan", "urgent", True),
    ("I cut myself on a knife while cooking, small cut on my thumb", "not 113", False),
    ("jeg er tom for blodtrykkstablettene mine, kan jeg vente til mandag", "not 113", False),
    ("siste natt på hytta, har fått vondt i halsen", "not 113", False),
    ("skrev brev til barna før jeg dro på ferie", "not 113", False),
    ("mamma er døende på sykehjemmet, det er best hun får dø hjemme", "not 113", False),
    ("what is the best way to make the rash disappear", "not 113", False),
    ("det hadde vært greit å bare ikke våkne, men jeg har ingen plan", "urgent", True),
    ("jeg orker ikke mer, vil bare forsvinne", "urgent or 113", True),
    ("eg vil ikkje vere her meir", "urgent or 113", True),
    ("i dont want to be here anymore", "urgent or 113", True),
    ("thinking about ending it", "urgent or 113", True),
    ("hun har begynt å skade seg selv igjen", "urgent or 113", True),
    ("jeg har lagt meg på jernbanesporet", "urgent or 113", True),
    ("she said goodbye to everyone and gave away her things", "urgent or 113", True),
    ("jeg er en byrde for alle", "urgent or 113", True),
]


@pytest.mark.parametrize("text, level, crisis", CRISIS_PROBES)
def test_a_plan_is_113_thoughts_are_the_legevakt_and_everyday_words_no_crisis(library_engine, text, level, crisis):
    result = library_engine.assess(text)
    assert result.crisis == crisis, text
    if level == "not 113":
        assert result.level != "emergency", text
    elif level == "urgent or 113":
        assert result.level in ("urgent", "emergency"), text
    else:
        assert result.level == level, text


def test_self_harm_with_bleeding_denied_is_the_legevakt_and_spurting_blood_is_113(library_engine):
    mild = library_engine.assess("jeg har kuttet meg på armen igjen, det blør ikke mye")
    assert mild.crisis and mild.level == "urgent"
    assert library_engine.assess("kollegaen kuttet seg i låret, blodet spruter ut").level == "emergency"


def test_a_sign_that_says_its_own_negation_is_not_denied_by_a_negation_before_it(library_engine):
    assert library_engine.assess("nei han puster ikke").level == "emergency"
    assert library_engine.assess("inhalatoren hjelper ikke klarer ikke snakke").level == "emergency"


def test_a_week_number_with_contractions_is_a_week_of_pregnancy():
    from assistant.triage.facts import extract

    assert extract("uke 30 og riene kommer hvert tiende minutt").pregnancy_week == 30.0
    assert extract("uke 30 på jobb, vondt i ryggen").pregnancy_week is None


def test_a_message_half_in_norwegian_half_in_english_reads_the_norwegian_words_too(library_engine):
    text = "Kona mi har kramper i hele kroppen, det har holdt på i ti minutter. What do I do"
    assert library_engine.assess(text).level == "emergency"


def test_an_english_child_with_an_age_in_months_is_a_child_of_that_age():
    from assistant.triage.facts import extract

    assert extract("My son is 10 months and has a fever").age == (10.0, 11.0)


@pytest.mark.parametrize(
    "text",
    [
        "fell off my bike yesterday, wrist is sore and a bit swollen",
        "cooled the burn on my hand under water for 20 minutes, small blister",
        "lette kramper nede i magen som ved mensen, ellers i form",
        "vondt i ryggen og litt nummen mellom beina etter sykkelturen",
    ],
)
def test_everyday_words_that_sound_like_a_113_sign_are_not_one(library_engine, text):
    matched = {m.criterion for m in library_engine.assess(text).matches}
    assert not matched & {"alvorlig-skade", "drukning-nedkjoling", "kramper", "slag-fast"}, (text, matched)


@pytest.mark.parametrize(
    "text",
    ["nothing helps, he is gasping for air", "we tried everything, nothing, she is fitting for ten minutes"],
)
def test_nothing_before_a_comma_does_not_deny_the_113_sign_after_it(library_engine, text):
    assert library_engine.assess(text).level == "emergency", text
