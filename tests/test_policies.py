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

from assistant.policies import RedFlagPolicy
from content_model.contacts import MAX_MESSAGE_CHARS
from helseinfo.paths import PROJECT

DOMAIN = Domain.load(str(PROJECT / "assistant" / "domain"))


@pytest.fixture(scope="module")
def policy(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("policy"))
    return RedFlagPolicy.create({**RedFlagPolicy.get_default_config()}, storage, Resource("red_flag"),
                                ExecutionContext(GraphSchema({}), "test"))


def tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("t", [ActionExecuted("action_listen"), *events], slots=DOMAIN.slots)


def user(text: str, **metadata) -> UserUttered:
    return UserUttered(text, {"name": "describe_symptom", "confidence": 0.9}, metadata=metadata or None)


def test_max_chars_is_the_one_limit_from_contacts(policy):
    assert policy.config["max_chars"] == MAX_MESSAGE_CHARS


@pytest.mark.parametrize("text, expected", [
    ("Jeg har vondt i brystet og er kaldsvett", "utter_red_flag_emergency_nb"),
    ("Jeg vil ikke leve lenger", "utter_red_flag_crisis_nb"),
])
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
