"""Where a care-card criterion sends the reader when it is not the level's default (issue 12).

The four levels stay as they are; a destination is an addition: the maternity ward, the nearest
local hospital at once, Giftinformasjonen, or the pharmacy for minor complaints. A phone number
is given only from ``contacts.py`` (national numbers) or, later, the services catalogue; a place
without a known number is named, and the legevakt's 116 117 is given with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from content_model.contacts import NUMBERS

DESTINATION_IDS = ("fodeavdeling", "lokalsykehus", "giftinformasjonen", "apotek")


@dataclass(frozen=True)
class Destination:
    id: str
    name: dict[str, str]
    advice: dict[str, str]  # what to do, by language; {number} is filled in
    number: str | None  # a key of contacts.NUMBERS, or None when the number is local
    fallback: str | None  # the number to give when the local number is not known

    def tel(self) -> str | None:
        key = self.number or self.fallback
        return NUMBERS[key].tel if key else None

    def text(self, language: str) -> str:
        key = self.number or self.fallback
        number = NUMBERS[key].display if key else ""
        return self.advice.get(language, self.advice["nb"]).format(number=number)

    def to_json(self, language: str) -> dict:
        return {
            "id": self.id,
            "name": self.name.get(language, self.name["nb"]),
            "tel": self.tel(),
            "text": self.text(language),
            "number_is_local": self.number is None,
        }


DESTINATIONS: dict[str, Destination] = {
    d.id: d
    for d in (
        Destination(
            "fodeavdeling",
            {"nb": "Fødeavdelingen", "nn": "Fødeavdelinga", "en": "The maternity ward"},
            {
                "nb": "Ring fødeavdelingen der du skal føde, nå. Har du ikke nummeret, ring legevakten på {number}.",
                "nn": "Ring fødeavdelinga der du skal føde, no. Har du ikkje nummeret, ring legevakta på {number}.",
                "en": "Call the maternity ward where you are to give birth, now. If you do not have the number, call {number}.",
            },
            None,
            "legevakt",
        ),
        Destination(
            "lokalsykehus",
            {"nb": "Nærmeste sykehus", "nn": "Næraste sjukehus", "en": "The nearest hospital"},
            {
                "nb": "Kontakt nærmeste sykehus med en gang, uansett tid på døgnet, og si at du får cellegift. "
                "Har du ikke nummeret, ring legevakten på {number}.",
                "nn": "Kontakt næraste sjukehus med ein gong, same kva tid på døgnet, og sei at du får cellegift. "
                "Har du ikkje nummeret, ring legevakta på {number}.",
                "en": "Contact the nearest hospital at once, at any time of day, and say that you are getting chemotherapy. "
                "If you do not have the number, call {number}.",
            },
            None,
            "legevakt",
        ),
        Destination(
            "giftinformasjonen",
            {"nb": "Giftinformasjonen", "nn": "Giftinformasjonen", "en": "The Poison Information Centre"},
            {
                "nb": "Ring Giftinformasjonen på {number} for råd. Får personen alvorlige symptomer, ring 113.",
                "nn": "Ring Giftinformasjonen på {number} for råd. Får personen alvorlege symptom, ring 113.",
                "en": "Call the Poison Information Centre (Giftinformasjonen) on {number} for advice. If serious symptoms appear, call 113.",
            },
            "giftinformasjonen",
            None,
        ),
        Destination(
            "apotek",
            {"nb": "Apoteket", "nn": "Apoteket", "en": "The pharmacy"},
            {
                "nb": "Apoteket kan gi deg råd og reseptfrie midler.",
                "nn": "Apoteket kan gje deg råd og reseptfrie middel.",
                "en": "A pharmacist can advise you and sell you medicine without a prescription.",
            },
            None,
            None,
        ),
    )
}
