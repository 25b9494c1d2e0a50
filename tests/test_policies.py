"""The red-flag guard policy (assistant/policies.py): what it predicts, turn by turn.

The first action of a red flag is a domain response (no action server); the explanation
(``action_red_flag``) comes after. A failed custom action is followed by the numbers."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.policies import GUARD_FOLDER, RedFlagPolicy, files_hash, guard_files
from assistant.triage import finding
from content_model.contacts import MAX_MESSAGE_CHARS
from helseinfo.kernel.paths import CONTENT, PROJECT

DOMAIN = Domain.load(str(PROJECT / "assistant" / "domain"))


def trained(storage_path, resource: str = "red_flag") -> RedFlagPolicy:
    """Trained as ``rasa train`` does (the guard's files copied into the model), then loaded."""
    storage, context = LocalModelStorage(storage_path), ExecutionContext(GraphSchema({}), "test")
    config = {**RedFlagPolicy.get_default_config()}
    RedFlagPolicy.create(config, storage, Resource(resource), context).train([], DOMAIN)
    return RedFlagPolicy.load(config, storage, Resource(resource), context)


@pytest.fixture(scope="module")
def policy(tmp_path_factory):
    return trained(tmp_path_factory.mktemp("policy"))


def tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("t", [ActionExecuted("action_listen"), *events], slots=DOMAIN.slots)


def user(text: str, **metadata) -> UserUttered:
    return UserUttered(text, {"name": "describe_symptom", "confidence": 0.9}, metadata=metadata or None)


def test_max_chars_is_the_one_limit_from_contacts(policy):
    assert policy.config["max_chars"] == MAX_MESSAGE_CHARS


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Jeg har vondt i brystet og er kaldsvett", "utter_red_flag_emergency_nb"),
        ("Jeg vil ikke leve lenger", "utter_red_flag_crisis_nb"),
    ],
)
def test_gitt_roedt_flagg_saa_er_foerste_handling_et_domenesvar(policy, text, expected):
    assert policy.next_action(tracker(user(text)), DOMAIN) == expected


def test_gitt_engelsk_krise_saa_svarer_vakten_paa_engelsk(policy):
    # The engine's language detection reads this short sentence as nb (the lead's triage work);
    # with the widget's language it is English, and in any case a crisis reply with all numbers.
    assert policy.next_action(tracker(user("I want to kill myself")), DOMAIN).startswith("utter_red_flag_crisis_")
    assert policy.next_action(tracker(user("I want to kill myself", language="en")), DOMAIN) == "utter_red_flag_crisis_en"
    assert policy.next_action(tracker(user("I have crushing chest pain and I am sweating")), DOMAIN) == "utter_red_flag_emergency_en"


def test_gitt_vaktens_svar_saa_kommer_forklaringen_og_saa_venter_den(policy):
    t = tracker(user("Jeg vil ikke leve lenger"), ActionExecuted("utter_red_flag_crisis_nb"), BotUttered("Ring 113"))
    assert policy.next_action(t, DOMAIN) == "action_red_flag"
    t.update(ActionExecuted("action_red_flag"))  # failed or not: the numbers are already out
    assert policy.next_action(t, DOMAIN) == "action_listen"


def test_gitt_widgetspraak_nynorsk_og_bokmaalstekst_saa_svarer_vakten_paa_nynorsk(policy):
    assert policy.next_action(tracker(user("Jeg vil ikke leve lenger", language="nn")), DOMAIN) == "utter_red_flag_crisis_nn"


def test_gitt_for_lang_melding_saa_svarer_domenet_uten_handling(policy):
    assert policy.next_action(tracker(user("jeg lurer på noe " * 200)), DOMAIN) == "utter_too_long_nb"


def test_gitt_for_lang_melding_med_roedt_flagg_saa_vinner_vakten(policy):
    text = "jeg lurer på noe " * 200 + " og jeg vil ikke leve lenger"
    assert policy.next_action(tracker(user(text)), DOMAIN) == "utter_red_flag_crisis_nb"


