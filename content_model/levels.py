"""What each level of a care card tells the reader to do, in each language: one place for the
site's care-card headings and the assistant's answer. ``{emergency}`` and ``{legevakt}`` are
filled in from ``content_model.contacts`` (``with_numbers``)."""

from __future__ import annotations

LEVEL_ACTION: dict[str, dict[str, str]] = {
    "nb": {
        "emergency": "Ring {emergency}",
        "urgent": "Ring legevakten på {legevakt} eller fastlegen samme dag",
        "gp": "Bestill time hos fastlegen",
        "self_care": "Du kan som regel ta vare på deg selv",
    },
    "nn": {
        "emergency": "Ring {emergency}",
        "urgent": "Ring legevakta på {legevakt} eller fastlegen same dag",
        "gp": "Bestill time hos fastlegen",
        "self_care": "Du kan som regel ta vare på deg sjølv",
    },
    "en": {
        "emergency": "Call {emergency} (the Norwegian emergency number)",
        "urgent": "Call the out-of-hours service (legevakt) on {legevakt}, or your GP the same day",
        "gp": "Book an appointment with your GP (fastlege)",
        "self_care": "You can usually look after yourself",
    },
}
