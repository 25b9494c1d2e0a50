"""``python -m assistant.action_server --port 5055``: rasa_sdk's action server, locked down.

- Listens on 127.0.0.1 only.
- Every route but ``GET /health`` needs the shared token in the ``X-Helseinfo-Token`` header
  (``HELSEINFO_ACTION_TOKEN``; ``helseinfo assistant run`` makes a new random one at every
  start and gives it to both processes, and Rasa sends it from the endpoints file's
  ``action_endpoint.headers``). Without it: 401, and nothing is run or listed.
- No CORS (only Rasa calls it) and no request bodies in error responses: rasa_sdk's own 500
  handler echoes the whole request, user text included; here it answers ``{"error": "internal"}``.
- Its own request size limit, ``HELSEINFO_ACTION_MAX_BYTES`` (default ``DEFAULT_MAX_BYTES``), apart
  from Rasa's: Rasa sends only the events from the latest user message on
  (``assistant/rasa_main.py``), so the body no longer grows with the conversation: 1.6 KB after
  1 turn and after 200 (the whole tracker was 347 KB). The largest body measured
  (``tests/test_rasa_main.py``), a message of the channel's largest size (16 KB of «ø», six
  bytes each as a JSON escape, present several times in the tracker), is 147 KB. The limit
  (1 MB) leaves room for that seven times over, and for the triage slot, which keeps what
  was said about the same problem across turns. Should a call still be refused, the person
  gets the numbers from the domain (``utter_unavailable_*``).
- The library, triage engine and catalogue of the current release are loaded before it listens
  (``warm_up``): loaded by the first triage call instead, they took 3–8 s, past Rasa's action
  timeout, and the first people got "cannot answer right now".
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os

from assistant.redact import install_log_redaction

install_log_redaction()
logger = logging.getLogger(__name__)

TOKEN_HEADER = "X-Helseinfo-Token"
TOKEN_ENV = "HELSEINFO_ACTION_TOKEN"
DEFAULT_MAX_BYTES = 1024 * 1024


def max_bytes() -> int:
    try:
        return int(os.environ.get("HELSEINFO_ACTION_MAX_BYTES", DEFAULT_MAX_BYTES))
    except ValueError:
        return DEFAULT_MAX_BYTES


def create_app(token: str):
    from rasa_sdk.endpoint import create_app as sdk_create_app
    from sanic import response

    if not token:
        raise SystemExit(f"{TOKEN_ENV} mangler: handlingsserveren starter ikke uten delt nøkkel")
    app = sdk_create_app("assistant.actions", cors_origins=None)
    app.config.REQUEST_MAX_SIZE = max_bytes()
    expected = token.encode("utf-8")

    @app.on_request
    async def require_token(request):
        if request.path == "/health" and request.method == "GET":
            return None
        given = (request.headers.get(TOKEN_HEADER) or "").encode("utf-8")
        if not hmac.compare_digest(given, expected):
            return response.json({"error": "unauthorized"}, status=401)
        return None

    async def internal_error(request, exception):
        from sanic.exceptions import SanicException

        if isinstance(exception, SanicException):
            status = getattr(exception, "status_code", 500) or 500
            return response.json({"error": exception.__class__.__name__}, status=status)
        logger.error("Handlingen feilet: %s", exception.__class__.__name__, exc_info=exception)
        return response.json({"error": "internal"}, status=500)

    app.error_handler.add(Exception, internal_error)
    return app


def warm_up() -> None:
    """Load what the actions share for the current release; a failure is logged, not fatal
    (the actions then load on first use, as they would anyway)."""
    from assistant.actions import common

    try:
        common.engine()
        common.catalog()
    except Exception as exc:  # noqa: BLE001
        logger.error("Kunne ikke laste biblioteket eller katalogen ved start: %s", exc.__class__.__name__)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Handlingsserveren (rasa_sdk) på 127.0.0.1 med delt nøkkel.")
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.captureWarnings(True)
    app = create_app(os.environ.get(TOKEN_ENV, ""))
    warm_up()
    logger.info("Handlingsserveren lytter på http://127.0.0.1:%d (grense %d byte)", args.port, app.config.REQUEST_MAX_SIZE)
    app.run("127.0.0.1", args.port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