def test_gitt_en_handling_som_svarte_saa_blander_vakten_seg_ikke_inn(policy):
    t = tracker(user("Barnet mitt har feber"), ActionExecuted("action_triage"), BotUttered("Er barnet under 3 måneder?"))
    assert policy.next_action(t, DOMAIN) is None
    assert policy.next_action(tracker(user("hvor er legevakten")), DOMAIN) is None


def test_the_guard_reads_the_akutt_cards_and_signs_copied_into_the_model_not_content(tmp_path):
    loaded = trained(tmp_path)
    copied = sorted(
        p.relative_to(tmp_path / "red_flag" / GUARD_FOLDER).as_posix()
        for p in (tmp_path / "red_flag" / GUARD_FOLDER).rglob("*")
        if p.is_file()
    )
    assert copied == sorted(guard_files()) and "nb/akutt.md" in copied and "nn/akutt.md" in copied
    assert {a.meta.kind for a in loaded.engine.library.articles.values()} == {"akutt"}
    assert loaded.engine.library.root != CONTENT


def test_a_changed_akutt_card_or_sign_changes_the_policys_fingerprint(tmp_path):
    import shutil

    assert RedFlagPolicy.fingerprint_addon({}) == files_hash(guard_files())
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    before = files_hash(guard_files(content))
    card = content / "nb" / "akutt.md"
    card.write_text(card.read_text(encoding="utf-8") + "\nEn ny setning.\n", encoding="utf-8")
    after_card = files_hash(guard_files(content))
    (content / "signs" / "akutt.yml").write_text(
        (content / "signs" / "akutt.yml").read_text(encoding="utf-8") + "\n# endret\n", encoding="utf-8"
    )
    after_sign = files_hash(guard_files(content))
    assert len({before, after_card, after_sign}) == 3
    (content / "nb" / "hodepine.md").write_text("ikke vaktens fil", encoding="utf-8")  # not the guard's input
    assert files_hash(guard_files(content)) == after_sign


def test_a_model_without_the_guards_copy_does_not_load(tmp_path):
    storage, context = LocalModelStorage(tmp_path), ExecutionContext(GraphSchema({}), "test")
    with storage.write_to(Resource("old")) as path:
        (path / "red_flag_policy.txt").write_text("akutt card from content/", encoding="utf-8")
    with pytest.raises(RuntimeError, match="tren på nytt"):
        RedFlagPolicy.load({**RedFlagPolicy.get_default_config()}, storage, Resource("old"), context)


def test_gitt_roedt_flagg_saa_faar_handlingen_vaktens_funn_i_hendelsens_metadata(policy):
    prediction = policy.predict_action_probabilities(tracker(user("Jeg har vondt i brystet og er kaldsvett")), DOMAIN)
    found = prediction.action_metadata[finding.METADATA_KEY]
    again = finding.from_json(found)
    direct = policy.assess("Jeg har vondt i brystet og er kaldsvett")
    assert again.level == direct.level == "emergency" and again.tel == "113"
    assert [(m.article, m.criterion, m.text) for m in again.reasons()] == [(m.article, m.criterion, m.text) for m in direct.reasons()]
    assert again.advice() == direct.advice()
    assert policy.predict_action_probabilities(tracker(user("hvor er legevakten")), DOMAIN).action_metadata is None


def test_the_guard_with_the_akutt_signs_only_finds_what_the_whole_engine_finds_on_the_blind_suite(policy):
    import json

    from assistant.triage import TriageEngine
    from content_model.loader import load_library

    whole_engine = TriageEngine(load_library(policy.engine.library.root, codes=False))  # the same files, every sign
    assert len(whole_engine.library.signs.signs) > 5 * len(policy.engine.library.signs.signs)
    texts = [
        json.loads(line)["text"]
        for path in sorted((PROJECT / "tests" / "fixtures" / "triage_blind").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(texts) > 400
    for text in texts:
        ours, whole = policy.assess(text), whole_engine.red_flags(text)
        assert (ours.level, ours.crisis) == (whole.level, whole.crisis), text
        assert [(m.criterion, m.phrase) for m in ours.matches] == [(m.criterion, m.phrase) for m in whole.matches], text
