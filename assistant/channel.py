"""The assistant's HTTP boundary: Rasa's REST channel with the body validated before Rasa sees it.

Registered in ``assistant/credentials.yml`` under the name ``rest``, so the address stays
``POST /webhooks/rest/webhook`` and the replies keep the contract's payloads. What it accepts:

- a body of at most ``MAX_BODY_BYTES`` (16 KB), ``Content-Type: application/json``, one JSON object;
- ``sender``: a random UUID version 4 (``xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx``), the
  conversation's only credential. Rasa, the tracker store, the action server and the logs only
  ever see its SHA-256 (``conversation_id``), never the id itself;
- ``message``: a non-empty string. Longer than ``MAX_MESSAGE_CHARS`` it is still answered (200):
  the red-flag guard reads it, then the polite "too long" reply with the numbers. A leading
  ``/`` is Rasa's intent syntax; only the follow-up buttons' ``/affirm``, ``/deny`` and
  ``/dont_know`` keep it, anything else is read as text;
- ``metadata`` (optional): an object; ``language`` one of nb, nn, en; ``logged_in`` a JSON
  boolean; ``municipality`` a four-digit string; ``seq`` the client's own count of the
  conversation's messages (0, 1, 2 …), for a client that sends without waiting for answers:
  a message then waits (at most ``ORDER_WAIT`` seconds) until the one numbered before it has
  been answered, so a conversation's messages are handled in the order they were written.
  Other keys are dropped;
- ``{"sender": …, "delete": true}`` instead of a message deletes that sender's conversation
  from the tracker store and answers ``{"deleted": true}``.

Anything else is answered with a JSON error ``{"error": code, "message": Norwegian text}`` and
400, 413 or 415, never 500 and never a silent ``[]``: if Rasa produced nothing (a failure
inside Rasa), the reply is the "cannot answer right now" message with the national numbers.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant import guard_responses
from assistant.redact import install_log_redaction

install_log_redaction()
logger = logging.getLogger(__name__)

#: Largest request body the channel reads (bytes).
MAX_BODY_BYTES = 16 * 1024
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\Z", re.IGNORECASE)
MUNICIPALITY = re.compile(r"[0-9]{4}\Z")
LANGUAGES = ("nb", "nn", "en")
#: How long a message numbered ``seq`` waits for the one numbered before it (seconds).
ORDER_WAIT = 2.0
#: Rasa's intent syntax is kept only for the follow-up questions' buttons.
BUTTON_PAYLOADS = ("/affirm", "/deny", "/dont_know")
_HELP = " Ved fare for liv, ring 113."


class BadRequest(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(code)
        self.status, self.code, self.message = status, code, message

    def response(self) -> HTTPResponse:
        return response.json({"error": self.code, "message": self.message + _HELP}, status=self.status)


def conversation_id(sender: str) -> str:
    """What Rasa knows a conversation by: the SHA-256 of the sender's UUID, never the UUID."""
    return hashlib.sha256(sender.lower().encode("ascii")).hexdigest()


def valid_sender(body: dict) -> str:
    sender = body.get("sender")
    if not isinstance(sender, str) or not UUID4.match(sender):
        raise BadRequest(400, "sender", "«sender» må være en tilfeldig UUID versjon 4 (for eksempel fra crypto.randomUUID()).")
    return sender.lower()


def valid_metadata(body: dict) -> dict[str, Any]:
    if "metadata" not in body:
        return {}
    metadata = body["metadata"]
    if not isinstance(metadata, dict):
        raise BadRequest(400, "metadata", "«metadata» må være et JSON-objekt.")
    clean: dict[str, Any] = {}
    if "language" in metadata:
        if metadata["language"] not in LANGUAGES:
            raise BadRequest(400, "metadata.language", "«metadata.language» må være «nb», «nn» eller «en».")
        clean["language"] = metadata["language"]
    if "logged_in" in metadata:
        if not isinstance(metadata["logged_in"], bool):
            raise BadRequest(400, "metadata.logged_in", "«metadata.logged_in» må være true eller false (JSON), ikke tekst eller tall.")
        clean["logged_in"] = metadata["logged_in"]
    if "municipality" in metadata:
        number = metadata["municipality"]
        if not isinstance(number, str) or not MUNICIPALITY.match(number):
            raise BadRequest(400, "metadata.municipality", "«metadata.municipality» må være et kommunenummer med fire sifre, som tekst.")
        clean["municipality"] = number
    if "seq" in metadata:
        seq = metadata["seq"]
        if not isinstance(seq, int) or isinstance(seq, bool) or not 0 <= seq < 2**31:
            raise BadRequest(400, "metadata.seq", "«metadata.seq» må være et heltall fra 0 og oppover.")
        clean["seq"] = seq
    return clean


