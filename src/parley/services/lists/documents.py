"""A list as a file people open: CSV and XLSX for spreadsheets, PDF for paper.

Every form carries only the shareable fields; the PDF prints the list's SHA-256 and the signing
key's fingerprint on every page, so a printed page can be checked against the signed bundle.
"""

from __future__ import annotations

from dataclasses import dataclass

from parley.domain.accounts.accounts import Actor
from parley.domain.errors import InvalidInput
from parley.domain.lists import ListPurpose
from parley.interchange.list_pdf import PrintableList, render_pdf
from parley.interchange.list_pdf_words import LIST_DOCUMENT_WORDS, PDF_LANGUAGES
from parley.interchange.table_export import export_table
from parley.services.accounts import log
from parley.services.lists import lists
from parley.services.lists.bundles import Keyring
from parley.services.uow import UnitOfWork

DOCUMENT_FORMATS = ("csv", "xlsx", "pdf")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
_PRINTED_COLUMNS = (
    "ref",
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "sex",
    "documents",
    "unit",
    "category_evidence",
)
_ANSWER_COLUMNS = ("verdict", "reason")


@dataclass(frozen=True)
class ListDocument:
    content: bytes
    media_type: str
    filename: str
    description: str


def render(
    uow: UnitOfWork,
    actor: Actor,
    keyring: Keyring,
    list_id: int,
    fmt: str,
    language: str = "en",
) -> ListDocument:
    """`language` is the printed frame's (headings, labels) in a PDF; CSV and XLSX keep their
    machine column names."""
    fmt = fmt.lower()
    if language not in PDF_LANGUAGES:
        raise InvalidInput(
            f"a list prints in {', '.join(PDF_LANGUAGES)}, not '{language}'", "language"
        )
    if fmt not in DOCUMENT_FORMATS:
        raise InvalidInput(
            f"a list exports as {', '.join(DOCUMENT_FORMATS)}, not '{fmt}'", "format"
        )
    detail = lists.get_list(uow, actor, list_id)
    stored = detail.stored
    rows = lists.export_rows(detail)
    is_response = stored.purpose == ListPurpose.RESPONSE.value
    columns = _PRINTED_COLUMNS + (_ANSWER_COLUMNS if is_response else ())
    base = f"{stored.sender}-{_slug(stored.name)}-v{stored.version}"
    if fmt == "pdf":
        with uow:
            received, _ = uow.lists.bundles(0, 1, list_id)
        signer = received[0].signer_fingerprint if received else keyring.fingerprint
        printable = _printable(detail, rows, columns, keyring, signer, bool(received), language)
        content = render_pdf(printable)
        description = f"PDF, {len(rows)} entries, digest {stored.list_sha256}"
    else:
        keys = list(columns)
        content = export_table([{k: row[k] for k in keys} for row in rows], keys, fmt)
        description = f"{fmt.upper()}, {len(rows)} entries, list sha256 {stored.list_sha256}"
    with uow:
        log(uow, actor, "list.export", "list", [list_id], format=fmt, entries=len(rows))
        uow.commit()
    return ListDocument(content, MEDIA_TYPES[fmt], f"{base}.{fmt}", description)


def _printable(
    detail: lists.ListDetail,
    rows: list[dict[str, str]],
    columns: tuple[str, ...],
    keyring: Keyring,
    signer: str,
    signed: bool,
    language: str,
) -> PrintableList:
    stored = detail.stored
    own = stored.sender == keyring.party
    words = LIST_DOCUMENT_WORDS[language]
    purpose = words[f"purpose:{ListPurpose(stored.purpose).value}"]
    notes = []
    if detail.previous is not None:
        notes.append(
            words["changes"].format(
                added=len(stored.changes.get("added", [])),
                removed=len(stored.changes.get("removed", [])),
                version=detail.previous.version,
            )
        )
    if not own:
        notes.append(words["received_from"].format(sender=stored.sender, party=keyring.party))
    return PrintableList(
        title=words["title"].format(
            purpose=purpose.capitalize(), name=stored.name, version=stored.version
        ),
        purpose=purpose,
        sender=stored.sender,
        recipients=stored.recipients,
        category=stored.category or "—",
        reference=stored.reference,
        created_at=stored.created_at,
        columns=tuple(words[key] for key in columns),
        rows=tuple(tuple(row[key] for key in columns) for row in rows),
        digest=stored.list_sha256,
        signer_fingerprint=signer,
        signed=signed,
        notes=tuple(notes),
        language=language,
    )


def _slug(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() else "-" for ch in name.lower())
    return "-".join(part for part in cleaned.split("-") if part)[:60] or "list"
