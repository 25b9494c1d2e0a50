"""The red-flag guard: a Rasa policy that outranks every other on every user message.

Whatever the intent or the dialogue state, when the akutt card's emergency signs match what
the person wrote, or any of its crisis signs (suicide, self-harm), the guard answers from the
domain first, with no action server involved: ``utter_red_flag_emergency_<lang>`` ("Ring 113")
or ``utter_red_flag_crisis_<lang>`` (113, Mental Helse, Kirkens SOS and the legevakt). Only then
comes ``action_red_flag``, which adds the explanation (the matched criteria, the local
legevakt) when the action server can. Rasa's REST channel collects each message as it is sent,
so a failed or timed-out action afterwards cannot take back the numbers.

A message longer than ``max_chars`` (``content_model.contacts.MAX_MESSAGE_CHARS``) gets
``utter_too_long_<lang>``, also from the domain. A custom action that fails (the action server
is down, hung past the timeout, or refuses the call) is answered with ``utter_unavailable_<lang>``
and the national numbers unless something was already said (``assistant/rasa_main.py``), so
nobody gets ``[]``.

The responses are generated from ``content_model/contacts.py`` by ``assistant/guard_responses.py``.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.guard_responses import LANGUAGES, response_name
from assistant.redact import install_log_redaction
from content_model.contacts import MAX_MESSAGE_CHARS

install_log_redaction()

RED_FLAG_ACTION = "action_red_flag"
#: The guard's replies end the turn: after them only ``action_listen``.
_FINAL = tuple(response_name(kind, lang) for kind in ("too_long", "unavailable") for lang in LANGUAGES)
_RED_FLAG_UTTERS = tuple(response_name(kind, lang) for kind in ("red_flag_emergency", "red_flag_crisis") for lang in LANGUAGES)


@lru_cache(maxsize=1)
def _engine():
    from assistant.actions.common import engine

    return engine()


def reply_language(tracker: DialogueStateTracker, detected: Optional[str]) -> str:
    """As the actions choose it: nn or en written wins, else the widget's language, else the slot, else nb."""
    if detected in ("en", "nn"):
        return detected
    metadata = (tracker.latest_message.metadata if tracker.latest_message else None) or {}
    wanted = metadata.get("language") if isinstance(metadata, dict) else None
    wanted = wanted or tracker.get_slot("language")
    return wanted if wanted in LANGUAGES else "nb"


def answered_since_user(tracker: DialogueStateTracker) -> bool:
    """Whether anything was said to the person since their latest message."""
    for event in reversed(tracker.events):
        if isinstance(event, BotUttered):
            return True
        if isinstance(event, UserUttered):
            return False
    return False


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class RedFlagPolicy(Policy):
    """Predicts the guard's domain reply first with certainty when the akutt card matches."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": 10, "max_chars": MAX_MESSAGE_CHARS}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        # Nothing to learn: the criteria are the akutt card's. Persist an empty marker so the
        # model graph can load this policy like any other.
        with self._model_storage.write_to(self._resource) as path:
            (path / "red_flag_policy.txt").write_text("akutt card from content/", encoding="utf-8")
        return self._resource

    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        """The guard's choice, or ``None`` to leave the turn to the other policies."""
        latest = tracker.latest_action_name
        text = (tracker.latest_message.text or "") if tracker.latest_message else ""
        if latest == ACTION_LISTEN_NAME:
            if not text:
                return None
            # The channel lets at most 16 KB through; the guard reads all of it.
            flags = _engine().red_flags(text[: self.config["max_chars"] * 8])
            lang = reply_language(tracker, getattr(flags, "language", None))
            if flags.crisis:
                return response_name("red_flag_crisis", lang)
            if flags.level == "emergency":
                return response_name("red_flag_emergency", lang)
            if len(text) > self.config["max_chars"]:
                return response_name("too_long", lang)
            return None
        if latest in _RED_FLAG_UTTERS:
            return RED_FLAG_ACTION
        if latest == RED_FLAG_ACTION or latest in _FINAL:
            return ACTION_LISTEN_NAME
        return None

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: Optional[Dict[Text, Any]] = None, **kwargs: Any) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        action = self.next_action(tracker, domain)
        if action is not None:
            probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities)
