"""Finding the legevakt, hospital, LMS, frisklivssentral … of a municipality, with opening hours."""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.common import NATIONAL, catalog, language, municipality, site_link, user_text

#: Words people use for each service type (bokmål, nynorsk, English), matched as word starts.
TYPE_WORDS = {
    "legevakt": ["legevakt", "legevakta", "legevakten", "out-of-hours", "emergency room"],
    "sykehus": ["sykehus", "sjukehus", "sykehuset", "sjukehuset", "hospital", "st. olav", "st olav"],
    "lms": ["lærings", "mestringssenter", "lms"],
    "frisklivssentral": ["frisklivs", "frisklivet", "friskliv"],
    "helsestasjon": ["helsestasjon", "skolehelse", "helsesykepleier", "helsesjukepleiar", "helsesøster"],
    "psykisk_helse": ["dps", "psykisk", "psykiatri", "rus", "psykolog"],
    "fastlegekontor": ["fastlege", "legekontor", "legesenter"],
    "tannlegevakt": ["tannlege", "tannlegevakt", "tannverk", "tannhjelp", "dentist"],
}
LABELS = {
    "nb": {
        "open": "åpen nå",
        "closed": "stengt nå",
        "unknown": "åpningstid ukjent",
        "unverified": "ikke bekreftet",
        "ask": "Hvilken kommune gjelder det? Skriv for eksempel «Steinkjer».",
        "none": "Jeg fant ingen slik tjeneste i katalogen for {name}.",
        "found": "Dette fant jeg for {name}:",
    },
    "nn": {
        "open": "open no",
        "closed": "stengd no",
        "unknown": "opningstid ukjend",
        "unverified": "ikkje stadfesta",
        "ask": "Kva kommune gjeld det? Skriv til dømes «Steinkjer».",
        "none": "Eg fann inga slik teneste i katalogen for {name}.",
        "found": "Dette fann eg for {name}:",
    },
    "en": {
        "open": "open now",
        "closed": "closed now",
        "unknown": "opening hours unknown",
        "unverified": "not verified",
        "ask": "Which municipality? For example «Steinkjer».",
        "none": "I found no such service in the directory for {name}.",
        "found": "This is what I found for {name}:",
    },
}


#: How the answer names a time of day (the catalogue's ``day``/``evening``/``night``/``weekend``).
TIME_WORDS = {
    "nb": {
        "day": "på dagtid på hverdager",
        "evening": "på ettermiddag og kveld på hverdager",
        "night": "om natten",
        "weekend": "i helger og på helligdager",
        "all": "hele døgnet",
    },
    "nn": {
        "day": "på dagtid på kvardagar",
        "evening": "på ettermiddag og kveld på kvardagar",
        "night": "om natta",
        "weekend": "i helgar og på heilagdagar",
        "all": "heile døgeret",
    },
    "en": {
        "day": "on weekdays in the daytime",
        "evening": "on weekday afternoons and evenings",
        "night": "at night",
        "weekend": "at weekends and on public holidays",
        "all": "day and night",
    },
}
COVER = {
    "nb": {
        "now": "Legevakten for {name} nå ({when}): {legevakt}.",
        "unknown": "Jeg vet ikke hvilken legevakt som dekker {name} nå ({when}); ingen kilde vi har, sier det.",
        "other": "{when}: {legevakt}.",
        "call": "Ring 116 117 før du drar til legevakten: nummeret setter deg over til legevakten som har vakt der du er.",
        "day": "På dagtid kan du også ringe fastlegen din.",
        "local": "Lokalsykehuset for {name}: {hospitals}.",
        "trust": "Jeg vet ikke hvilket sykehus som er lokalsykehuset for {name}. Sykehusene i helseforetaket:",
    },
    "nn": {
        "now": "Legevakta for {name} no ({when}): {legevakt}.",
        "unknown": "Eg veit ikkje kva legevakt som dekkjer {name} no ({when}); ingen kjelde vi har, seier det.",
        "other": "{when}: {legevakt}.",
        "call": "Ring 116 117 før du dreg til legevakta: nummeret set deg over til legevakta som har vakt der du er.",
        "day": "På dagtid kan du også ringe fastlegen din.",
        "local": "Lokalsjukehuset for {name}: {hospitals}.",
        "trust": "Eg veit ikkje kva sjukehus som er lokalsjukehuset for {name}. Sjukehusa i helseføretaket:",
    },
    "en": {
        "now": "The out-of-hours service (legevakt) for {name} now ({when}): {legevakt}.",
        "unknown": "I do not know which legevakt covers {name} now ({when}); none of our sources says.",
        "other": "{when}: {legevakt}.",
        "call": "Call 116 117 before you go to a legevakt: the number puts you through to the legevakt on duty where you are.",
        "day": "In the daytime you can also call your GP (fastlege).",
        "local": "The local hospital for {name}: {hospitals}.",
        "trust": "I do not know which hospital is the local hospital for {name}. The hospitals of the health trust:",
    },
}


