"""``python -m assistant.rasa_main run …``: Rasa's own command line, with the project's patches.

``helseinfo assistant run`` (and the tests) start Rasa through this module instead of the
``rasa`` script. Before Rasa's ``main()`` runs it changes, in this process only:

1. **The action timeout.** Rasa 3.6 hard-codes 300 s for a call to the action server
   (``DEFAULT_REQUEST_TIMEOUT`` in ``rasa/core/actions/action.py``, read at call time). It is set
   to ``HELSEINFO_ACTION_TIMEOUT`` seconds (default 5). A hung action server then costs the
   person a few seconds, not five minutes, and the guard's "cannot answer right now" reply
   with the numbers follows (``assistant/policies.py``).
2. **A bounded tracker to the action server.** Rasa 3.6 sends every event of the conversation
   with every action call and has no setting to limit it. ``RemoteAction._action_call_format``
   is wrapped to send only the events from the latest user message on; the actions read the
   latest message and the slots, which are sent whole. With ``enable_selective_domain`` in
   the endpoints file the domain is not sent either. The body then no longer grows with the
   conversation (measured in ``tests/test_rasa_main.py``).
3. **No version banner.** ``GET /`` answers ``{"status": "ok"}`` instead of "Hello from Rasa: 3.6.x".
4. **CORS.** Only for ``HELSEINFO_CORS_ORIGINS`` (``--cors``), without credentials, only POST and
   OPTIONS, only the ``Content-Type`` header (Rasa's own set-up allows credentials and every method).
5. **A failed action still answers.** ``RemoteAction.run`` is wrapped: when the call fails
   (connection refused, timeout, 4xx/5xx other than a rejection), the person gets
   ``utter_unavailable_<lang>`` (the national numbers, from the domain) unless something was
   already said since their message (the guard's 113). Rasa's own handling would log a
   traceback and send nothing.
6. **The action server's answer is checked against a schema compiled once.** Rasa 3.6 checks
   every answer with ``jsonschema.validate``, which first checks the (large) events schema
   itself against the JSON Schema meta-schema, on every call: under load that was 38 % of the
   Rasa process's CPU time (py-spy, ``docs/benchmarks.md``). ``_validate_action_result`` now
   uses one validator built at start-up, and checks each event against the one alternative of
   the events' ``oneOf`` that its ``event`` name selects (the alternatives are told apart by
   that name; checking all 23 cost 0.5 ms per event). The answers it accepts and refuses, and
   the start of the error's message, are the same (``tests/test_rasa_main.py``).
7. **The model's graph runs without dask.** Rasa runs its graph (the NLU pipeline for every
   message, the policies for every action) through ``dask.get``, which orders and schedules the
   tasks of a graph of a dozen nodes anew each time: 7 % of the Rasa process's CPU under load.
   ``DaskGraphRunner.run`` is replaced by ``run_graph``, which evaluates the same dask graph in
   dependency order, each node once. The results are the same (a test runs both).
8. **No deep copies for debug logs nobody reads.** Rasa builds the arguments of its debug log
   calls before the logger looks at the level: ``structlogger.debug(..., states=copy.deepcopy(states))``
   in the message processor, the rule policy and the memoization policy, for every message and
   action. Under load that was a tenth of the Rasa process's CPU (py-spy). In those three
   modules, which use ``copy`` for nothing else (``LOG_ONLY_COPIES``; a test reads their source),
   ``copy.deepcopy`` passes the value itself: a debug log, if on, shows the same values.
9. **An event's class is looked up in a table.** ``Event.resolve_by_type`` walked every subclass
   of ``Event`` (``all_subclasses``, recursively) for each event of each tracker read from the
   store. It now looks in a table built from the same walk, and walks again for a name not in it.
10. **Logs.** Python warnings (``UserWarning`` from Rasa about a message's text) and uncaught
   exceptions go through logging, where ``assistant.redact`` redacts every record.

Each patch is checked by ``tests/test_rasa_main.py``; when Rasa is upgraded, check that the
patched names still exist (``apply_patches`` fails loudly if not).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from assistant.redact import install_log_redaction

logger = logging.getLogger("assistant.rasa_main")

#: Seconds Rasa waits for the action server (``HELSEINFO_ACTION_TIMEOUT``).
DEFAULT_ACTION_TIMEOUT = 5.0


def action_timeout() -> float:
    try:
        value = float(os.environ.get("HELSEINFO_ACTION_TIMEOUT", DEFAULT_ACTION_TIMEOUT))
    except ValueError:
        value = DEFAULT_ACTION_TIMEOUT
    return value if value > 0 else DEFAULT_ACTION_TIMEOUT


def bounded_events(events: list[dict]) -> list[dict]:
    """The events from the latest user message on (all of them if there is none)."""
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "user":
            return events[index:]
    return events


def cors_origins(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return value.split()
    return [origin for item in value for origin in str(item).split()]


def apply_patches() -> None:
    import rasa.core.actions.action as action_module
    import rasa.server
    from sanic import response
    from sanic_cors import CORS

    needed = ("_action_call_format", "_validate_action_result", "action_response_format_spec")
    if not hasattr(action_module, "DEFAULT_REQUEST_TIMEOUT") or not all(hasattr(action_module.RemoteAction, n) for n in needed):
        raise RuntimeError("assistant.rasa_main: Rasa's action module has changed; check the patches")
    action_module.DEFAULT_REQUEST_TIMEOUT = action_timeout()

    original_format = action_module.RemoteAction._action_call_format
    if not getattr(original_format, "_helseinfo", False):

        def _action_call_format(self, tracker, domain):
            body = original_format(self, tracker, domain)
            state = body.get("tracker") or {}
            if isinstance(state.get("events"), list):
                state["events"] = bounded_events(state["events"])
            return body

        _action_call_format._helseinfo = True  # type: ignore[attr-defined]  # a marker on the function: patched once
        action_module.RemoteAction._action_call_format = _action_call_format

    def add_root_route(app) -> None:
        @app.get("/")
        async def status(_request):
            return response.json({"status": "ok"})

    def configure_cors(app, cors_origins_value=""):
        CORS(
            app,
            resources={r"/webhooks/rest/webhook": {"origins": cors_origins(cors_origins_value)}},
            methods=["POST", "OPTIONS"],
            allow_headers=["Content-Type"],
            supports_credentials=False,
            automatic_options=True,
            max_age=600,
        )

    original_run = action_module.RemoteAction.run
    if not getattr(original_run, "_helseinfo", False):

        async def run(self, output_channel, nlg, tracker, domain):
            try:
                return await original_run(self, output_channel, nlg, tracker, domain)
            except action_module.ActionExecutionRejection:
                raise
            except Exception as exc:  # noqa: BLE001 (refused, timed out, failed: answer anyway)
                return await unavailable_reply(self.name(), exc, output_channel, nlg, tracker)

        run._helseinfo = True  # type: ignore[attr-defined]  # a marker on the function: patched once
        action_module.RemoteAction.run = run

    original_validate = action_module.RemoteAction._validate_action_result
    if not getattr(original_validate, "_helseinfo", False):
        action_module.RemoteAction._validate_action_result = compiled_result_validation(action_module)

    from rasa.engine.runner.dask import DaskGraphRunner

    if not all(hasattr(DaskGraphRunner, n) for n in ("_build_dask_graph", "_add_inputs_to_graph")):
        raise RuntimeError("assistant.rasa_main: Rasa's graph runner has changed; check the patches")
    if not getattr(DaskGraphRunner.run, "_helseinfo", False):
        DaskGraphRunner.run = graph_runner_without_dask(DaskGraphRunner.run)

    rasa.server.add_root_route = add_root_route
    rasa.server.configure_cors = configure_cors

    for module in log_only_copy_modules():
        module.copy = _LOG_ONLY_COPY

    from rasa.shared.core.events import Event

    if not getattr(Event.resolve_by_type, "_helseinfo", False):
        Event.resolve_by_type = staticmethod(event_class_lookup(Event.resolve_by_type))


#: Modules that use ``copy`` only for the arguments of debug log calls (patch 8).
LOG_ONLY_COPIES = ("rasa.core.processor", "rasa.core.policies.rule_policy", "rasa.core.policies.memoization")


class _LogOnlyCopy:
    """``copy`` for a debug log's arguments: the value itself (see patch 8)."""

    @staticmethod
    def deepcopy(value: Any) -> Any:
        return value


