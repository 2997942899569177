"""The printed list's own words in English and Ukrainian: what the PDF says around the entries.

The entries are printed as the list holds them; only the frame (labels, headings, the signature
statement, page numbers) follows the language the console or the CLI was asked for.
"""

from __future__ import annotations

PDF_LANGUAGES = ("en", "uk")

LIST_PDF_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "notes": "Notes",
        "entries": "Entries ({count})",
        "sender": "Sender",
        "purpose": "Purpose",
        "recipients": "Recipients",
        "category": "Category",
        "reference": "Reference",
        "created": "Created",
        "entries_label": "Entries",
        "status": "Status",
        "signer_key": "Signer key",
        "signed": "Signed electronically",
        "not_signed": "NOT SIGNED — draft",
        "no_entries": "This list has no entries.",
        "signed_with": "Signed electronically with key {key}",
        "signature_covers": (
            "The signature covers the content whose SHA-256 digest is printed at the foot of "
            "every page."
        ),
        "no_bundle": (
            "No signed bundle exists for this version; this copy is for discussion only."
        ),
        "signatures": "Signatures",
        "countersigned": (
            "Countersigned by hand: each signatory confirms that this paper copy of {count} "
            "entries bears the digest above on every page."
        ),
        "recipient": "Recipient",
        "mediator": "Mediator",
        "printed_name": "Printed name",
        "position": "Position",
        "signature": "Signature",
        "date": "Date",
        "draft": "DRAFT",
        "page": "Page {number} of {total}",
        "compare": (
            "Compare the digest with the electronic bundle: the same digest on every page "
            "means every page belongs to the same version of the list."
        ),
    },
    "uk": {
        "notes": "Примітки",
        "entries": "Записи ({count})",
        "sender": "Відправник",
        "purpose": "Призначення",
        "recipients": "Одержувачі",
        "category": "Категорія",
        "reference": "Посилання",
        "created": "Створено",
        "entries_label": "Записів",
        "status": "Стан",
        "signer_key": "Ключ підпису",
        "signed": "Підписано електронно",
        "not_signed": "НЕ ПІДПИСАНО — чернетка",
        "no_entries": "У цьому списку немає записів.",
        "signed_with": "Підписано електронно ключем {key}",
        "signature_covers": (
            "Підпис охоплює зміст, дайджест SHA-256 якого надруковано внизу кожної сторінки."
        ),
        "no_bundle": ("Для цієї версії немає підписаного пакета; ця копія лише для обговорення."),
        "signatures": "Підписи",
        "countersigned": (
            "Підписано власноруч: кожен підписант підтверджує, що ця паперова копія з {count} "
            "записів має наведений вище дайджест на кожній сторінці."
        ),
        "recipient": "Одержувач",
        "mediator": "Посередник",
        "printed_name": "ПІБ",
        "position": "Посада",
        "signature": "Підпис",
        "date": "Дата",
        "draft": "ЧЕРНЕТКА",
        "page": "Сторінка {number} з {total}",
        "compare": (
            "Порівняйте дайджест з електронним пакетом: той самий дайджест на кожній сторінці "
            "означає, що всі сторінки належать до однієї версії списку."
        ),
    },
}
"""Every key in both languages (tests/unit/test_list_pdf.py)."""

LIST_DOCUMENT_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "ref": "No.",
        "surname": "Surname",
        "given_name": "Given name",
        "patronymic": "Patronymic",
        "birth_date": "Born",
        "sex": "Sex",
        "documents": "Documents",
        "unit": "Unit",
        "category_evidence": "Category evidence",
        "verdict": "Answer",
        "reason": "Reason",
        "title": "{purpose}: {name} — version {version}",
        "changes": "{added} added, {removed} removed since version {version}",
        "received_from": "Received from {sender}; printed by {party}.",
        "purpose:offer": "offer",
        "purpose:request": "request",
        "purpose:response": "response",
        "purpose:stage_manifest": "stage manifest",
        "purpose:receipt": "receipt",
        "purpose:death_list": "death list",
    },
    "uk": {
        "ref": "№",
        "surname": "Прізвище",
        "given_name": "Імʼя",
        "patronymic": "По батькові",
        "birth_date": "Народження",
        "sex": "Стать",
        "documents": "Документи",
        "unit": "Підрозділ",
        "category_evidence": "Підстава категорії",
        "verdict": "Відповідь",
        "reason": "Причина",
        "title": "{purpose}: {name} — версія {version}",
        "changes": "додано {added}, вилучено {removed} від версії {version}",
        "received_from": "Отримано від {sender}; надруковано {party}.",
        "purpose:offer": "пропозиція",
        "purpose:request": "запит",
        "purpose:response": "відповідь",
        "purpose:stage_manifest": "маніфест етапу",
        "purpose:receipt": "підтвердження",
        "purpose:death_list": "список загиблих",
    },
}
"""The document's column headings, title and notes, which the lists service fills in."""
