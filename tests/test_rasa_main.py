"""Rasa's start-up patches (assistant/rasa_main.py): action timeout, bounded tracker, size of a call.

Also measures what the action server really receives, which its own size limit is set from
(``assistant/action_server.py``)."""

from __future__ import annotations

import json

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from assistant import rasa_main
from assistant.action_server import DEFAULT_MAX_BYTES
from assistant.channel import MAX_BODY_BYTES
from helseinfo.kernel.paths import PROJECT

DOMAIN = Domain.load(str(PROJECT / "assistant" / "domain"))


@pytest.fixture(scope="module", autouse=True)
def patched():
    rasa_main.apply_patches()


def conversation(turns: int, last: str = "Jeg har sterke brystsmerter og er kaldsvett") -> DialogueStateTracker:
    events = [ActionExecuted("action_listen")]
    for i in range(turns):
        text = f"Jeg har hatt vondt i halsen i {i} dager og lurer på om jeg bør gå til legen"
        events += [
            UserUttered(text, {"name": "describe_symptom", "confidence": 0.9}, metadata={"language": "nb"}),
            ActionExecuted("action_triage"),
            BotUttered("Du kan vente og se an. " * 20, {"custom": {"type": "triage"}}),
            SlotSet("triage_text", text * 3),
            ActionExecuted("action_listen"),
        ]
    events += [UserUttered(last, {"name": "describe_symptom", "confidence": 0.9}), ActionExecuted("utter_red_flag_emergency_nb")]
    return DialogueStateTracker.from_events("a" * 64, events, slots=DOMAIN.slots)


def call_size(tracker: DialogueStateTracker) -> int:
    from rasa.core.actions.action import RemoteAction

    endpoint = EndpointConfig("http://127.0.0.1:1/webhook", enable_selective_domain=True)
    body = RemoteAction("action_red_flag", endpoint)._action_call_format(tracker, DOMAIN)
    return len(json.dumps(body).encode())  # aiohttp's json= uses json.dumps (ASCII escapes)


def test_action_timeout_is_a_few_seconds_not_rasas_300(monkeypatch):
    import rasa.core.actions.action as action_module

    assert action_module.DEFAULT_REQUEST_TIMEOUT == rasa_main.action_timeout() == 5.0
    monkeypatch.setenv("HELSEINFO_ACTION_TIMEOUT", "2.5")
    assert rasa_main.action_timeout() == 2.5
    monkeypatch.setenv("HELSEINFO_ACTION_TIMEOUT", "nonsense")
    assert rasa_main.action_timeout() == 5.0


def test_bounded_events_keep_the_latest_user_message_and_what_followed():
    events = [{"event": "user", "text": "1"}, {"event": "bot"}, {"event": "user", "text": "2"}, {"event": "action"}]
    assert rasa_main.bounded_events(events) == events[2:]
    assert rasa_main.bounded_events([{"event": "action"}]) == [{"event": "action"}]


def test_gitt_200_turer_saa_vokser_ikke_kallet_til_handlingsserveren():
    """Before the patch the call grew by ~1.8 KB a turn and passed 64 KB after ~20 turns (the 413)."""
    from rasa.shared.core.trackers import EventVerbosity

    small, long = call_size(conversation(1)), call_size(conversation(200))
    unbounded = len(json.dumps(conversation(200).current_state(EventVerbosity.ALL)).encode())
    print(f"action call after 1 turn: {small} bytes, after 200 turns: {long} bytes (whole tracker: {unbounded} bytes)")
    assert abs(long - small) < 100  # only the latest user message's events and the slots are sent
    assert long < 16 * 1024 < 64 * 1024 < unbounded