_LOG_ONLY_COPY = _LogOnlyCopy()


def log_only_copy_modules() -> list:
    import importlib

    modules = [importlib.import_module(name) for name in LOG_ONLY_COPIES]
    for module in modules:
        if not hasattr(module, "copy") or not hasattr(module, "structlogger"):
            raise RuntimeError(f"assistant.rasa_main: {module.__name__} has changed; check patch 8")
    return modules


def event_class_lookup(original):
    """``Event.resolve_by_type`` through a table of the event classes by type name (patch 9)."""
    import rasa.shared.utils.common
    from rasa.shared.core.events import Event

    table: dict = {}

    def resolve_by_type(type_name, default=None):
        cls = table.get(type_name)
        if cls is None:
            for subclass in rasa.shared.utils.common.all_subclasses(Event):
                table.setdefault(subclass.type_name, subclass)
            cls = table.get(type_name)
        return cls if cls is not None else original(type_name, default)

    resolve_by_type._helseinfo = True  # a marker on the function: patched once
    return resolve_by_type


def run_graph(graph: dict, targets: list) -> list:
    """``dask.get(graph, targets)`` for Rasa's graphs: a task is ``(callable, *keys)``, any other
    value is itself; each key is computed once, its dependencies first."""
    done: dict = {}

    def value(key):
        if key not in done:
            task = graph[key]
            if isinstance(task, tuple) and task and callable(task[0]):
                done[key] = task[0](*(value(k) if isinstance(k, str) and k in graph else k for k in task[1:]))
            else:
                done[key] = task
        return done[key]

    return [value(target) for target in targets]


