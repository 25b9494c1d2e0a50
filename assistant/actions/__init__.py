"""rasa_sdk actions: thin, calling the triage engine, the catalogue, the search index and the portal routes."""

from assistant.redact import install_log_redaction

install_log_redaction()