class Ordering:
    """A conversation's numbered messages handled in their order, in this process (nginx sends
    every message of a conversation to the same Rasa server). A message waits until the one
    numbered before it has been answered: at most ``wait`` seconds once that one has arrived,
    at most ``unseen`` seconds while it has not (a lost message never blocks the conversation).
    Bounded: the oldest conversations are forgotten."""

    def __init__(self, wait: float = ORDER_WAIT, unseen: float = 0.3, size: int = 10_000):
        self.wait, self.unseen, self.size = wait, unseen, size
        self._started: OrderedDict[str, int] = OrderedDict()  # conversation → highest seq started
        self._answered: OrderedDict[str, int] = OrderedDict()  # conversation → highest seq answered
        self._changed: asyncio.Condition | None = None

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    async def turn(self, conversation: str, seq: int) -> None:
        """Return when it is ``seq``'s turn in ``conversation``."""
        loop = asyncio.get_running_loop()
        began = loop.time()
        changed = self._condition()
        async with changed:
            while seq > 0 and self._answered.get(conversation, -1) < seq - 1:
                arrived = self._started.get(conversation, -1) >= seq - 1
                left = began + (self.wait if arrived else self.unseen) - loop.time()
                if left <= 0:
                    break  # the message before it was lost or is very late: go on
                try:
                    await asyncio.wait_for(changed.wait(), left)
                except asyncio.TimeoutError:
                    pass
            self._note(self._started, conversation, seq)
            changed.notify_all()

    async def answered(self, conversation: str, seq: int) -> None:
        changed = self._condition()
        async with changed:
            self._note(self._answered, conversation, seq)
            changed.notify_all()

    def _note(self, table: OrderedDict[str, int], conversation: str, seq: int) -> None:
        table[conversation] = max(seq, table.get(conversation, -1))
        table.move_to_end(conversation)
        while len(table) > self.size:
            table.popitem(last=False)


def valid_message(body: dict) -> str:
    message = body.get("message")
    if not isinstance(message, str) or not message.strip():
        raise BadRequest(400, "message", "«message» må være tekst som ikke er tom.")
    message = message.strip()
    if message.startswith("/") and message not in BUTTON_PAYLOADS:
        message = message.lstrip("/ ").strip()
        if not message:
            raise BadRequest(400, "message", "«message» må være tekst som ikke er tom.")
    return message


def parse_body(request: Request) -> dict:
    """The request's JSON object, or ``BadRequest``."""
    body = request.body or b""
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest(413, "too_large", f"Forespørselen er for stor (høyst {MAX_BODY_BYTES // 1024} KB).")
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise BadRequest(415, "content_type", "Forespørselen må ha «Content-Type: application/json».")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadRequest(400, "invalid_json", "Forespørselen er ikke gyldig JSON.") from None
    if not isinstance(data, dict):
        raise BadRequest(400, "not_object", "Forespørselen må være ett JSON-objekt med «sender» og «message».")
    return data


def exception_chain(exc: BaseException | None) -> str:
    """``GraphComponentException <- ContentError``: the classes of an exception and its causes."""
    names: list[str] = []
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen and len(names) < 6:
        seen.add(id(exc))
        names.append(exc.__class__.__name__)
        exc = exc.__cause__ or exc.__context__
    return " <- ".join(names)


def _underlying_store(store: Any) -> Any:
    """The SQL tracker store inside Rasa's wrappers (``AwaitableTrackerStore``, ``FailSafeTrackerStore``)."""
    for _ in range(5):
        if hasattr(store, "delete_conversation"):
            return store
        store = getattr(store, "_tracker_store", None)
        if store is None:
            break
    return None


class HelseinfoRestInput(InputChannel):
    """``/webhooks/rest/webhook``: Rasa's REST channel with validation, hashed senders and delete."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @property
    def ordering(self) -> Ordering:
        if getattr(self, "_ordering", None) is None:
            self._ordering = Ordering()
        return self._ordering

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("helseinfo_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = parse_body(request)
                sender = valid_sender(body)
                if "delete" in body:
                    if body["delete"] is not True or "message" in body:
                        raise BadRequest(400, "delete", 'Sletting sendes som {"sender": …, "delete": true}, uten «message».')
                    return await self._delete(request, conversation_id(sender))
                text = valid_message(body)
                metadata = valid_metadata(body)
            except BadRequest as refused:
                return refused.response()
            return await self._answer(on_new_message, sender, text, metadata)

        return webhook

    async def _answer(self, on_new_message, sender: str, text: str, metadata: dict) -> HTTPResponse:
        collector = CollectingOutputChannel()
        conversation = conversation_id(sender)
        seq = metadata.pop("seq", None)
        if seq is not None:
            await self.ordering.turn(conversation, seq)
        try:
            await on_new_message(UserMessage(text, collector, conversation, input_channel=self.name(), metadata=metadata))
        except Exception as exc:  # noqa: BLE001
            # Never the text (an exception's message may quote it): only the exceptions' classes.
            # Whatever was already said is still sent.
            logger.error("Meldingen kunne ikke behandles ferdig: %s", exception_chain(exc))
        finally:
            if seq is not None:
                await self.ordering.answered(conversation, seq)
        messages = list(collector.messages)
        if not messages:
            messages = guard_responses.messages("unavailable", metadata.get("language", "nb"))
        for message in messages:
            message["recipient_id"] = sender  # the client's own id back, as Rasa's REST channel does
        return response.json(messages)

    async def _delete(self, request: Request, conversation: str) -> HTTPResponse:
        agent = getattr(request.app.ctx, "agent", None)
        store = _underlying_store(getattr(agent, "tracker_store", None))
        if agent is None or store is None:  # no agent: no store either
            logger.error("Sletting: fant ikke et trackerlager som kan slette")
            return response.json(
                {"error": "unavailable", "message": "Samtalen kan ikke slettes akkurat nå; prøv igjen." + _HELP}, status=503
            )
        try:
            async with agent.lock_store.lock(conversation, wait_time_in_seconds=0.2):
                await store.delete_conversation(conversation)
        except Exception as exc:  # noqa: BLE001
            logger.error("Sletting feilet: %s", exc.__class__.__name__)
            return response.json(
                {"error": "unavailable", "message": "Samtalen kan ikke slettes akkurat nå; prøv igjen." + _HELP}, status=503
            )
        return response.json({"deleted": True})

    def get_output_channel(self) -> Any | None:
        return None