def times_text(times, lang: str) -> str:
    words = TIME_WORDS[lang]
    if len(set(times)) == 4:
        return words["all"]
    parts = [words[t] for t in ("day", "evening", "night", "weekend") if t in times]
    joiner = " and " if lang == "en" else " og "
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + joiner + parts[-1]


def legevakt_answer(number: str, name: str, lang: str, when=None) -> tuple[list[str], list[dict]]:
    """Which legevakt covers the municipality now, and at the other times of day: lines and items.
    The last line is always the 116 117 sentence."""
    from services_catalog.catchments import time_of_day

    cat, words = catalog(), COVER[lang]
    now_time = time_of_day(when)
    cover = cat.legevakt_cover(number)
    now = cover[now_time][0] if cover[now_time] else None
    lines = [
        words["now"].format(name=name, when=TIME_WORDS[lang][now_time], legevakt=now.name)
        if now
        else words["unknown"].format(name=name, when=TIME_WORDS[lang][now_time])
    ]
    if now is None and now_time == "day":
        lines.append(words["day"])
    others: dict[str, list[str]] = {}
    for time, found in cover.items():
        if found and time != now_time and found[0] is not now:
            others.setdefault(found[0].id, []).append(time)
    for service_id, times in others.items():
        lines.append(words["other"].format(when=times_text(times, lang).capitalize(), legevakt=cat.services[service_id].name))
    items = []
    for service in ([now] if now else []) + [cat.services[i] for i in others]:
        times = [t for t, found in cover.items() if found and found[0] is service]
        items.append({**service_item(service), "covers_now": service is now, "times": times})
    return lines + [words["call"]], items


def wanted_types(text: str) -> list[str]:
    text = text.casefold()
    found = [kind for kind, words in TYPE_WORDS.items() if any(re.search(r"\b" + re.escape(w), text) for w in words)]
    return found or ["legevakt", "sykehus"]


def service_item(service) -> dict:
    from services_catalog import url_of
    from services_catalog.hours import is_open

    open_now = is_open(service) if service.opening_hours else None
    return {
        "id": service.id,
        "name": service.name,
        "service_type": service.service_type,
        "phone": service.phone,
        "opening_hours": service.opening_hours,
        "open_now": open_now,
        "url": site_link(url_of(service)),
        "web": str(service.web) if service.web else None,
        "verified": service.verification.state == "verified",
    }


class ActionFindService(Action):
    def name(self) -> str:
        return "action_find_service"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = user_text(tracker)
        lang = language(tracker)
        words = LABELS[lang]
        mun = municipality(tracker)
        if mun is None:
            dispatcher.utter_message(text=words["ask"])
            return [SlotSet("language", lang), SlotSet("pending_request", "service:" + text[:200])]
        items, lines = [], []
        pending = tracker.get_slot("pending_request") or ""
        request = pending.removeprefix("service:") if pending.startswith("service:") else text
        for kind in wanted_types(request):
            if kind == "legevakt":  # the legevakt that covers the municipality now, and at other times
                cover_lines, cover_items = legevakt_answer(mun.number, mun.name, lang)
                lines += cover_lines
                items += cover_items
                continue
            if kind == "sykehus":
                found = catalog().local_hospitals(mun.number)
                if catalog().has_local_hospital(mun.number):
                    lines.append(COVER[lang]["local"].format(name=mun.name, hospitals=", ".join(h.name for h in found)))
                elif found:
                    lines.append(COVER[lang]["trust"].format(name=mun.name))
            else:
                found = catalog().services_for(mun.number, kind)
            for item in [service_item(s) for s in found]:
                items.append(item)
                state = {True: words["open"], False: words["closed"], None: words["unknown"]}[item["open_now"]]
                phone = f", tlf. {item['phone']}" if item["phone"] else ""
                note = "" if item["verified"] else f" ({words['unverified']})"
                lines.append(f"- {item['name']}{phone}, {state}{note}")
        if not items and not lines:
            dispatcher.utter_message(text=words["none"].format(name=mun.name) + " " + NATIONAL[lang])
        else:
            lines = [words["found"].format(name=mun.name)] + lines[:12] + [NATIONAL[lang]]
            dispatcher.utter_message(
                text="\n".join(lines), json_message={"type": "services", "language": lang, "municipality": mun.number, "items": items[:8]}
            )
        return [SlotSet("language", lang), SlotSet("municipality", mun.number), SlotSet("pending_request", None)]
