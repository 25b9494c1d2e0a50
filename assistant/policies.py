"""The red-flag guard: a Rasa policy that outranks every other on every user message.

Whatever the intent or the dialogue state, when the akutt card's emergency signs match what
the person wrote, or any of its crisis signs (suicide, self-harm), the next action is
``action_red_flag``: "Ring 113" first for an emergency, and 113, the helplines and the
legevakt in the same reply in a crisis. A message longer than ``max_chars`` gets ``action_too_long``.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.redact import install_log_redaction

install_log_redaction()

RED_FLAG_ACTION = "action_red_flag"
TOO_LONG_ACTION = "action_too_long"


@lru_cache(maxsize=1)
def _engine():
    from assistant.actions.common import engine

    return engine()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class RedFlagPolicy(Policy):
    """Predicts ``action_red_flag`` with certainty when the akutt card matches."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": 10, "max_chars": 2000}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        # Nothing to learn: the criteria are the akutt card's. Persist an empty marker so the
        # model graph can load this policy like any other.
        with self._model_storage.write_to(self._resource) as path:
            (path / "red_flag_policy.txt").write_text("akutt card from content/", encoding="utf-8")
        return self._resource

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: Optional[Dict[Text, Any]] = None, **kwargs: Any) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        text = (tracker.latest_message.text or "") if tracker.latest_message else ""
        if tracker.latest_action_name == ACTION_LISTEN_NAME and text:
            flags = _engine().red_flags(text[: self.config["max_chars"] * 5])
            if flags.level == "emergency" or flags.crisis:
                probabilities[domain.index_for_action(RED_FLAG_ACTION)] = 1.0
            elif len(text) > self.config["max_chars"]:
                probabilities[domain.index_for_action(TOO_LONG_ACTION)] = 1.0
        elif tracker.latest_action_name in (RED_FLAG_ACTION, TOO_LONG_ACTION):
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        return self._prediction(probabilities)
