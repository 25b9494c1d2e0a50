"""The replies Rasa gives by itself, without the action server, generated from the one place
for numbers (``content_model/contacts.py``).

The red-flag guard's first answer ("Ring 113"; in a crisis 113, Mental Helse, Kirkens SOS and
the legevakt), the polite "too long" answer and the "I cannot answer right now" answer after a
failed custom action are domain responses, so that no failure, size limit or latency of the
action server can silence them. ``helseinfo assistant train`` writes them before training:

- ``assistant/domain/guard.yml``: one response per reply and language (``utter_red_flag_emergency_nb`` …),
  each with its text and a typed ``custom`` payload ``{"type": "numbers", …}``;
- ``assistant/data/rules/guard.yml``: the rules that use them (Rasa's validator wants every
  response used; the guard policy predicts them first anyway).

Never edit those two files by hand: ``python -m assistant.guard_responses`` rewrites them, and
``tests/test_guard_responses.py`` fails when the committed files differ from the generated ones.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from content_model.contacts import ALWAYS, CRISIS, NUMBERS, display

ASSISTANT = Path(__file__).resolve().parent
DOMAIN_FILE = ASSISTANT / "domain" / "guard.yml"
RULES_FILE = ASSISTANT / "data" / "rules" / "guard.yml"
LANGUAGES = ("nb", "nn", "en")
#: Reply kinds: the response name is ``utter_<kind>_<language>``.
KINDS = ("red_flag_emergency", "red_flag_crisis", "too_long", "unavailable")

_EMERGENCY = {
    "nb": "Ring {emergency} nå. Det du beskriver, kan være livstruende og må vurderes med en gang. "
    "{emergency_name} {emergency} svarer hele døgnet.",
    "nn": "Ring {emergency} no. Det du skildrar, kan vere livstrugande og må vurderast med ein gong. "
    "{emergency_name} {emergency} svarar heile døgnet.",
    "en": "Call {emergency} now. What you describe may be life-threatening and needs help at once. "
    "The {emergency_name_lower} {emergency} answers day and night.",
}
_CRISIS = {
    "nb": "Ring {emergency} hvis livet er i fare nå. Du trenger ikke være alene med dette: "
    "{mental_helse_name} {mental_helse} og {kirkens_sos_name} {kirkens_sos} svarer hele døgnet. "
    "{legevakt_name}: {legevakt}.",
    "nn": "Ring {emergency} om livet er i fare no. Du treng ikkje vere åleine med dette: "
    "{mental_helse_name} {mental_helse} og {kirkens_sos_name} {kirkens_sos} svarar heile døgnet. "
    "{legevakt_name}: {legevakt}.",
    "en": "Call {emergency} if a life is in danger now. You do not have to be alone with this: "
    "the {mental_helse_name} {mental_helse} and the {kirkens_sos_name} {kirkens_sos} answer day and night. "
    "{legevakt_name}: {legevakt}.",
}
_NATIONAL = {
    "nb": "Ring {emergency} ved fare for liv. {legevakt_name}: {legevakt}. {mental_helse_name}: {mental_helse}.",
    "nn": "Ring {emergency} ved fare for liv. {legevakt_name}: {legevakt}. {mental_helse_name}: {mental_helse}.",
    "en": "Call {emergency} if life may be in danger. {legevakt_name}: {legevakt}. {mental_helse_name}: {mental_helse}.",
}
_TOO_LONG = {
    "nb": "Meldingen er for lang for meg. Skriv kort hva som plager deg, gjerne i én eller to setninger.",
    "nn": "Meldinga er for lang for meg. Skriv kort kva som plagar deg, gjerne i ei eller to setningar.",
    "en": "Your message is too long for me. Please write briefly what is wrong, in one or two sentences.",
}
_UNAVAILABLE = {
    "nb": "Jeg får ikke svart deg ordentlig akkurat nå. Prøv igjen om litt.",
    "nn": "Eg får ikkje svart deg skikkeleg akkurat no. Prøv igjen om litt.",
    "en": "I cannot answer you properly right now. Please try again in a moment.",
}


def _values(lang: str) -> dict[str, str]:
    values = {}
    for key, number in NUMBERS.items():
        values[key] = display(key)
        values[f"{key}_name"] = number.name[lang]
        values[f"{key}_name_lower"] = number.name[lang][:1].lower() + number.name[lang][1:]
    return values


def text(kind: str, lang: str) -> str:
    """The reply's text, with the numbers filled in from ``content_model.contacts``."""
    values = _values(lang)
    national = _NATIONAL[lang].format(**values)
    if kind == "red_flag_emergency":
        return _EMERGENCY[lang].format(**values)
    if kind == "red_flag_crisis":
        return _CRISIS[lang].format(**values)
    if kind == "too_long":
        return f"{_TOO_LONG[lang]} {national}"
    if kind == "unavailable":
        return f"{_UNAVAILABLE[lang]} {national}"
    raise KeyError(kind)


def numbers_of(kind: str) -> tuple[str, ...]:
    if kind == "red_flag_emergency":
        return ("emergency",)
    if kind == "red_flag_crisis":
        return CRISIS
    return ALWAYS


def payload(kind: str, lang: str) -> dict:
    """The typed ``custom`` payload: which numbers the text carries, for ``tel:`` links."""
    return {
        "type": "numbers",
        "reason": kind.replace("red_flag_", ""),
        "language": lang,
        "numbers": [
            {"key": key, "tel": NUMBERS[key].tel, "display": NUMBERS[key].display, "name": NUMBERS[key].name[lang]}
            for key in numbers_of(kind)
        ],
    }


def response_name(kind: str, lang: str) -> str:
    return f"utter_{kind}_{lang if lang in LANGUAGES else 'nb'}"


def messages(kind: str, lang: str) -> list[dict]:
    """The reply as the REST channel sends it (text, then the payload), for the channel's own use."""
    return [{"text": text(kind, lang)}, {"custom": payload(kind, lang)}]


_HEADER = "# Generated by assistant/guard_responses.py from content_model/contacts.py; do not edit.\n"


def domain_yaml() -> str:
    responses = {
        response_name(kind, lang): [{"text": text(kind, lang), "custom": payload(kind, lang)}] for kind in KINDS for lang in LANGUAGES
    }
    return _HEADER + yaml.safe_dump({"version": "3.1", "responses": responses}, allow_unicode=True, sort_keys=False, width=1000)


def rules_yaml() -> str:
    rules = []
    for lang in LANGUAGES:
        for kind in ("red_flag_emergency", "red_flag_crisis"):
            rules.append(
                {
                    "rule": f"Gitt vaktens svar ({kind}, {lang}), så forklarer action_red_flag når den kan",
                    "steps": [{"action": response_name(kind, lang)}, {"action": "action_red_flag"}],
                }
            )
        for kind in ("too_long", "unavailable"):
            rules.append(
                {
                    "rule": f"Gitt svaret {kind} ({lang}), så venter assistenten på personen",
                    "steps": [{"action": response_name(kind, lang)}],
                }
            )
    return _HEADER + yaml.safe_dump({"version": "3.1", "rules": rules}, allow_unicode=True, sort_keys=False, width=1000)


def write() -> list[Path]:
    """Write the generated files if they differ; returns the files written."""
    written = []
    for path, content in ((DOMAIN_FILE, domain_yaml()), (RULES_FILE, rules_yaml())):
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    for path in write():
        print(f"skrev {path}", file=sys.stderr)
