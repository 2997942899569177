"""The repatriation certificate's own words in English and Ukrainian.

What the doctors wrote (findings, the condition's wording) and names print as recorded; the
frame, the Annex I families, the members' roles, the tally and the articles follow the language
asked for. A Ukrainian certificate keeps each label's English beneath it, small, so a mediator
or the other side's checkpoint can still read the paper the person carries.
"""

from __future__ import annotations

CERTIFICATE_LANGUAGES = ("en", "uk")

CERTIFICATE_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "kicker": "GC III ANNEX II · MIXED MEDICAL COMMISSION",
        "title": "Certificate of the Mixed Medical Commission: repatriation",
        "members": "Members of the commission",
        "safeguard_will": (
            "No one may be repatriated against their will during hostilities (GC III art. 109)."
        ),
        "safeguard_service": (
            "No repatriated person may be employed on active military service (GC III art. 117)."
        ),
        "signatures": "Signatures of the members",
        "signature": "Signature",
        "date": "Date",
        "page": "Page {number} of {total}",
        "person": "Person",
        "reference": "reference {person}",
        "commission": "Commission",
        "examined_on": "Examined on",
        "findings": "Findings",
        "condition": "Qualifying condition",
        "annex": "Annex I: {description}",
        "decision": "Decision",
        "notify_by": "To be notified by",
        "under": "Under",
        "issued_on": "Issued on",
        "issued_by": "Issued by",
        "examination": "examination {number}",
        "repatriate": "REPATRIATE",
        "tally": "{count} of 3 votes for repatriate",
        "neutral": "neutral",
        "named by the detaining power": "named by the detaining power",
        "surgeon": "surgeon",
        "physician": "physician",
        "chair": "chair",
        "A1": "disability from trauma at least equal to losing a hand or a foot",
        "A2": "chronic wounds not expected to recover within a year",
        "A3": "chronic illness not expected to recover within a year of onset",
        "GC III art. 109": "GC III art. 109",
        "GC III art. 110": "GC III art. 110",
        "GC III art. 112": "GC III art. 112",
        "GC III Annex II": "GC III Annex II",
    },
    "uk": {
        "kicker": "ЖК III, ДОДАТОК II · ЗМІШАНА МЕДИЧНА КОМІСІЯ",
        "title": "Посвідчення Змішаної медичної комісії: репатріація",
        "members": "Члени комісії",
        "safeguard_will": (
            "Під час воєнних дій нікого не можна репатріювати проти його волі (ЖК III ст. 109)."
        ),
        "safeguard_service": (
            "Жодну репатрійовану особу не можна залучати до активної військової служби "
            "(ЖК III ст. 117)."
        ),
        "signatures": "Підписи членів комісії",
        "signature": "Підпис",
        "date": "Дата",
        "page": "Сторінка {number} з {total}",
        "person": "Особа",
        "reference": "ідентифікатор {person}",
        "commission": "Комісія",
        "examined_on": "Дата огляду",
        "findings": "Висновки",
        "condition": "Стан, що дає право",
        "annex": "Додаток I: {description}",
        "decision": "Рішення",
        "notify_by": "Повідомити до",
        "under": "Підстави",
        "issued_on": "Дата видачі",
        "issued_by": "Видав",
        "examination": "огляд {number}",
        "repatriate": "РЕПАТРІЮВАТИ",
        "tally": "{count} з 3 голосів за репатріацію",
        "neutral": "нейтральний",
        "named by the detaining power": "призначений державою, що тримає в полоні",
        "surgeon": "хірург",
        "physician": "терапевт",
        "chair": "голова",
        "A1": "інвалідність унаслідок травми, не менша за втрату кисті чи стопи",
        "A2": "хронічні поранення, одужання протягом року не очікується",
        "A3": "хронічна хвороба, одужання протягом року від її початку не очікується",
        "GC III art. 109": "ЖК III ст. 109",
        "GC III art. 110": "ЖК III ст. 110",
        "GC III art. 112": "ЖК III ст. 112",
        "GC III Annex II": "ЖК III, Додаток II",
    },
}
"""Every language has every key (checked by a test)."""