def test_the_largest_call_fits_the_action_servers_own_limit_with_room():
    # The channel's largest body: 16 KB of «ø» (two bytes each in UTF-8, six as a JSON escape).
    largest = "ø" * (MAX_BODY_BYTES // 2 - 100)
    size = call_size(conversation(200, last=largest))
    print(f"largest action call: {size} bytes; limit {DEFAULT_MAX_BYTES}")
    assert size * 2 <= DEFAULT_MAX_BYTES


def test_version_banner_and_cors_are_replaced():
    import rasa.server

    assert rasa.server.add_root_route.__module__ == "assistant.rasa_main"
    assert rasa.server.configure_cors.__module__ == "assistant.rasa_main"
    assert rasa_main.cors_origins(["http://a http://b", "http://c"]) == ["http://a", "http://b", "http://c"]


def run_failing_action(tracker: DialogueStateTracker) -> tuple[list, list]:
    import asyncio

    from rasa.core.actions.action import RemoteAction
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator

    from tests.services import free_port

    action = RemoteAction("action_triage", EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook"))  # nobody listens
    channel = CollectingOutputChannel()
    events = asyncio.run(action.run(channel, TemplatedNaturalLanguageGenerator(DOMAIN.responses), tracker, DOMAIN))
    return events, channel.messages


def test_gitt_handlingsserveren_er_nede_saa_svarer_handlingen_med_numrene_ikke_tomt():
    tracker = DialogueStateTracker.from_events(
        "x", [ActionExecuted("action_listen"), UserUttered("Barnet mitt har feber", metadata={"language": "nn"})], slots=DOMAIN.slots
    )
    events, _ = run_failing_action(tracker)
    [said] = [e for e in events if isinstance(e, BotUttered)]
    assert said.text.startswith("Eg får ikkje svart") and "113" in said.text and "116 117" in said.text
    assert said.data["custom"]["reason"] == "unavailable"


def test_gitt_vakten_har_svart_saa_legger_en_feilet_handling_ikke_til_noe():
    tracker = DialogueStateTracker.from_events(
        "x",
        [
            ActionExecuted("action_listen"),
            UserUttered("Jeg vil ikke leve lenger"),
            ActionExecuted("utter_red_flag_crisis_nb"),
            BotUttered("Ring 113 …"),
        ],
        slots=DOMAIN.slots,
    )
    events, _ = run_failing_action(tracker)
    assert events == []


def test_the_compiled_answer_check_accepts_and_refuses_what_rasas_own_check_does():
    import time

    import jsonschema
    from rasa.core.actions.action import RemoteAction

    action = RemoteAction("action_triage", EndpointConfig("http://127.0.0.1:1/webhook"))
    schema = RemoteAction.action_response_format_spec()
    good = {
        "events": [{"event": "slot", "name": "language", "value": "nb"}, {"event": "action", "name": "action_listen"}],
        "responses": [{"text": "Ring 113", "custom": {"type": "numbers"}}],
    }
    bad = [
        {"events": "not a list"},
        {"events": [{"event": "slot"}]},
        {"responses": ["text"]},
        [],
        {"events": [{"event": "no-such-event"}]},
        {"events": [{"event": "action", "name": "action_listen"}, {"event": "user", "parse_data": "not an object"}]},
        {"events": [{"name": "language", "value": "nb"}]},
        {"events": [{"event": 3}]},
        {"events": ["slot"]},
    ]
    assert action._validate_action_result(good) is True
    jsonschema.validate(good, schema)
    for answer in bad:
        with pytest.raises(jsonschema.ValidationError) as ours:
            action._validate_action_result(answer)
        with pytest.raises(jsonschema.ValidationError) as rasas:
            jsonschema.validate(answer, schema)
        assert ours.value.message.startswith(rasas.value.message)
        assert "Failed to validate Action server response" in ours.value.message
    began = time.perf_counter()
    for _ in range(20):
        action._validate_action_result(good)
    compiled = time.perf_counter() - began
    began = time.perf_counter()
    for _ in range(20):
        jsonschema.validate(good, schema)
    print(f"20 checks: compiled {compiled * 1000:.1f} ms, jsonschema.validate {(time.perf_counter() - began) * 1000:.1f} ms")
    assert compiled * 3 < time.perf_counter() - began


def test_the_graph_runs_without_dask_with_the_same_results_as_dask():
    import dask

    calls = []

    def node(name):
        def call(*inputs):
            calls.append(name)
            return (name, [name, *inputs])

        return call

    graph = {"a": (node("a"), "text"), "b": (node("b"), "a"), "c": (node("c"), "a", "b"), "text": ("text", "hei")}
    assert rasa_main.run_graph(graph, ["c", "b"]) == list(dask.get(graph, ["c", "b"]))
    assert calls.count("a") == 2 and calls.count("b") == 2  # once in each run: a node is computed once


def test_the_trained_model_parses_the_same_with_and_without_dask(monkeypatch):
    import asyncio

    from rasa.core.agent import Agent
    from rasa.engine.runner.dask import DaskGraphRunner

    from assistant.cli import MODEL

    if not MODEL.is_file():
        pytest.fail(f"{MODEL} mangler: kjør 'helseinfo assistant train'")
    assert DaskGraphRunner.run.__module__ == "assistant.rasa_main"
    agent = Agent.load(str(MODEL))
    texts = ("hei", "Jeg har hatt feber i tre dager", "hvor er legevakten i Molde", "Jeg vil ikke leve lenger")
    ours = [asyncio.run(agent.parse_message(text)) for text in texts]
    monkeypatch.setattr(DaskGraphRunner, "run", DaskGraphRunner.run.original)
    theirs = [asyncio.run(agent.parse_message(text)) for text in texts]
    assert [p["intent"] for p in ours] == [p["intent"] for p in theirs]
    assert [p["intent_ranking"] for p in ours] == [p["intent_ranking"] for p in theirs]


def test_the_modules_whose_deep_copies_are_skipped_copy_only_for_debug_logs():
    """Patch 8 is safe only while every ``copy.`` in those modules is an argument of a
    ``structlogger.debug(...)`` call; an upgrade of Rasa that copies for real fails here."""
    import ast
    import importlib
    import inspect

    for name in rasa_main.LOG_ONLY_COPIES:
        tree = ast.parse(inspect.getsource(importlib.import_module(name)))
        in_debug_calls = {
            id(node)
            for call in ast.walk(tree)
            if isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "debug"
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == "structlogger"
            for node in ast.walk(call)
        }
        uses = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "copy"]
        assert uses, name
        assert all(id(use) in in_debug_calls for use in uses), name
        assert importlib.import_module(name).copy.deepcopy([1]) == [1]


def test_the_event_class_table_finds_what_rasas_walk_finds():
    import rasa.shared.utils.common
    from rasa.shared.core.events import Event

    original = rasa_main.event_class_lookup(lambda type_name, default=None: "walked")
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        first = next(c for c in rasa.shared.utils.common.all_subclasses(Event) if c.type_name == cls.type_name)
        assert Event.resolve_by_type(cls.type_name) is first
        assert original(cls.type_name) is first
    assert original("no-such-event") == "walked"  # a name not in the table: Rasa's own answer
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError):
        Event.resolve_by_type("no-such-event")
