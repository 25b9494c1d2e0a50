"""Reader-facing labels in bokmål and nynorsk: one place, so every care card says the same."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from content_model.contacts import with_numbers
from content_model.levels import LEVEL_ACTION

_LABELS = {
    "nb": {
        "care_heading": "Når bør du kontakte helsetjenesten?",
        "emergency": LEVEL_ACTION["nb"]["emergency"] + " hvis ett eller flere av disse gjelder",
        "urgent": LEVEL_ACTION["nb"]["urgent"] + " hvis ett eller flere av disse gjelder",
        "gp": LEVEL_ACTION["nb"]["gp"] + " hvis ett eller flere av disse gjelder",
        "self_care": LEVEL_ACTION["nb"]["self_care"] + " hvis dette gjelder",
        "emergency_tag": "Akutt",
        "urgent_tag": "Haster",
        "gp_tag": "Fastlege",
        "self_care_tag": "Selvhjelp",
        "call_113": "Ring {emergency}",
        "call_116117": "Ring legevakten {legevakt}",
        "akutt_link": "Se tegnene som alltid betyr at du skal ringe {emergency}",
        "self_care_heading": "Dette kan du gjøre selv",
        "sources": "Kilder",
        "about_text": "Om denne teksten",
        "responsible": "Ansvarlig",
        "last_reviewed": "Sist faglig oppdatert",
        "next_review": "Neste revisjon",
        "approved_by": "Faglig godkjent av",
        "draft": "Denne teksten venter på faglig godkjenning. Ingen navngitt fagperson har gått den gjennom ennå. Ring {emergency} ved fare for liv, og legevakten på {legevakt} hvis du er usikker.",
        "changed": "Skrevet eller sist endret",
        "services_heading": "Hjelp og tilbud der du bor",
        "legevakt_finder": "Finn legevakten i kommunen din",
        "directory_type": "{{type}}: finn det som gjelder deg i oversikten over helsetjenester",
        "groups_heading": "Kurs og grupper",
        "unverified": "ikke bekreftet",
        "type_fodeavdeling": "Fødeavdelinger",
        "type_sykehus": "Sykehus",
        "type_apotek": "Apotek",
        "status": "Status",
        "status_draft": "Venter på faglig godkjenning",
        "overdue": "Revisjonen av denne teksten er forsinket. Den skulle vært gjennomgått {{date}}.",
        "other_language": "Les på nynorsk",
        "icpc2": "ICPC-2",
        "numbers": "Viktige telefonnumre: {emergency} (medisinsk nødhjelp), {legevakt} (legevakt), {mental_helse} (Mental Helses hjelpetelefon).",
    },
    "nn": {
        "care_heading": "Når bør du kontakte helsetenesta?",
        "emergency": LEVEL_ACTION["nn"]["emergency"] + " om eitt eller fleire av desse gjeld",
        "urgent": LEVEL_ACTION["nn"]["urgent"] + " om eitt eller fleire av desse gjeld",
        "gp": LEVEL_ACTION["nn"]["gp"] + " om eitt eller fleire av desse gjeld",
        "self_care": LEVEL_ACTION["nn"]["self_care"] + " om dette gjeld",
        "emergency_tag": "Akutt",
        "urgent_tag": "Hastar",
        "gp_tag": "Fastlege",
        "self_care_tag": "Sjølvhjelp",
        "call_113": "Ring {emergency}",
        "call_116117": "Ring legevakta {legevakt}",
        "akutt_link": "Sjå teikna som alltid betyr at du skal ringje {emergency}",
        "self_care_heading": "Dette kan du gjere sjølv",
        "sources": "Kjelder",
        "about_text": "Om denne teksten",
        "responsible": "Ansvarleg",
        "last_reviewed": "Sist fagleg oppdatert",
        "next_review": "Neste revisjon",
        "approved_by": "Fagleg godkjend av",
        "draft": "Denne teksten ventar på fagleg godkjenning. Ingen namngitt fagperson har gått gjennom han enno. Ring {emergency} ved fare for liv, og legevakta på {legevakt} om du er usikker.",
        "changed": "Skriven eller sist endra",
        "services_heading": "Hjelp og tilbod der du bur",
        "legevakt_finder": "Finn legevakta i kommunen din",
        "directory_type": "{{type}}: finn det som gjeld deg i oversikta over helsetenester",
        "groups_heading": "Kurs og grupper",
        "unverified": "ikkje stadfesta",
        "type_fodeavdeling": "Fødeavdelingar",
        "type_sykehus": "Sjukehus",
        "type_apotek": "Apotek",
        "status": "Status",
        "status_draft": "Ventar på fagleg godkjenning",
        "overdue": "Revisjonen av denne teksten er forseinka. Han skulle vore gjennomgått {{date}}.",
        "other_language": "Les på bokmål",
        "icpc2": "ICPC-2",
        "numbers": "Viktige telefonnummer: {emergency} (medisinsk naudhjelp), {legevakt} (legevakt), {mental_helse} (Mental Helse sin hjelpetelefon).",
    },
}
#: The numbers come from content_model/contacts.py, the one place they are written.
LABELS = with_numbers(_LABELS)


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["nb"])


def long_date(value: dt.date, language: str) -> str:
    """``25. november 2026`` in the page's language."""
    return format_date(value, "d. MMMM y", locale="nn" if language == "nn" else "nb")
