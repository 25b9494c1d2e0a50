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

**The guard's inputs are part of the model.** Training copies the files the guard reads (the
akutt cards in nb and nn and the sign vocabulary, ``guard_files``) into the model, and their
hash is the policy's ``fingerprint_addon``: a changed akutt card or sign makes
``helseinfo assistant train`` retrain this policy (only this one: the rest comes from Rasa's
cache). At run time the guard reads only the model's copy, never ``content/``, so what a model
answers does not change when someone edits ``content/``, and the Rasa process holds the akutt
card and its signs alone, not the whole library.

**The finding goes to the action.** The guard's first reply carries its assessment in the
``ActionExecuted`` event's metadata (``assistant.triage.finding``); ``action_red_flag`` explains
from it instead of assessing the text a second time.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.guard_responses import LANGUAGES, response_name
from assistant.redact import install_log_redaction
from assistant.triage import finding
from content_model.contacts import MAX_MESSAGE_CHARS
from helseinfo.kernel.paths import CONTENT

install_log_redaction()
logger = logging.getLogger(__name__)

RED_FLAG_ACTION = "action_red_flag"
#: The guard's replies end the turn: after them only ``action_listen``.
_FINAL = tuple(response_name(kind, lang) for kind in ("too_long", "unavailable") for lang in LANGUAGES)
_RED_FLAG_UTTERS = tuple(response_name(kind, lang) for kind in ("red_flag_emergency", "red_flag_crisis") for lang in LANGUAGES)

#: The folder in the model that holds the guard's copy of its inputs (paths as under ``content/``).
GUARD_FOLDER = "guard"


def guard_files(content: Path = CONTENT) -> dict[str, bytes]:
    """What the guard reads, by path under ``content``: the akutt cards and every sign file."""
    from content_model.loader import SIGNS_FOLDER, collect_library

    library, _problems = collect_library(content, codes=False)  # the copy is validated when loaded
    paths = sorted(a.src_path for a in library.articles.values() if a.meta.kind == "akutt")
    paths += sorted(p.relative_to(content).as_posix() for p in (content / SIGNS_FOLDER).glob("*.yml"))
    return {path: (content / path).read_bytes() for path in paths}


def files_hash(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode("utf-8") + b"\0" + hashlib.sha256(files[path]).digest())
    return digest.hexdigest()


def guard_engine(folder: Path):
    """The triage engine over the akutt cards copied into the model, with their signs only."""
    from assistant.triage import TriageEngine
    from content_model.loader import Library, load_library

    library = load_library(folder, codes=False)
    return TriageEngine(Library(library.root, library.articles, akutt_vocabulary(library)))


def akutt_vocabulary(library):
    """The signs the akutt cards name and their concepts (55 of 842 signs): the guard matches
    nothing else, and looking for every sign in every message took 2.4 times as long. The same
    findings on the blind suite (``tests/test_policies.py``)."""
    from content_model.signs import Vocabulary

    named = set()
    for article in library.articles.values():
        for _level, criterion in article.meta.care_card.criteria():
            named.update(criterion.signs)
            for group in criterion.with_signs:
                named.update(group)
    vocabulary = library.signs
    signs = {key: sign for key, sign in vocabulary.signs.items() if key in named}
    concepts = {concept for sign in signs.values() for expression in sign.expressions for concept in expression}
    return Vocabulary(
        {key: words for key, words in vocabulary.concepts.items() if key in concepts},
        signs,
        {key: file for key, file in vocabulary.files.items() if key in signs},
    )


def reply_language(tracker: DialogueStateTracker, detected: str | None) -> str:
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

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        engine=None,
        **kwargs: Any,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, **kwargs)
        self.engine = engine

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 10, "max_chars": MAX_MESSAGE_CHARS}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The hash of the guard's inputs: a changed akutt card or sign retrains the policy."""
        return files_hash(guard_files())

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        # Nothing to learn: the criteria are the akutt card's. The model keeps a copy of the
        # files, checked here so that a broken card fails the training, not the server.
        files = guard_files()
        with self._model_storage.write_to(self._resource) as path:
            for name, data in files.items():
                target = path / GUARD_FOLDER / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            guard_engine(path / GUARD_FOLDER)
        return self._resource

    @classmethod
    def load(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext, **kwargs: Any
    ) -> RedFlagPolicy:
        with model_storage.read_from(resource) as path:
            if not (path / GUARD_FOLDER).is_dir():
                raise RuntimeError(
                    "RedFlagPolicy: modellen har ingen kopi av akuttkortet; tren på nytt ('helseinfo assistant train --force')"
                )
            engine = guard_engine(path / GUARD_FOLDER)
        return cls(config, model_storage, resource, execution_context, engine=engine)

    def assess(self, text: str):
        """The akutt card on a message (the channel lets at most 16 KB through; all of it is read)."""
        return self.engine.red_flags(text[: self.config["max_chars"] * 8])

    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> str | None:
        """The guard's choice, or ``None`` to leave the turn to the other policies."""
        return self.decide(tracker)[0]

    def decide(self, tracker: DialogueStateTracker) -> tuple[str | None, dict | None]:
        """The guard's choice and, with a red flag, its finding for the action."""
        latest = tracker.latest_action_name
        text = (tracker.latest_message.text or "") if tracker.latest_message else ""
        if latest == ACTION_LISTEN_NAME:
            if not text:
                return None, None
            flags = self.assess(text)
            lang = reply_language(tracker, getattr(flags, "language", None))
            if flags.crisis:
                return response_name("red_flag_crisis", lang), {finding.METADATA_KEY: finding.to_json(flags)}
            if flags.level == "emergency":
                return response_name("red_flag_emergency", lang), {finding.METADATA_KEY: finding.to_json(flags)}
            if len(text) > self.config["max_chars"]:
                return response_name("too_long", lang), None
            return None, None
        if latest in _RED_FLAG_UTTERS:
            return RED_FLAG_ACTION, None
        if latest == RED_FLAG_ACTION or latest in _FINAL:
            return ACTION_LISTEN_NAME, None
        return None, None

    def predict_action_probabilities(
        self, tracker: DialogueStateTracker, domain: Domain, rule_only_data: dict[str, Any] | None = None, **kwargs: Any
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        action, metadata = self.decide(tracker)
        if action is not None:
            probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, action_metadata=metadata)