def graph_runner_without_dask(original_run):
    """``DaskGraphRunner.run`` with ``run_graph`` instead of ``dask.get`` (see patch 7)."""

    def run(self, inputs=None, targets=None):
        from rasa.engine.exceptions import GraphRunError

        run_targets = targets if targets else self._graph_schema.target_names
        run_graph_spec = self._build_dask_graph(self._graph_schema.minimal_graph_schema(run_targets))
        if inputs:
            self._add_inputs_to_graph(inputs, run_graph_spec)
        try:
            return dict(run_graph(run_graph_spec, run_targets))
        except RuntimeError as e:
            raise GraphRunError("Error running runner.") from e

    run._helseinfo = True
    run.original = original_run
    return run


def compiled_result_validation(action_module):
    """``RemoteAction._validate_action_result`` with the response schema checked and compiled once,
    and each event checked against the one alternative its ``event`` name selects (patch 6)."""
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for

    schema = action_module.RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    by_event = discriminated_events(schema, cls)
    if by_event is not None:
        items = schema["properties"]["events"]["items"]
        base = {
            **schema,
            "properties": {
                **schema["properties"],
                "events": {**schema["properties"]["events"], "items": {k: v for k, v in items.items() if k != "oneOf"}},
            },
        }
        validator = cls(base)

    def event_error(event):
        if not isinstance(event, dict) or "event" not in event:
            return None  # the base schema refuses it (an object with an event name)
        alternative = by_event.get(event["event"]) if isinstance(event["event"], str) else None
        if alternative is None or next(alternative.iter_errors(event), None) is not None:
            return ValidationError(f"{event!r} is not valid under any of the given schemas")
        return None

    def _validate_action_result(self, result):
        error = None
        if by_event is not None and isinstance(result, dict) and isinstance(result.get("events"), list):
            error = next((e for e in map(event_error, result["events"]) if e is not None), None)
        if error is None:
            error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        if isinstance(error, ValidationError):
            error.message += (
                ". Failed to validate Action server response from API, make sure your response from "
                "the Action endpoint is valid. For more information about the format visit "
                f"{action_module.DOCS_BASE_URL}/custom-actions"
            )
        raise error

    _validate_action_result._helseinfo = True
    return _validate_action_result


def discriminated_events(schema: dict, cls) -> dict | None:
    """A validator per event name when every alternative of the events' ``oneOf`` is selected by
    its own ``event`` constant (then exactly that one can match); ``None`` when not."""
    items = schema.get("properties", {}).get("events", {}).get("items", {})
    alternatives = items.get("oneOf") or []
    names = [a.get("properties", {}).get("event", {}).get("const") for a in alternatives]
    if not alternatives or not all(isinstance(n, str) for n in names) or len(set(names)) != len(names):
        return None
    return {name: cls(alternative) for name, alternative in zip(names, alternatives)}


async def unavailable_reply(name: str, exc: BaseException, output_channel, nlg, tracker) -> list:
    """The numbers instead of a failed action's answer, unless the person already has an answer."""
    from rasa.core.actions.action import create_bot_utterance

    from assistant.guard_responses import response_name
    from assistant.policies import answered_since_user, reply_language

    logger.error("Handlingen %s feilet (%s); svarer uten handlingsserveren", name, exc.__class__.__name__)
    if answered_since_user(tracker):
        return []
    draft = await nlg.generate(response_name("unavailable", reply_language(tracker, None)), tracker, output_channel.name())
    return [create_bot_utterance(draft)] if draft else []


def route_warnings_and_exceptions_through_logging() -> None:
    install_log_redaction()
    logging.captureWarnings(True)

    def excepthook(kind, value, traceback):
        logging.getLogger("helseinfo").critical("Ufanget unntak", exc_info=(kind, value, traceback))

    sys.excepthook = excepthook


def main(argv: list[str] | None = None) -> None:
    route_warnings_and_exceptions_through_logging()
    apply_patches()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
