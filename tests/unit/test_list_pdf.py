"""The printed list: every page must tie itself to the signed list, and Cyrillic must survive.

Names are synthetic (Faker, fixed seed). The first page is saved as a PNG under test-artifacts/
so that a person can look at what the paper copy looks like.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]  # no stubs; not in pyproject overrides
import pytest
from faker import Faker

from parley.interchange.list_pdf import PrintableList, render_pdf
from parley.interchange.pdf_fonts import FONT_DIR_ENV, FONT_DIRS, PdfFontMissing

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
COLUMNS = (
    "No.",
    "Surname",
    "Given name",
    "Patronymic",
    "Born",
    "Sex",
    "Documents",
    "Unit",
    "Category evidence",
)
FINGERPRINT = "3f2a:91bc:0d4e:77a1:c2f9:5b08:e6d3:1a4f"
UKRAINIAN_NAME = ("Ґалаґан-Їжакевич", "Євгеній", "Іванович")
RUSSIAN_NAME = ("Щёлоков", "Эдуард", "Ъ-Выговский")


def synthetic_rows(count: int, seed: int = 2025) -> tuple[tuple[str, ...], ...]:
    """Invented people, half Russian-named and half Ukrainian-named, with fixed marker names."""
    fakers = [Faker("ru_RU"), Faker("uk_UA")]
    for offset, fake in enumerate(fakers):
        fake.seed_instance(seed + offset)
    rows: list[tuple[str, ...]] = []
    for number in range(1, count + 1):
        fake = fakers[number % 2]
        surname, given, patronymic = (
            fake.last_name_male(),
            fake.first_name_male(),
            fake.middle_name_male(),
        )
        if number == 3:
            surname, given, patronymic = RUSSIAN_NAME
        if number == 4:
            surname, given, patronymic = UKRAINIAN_NAME
        evidence = "Military ID seen by mediator"
        if number % 7 == 0:
            evidence = (
                "Captured in uniform near "
                + fake.city()
                + "; service number confirmed by the unit's roll & photo comparison"
            )
        rows.append(
            (
                str(number),
                surname,
                given,
                patronymic,
                fake.date_of_birth(minimum_age=18, maximum_age=25).isoformat(),
                "M",
                f"Military ID {fake.bothify('??-######').upper()}",
                f"в/ч {fake.numerify('#####')}",
                evidence,
            )
        )
    return tuple(rows)


def a_list(rows: int = 60, *, signed: bool = True) -> PrintableList:
    body = synthetic_rows(rows)
    digest = hashlib.sha256(repr(body).encode()).hexdigest()
    return PrintableList(
        title="Offer: Russian prisoners aged 18–25 held by UA — version 2",
        purpose="Offer",
        sender="UA — Coordination Headquarters (demo)",
        recipients=("RU — Commissioner's Office (demo)",),
        category="Prisoners of war, aged 18–25",
        reference="Round 7 / stage 2",
        created_at="2025-03-14 10:42 UTC",
        columns=COLUMNS,
        rows=body,
        digest=digest,
        signer_fingerprint=FINGERPRINT,
        signed=signed,
        notes=("12 added, 3 removed since version 1", "Names as written in the documents held."),
    )


def page_texts(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


@pytest.fixture(scope="module")
def sixty() -> tuple[PrintableList, bytes, list[str]]:
    document = a_list(60)
    pdf = render_pdf(document)
    return document, pdf, page_texts(pdf)


def test_every_page_carries_digest_fingerprint_and_page_of_total(
    sixty: tuple[PrintableList, bytes, list[str]],
) -> None:
    document, _, texts = sixty
    assert len(texts) > 1
    for number, text in enumerate(texts, start=1):
        assert document.digest in text, number
        assert document.signer_fingerprint in text, number
        assert f"Page {number} of {len(texts)}" in text


def test_first_page_has_title_parties_and_notes(
    sixty: tuple[PrintableList, bytes, list[str]],
) -> None:
    document, _, texts = sixty
    first = texts[0]
    assert document.title in first
    for text in (document.sender, *document.recipients, document.reference, *document.notes):
        assert text in first


def test_cyrillic_names_are_extractable(sixty: tuple[PrintableList, bytes, list[str]]) -> None:
    _, _, texts = sixty
    everything = "\n".join(texts)
    for name in (*UKRAINIAN_NAME, *RUSSIAN_NAME):
        assert name in everything
    assert "в/ч" in everything


def test_every_row_is_printed(sixty: tuple[PrintableList, bytes, list[str]]) -> None:
    document, _, texts = sixty
    everything = "\n".join(texts)
    for row in document.rows:
        assert row[6] in everything  # the document number is unique per row


def test_last_page_has_the_signature_block(
    sixty: tuple[PrintableList, bytes, list[str]],
) -> None:
    document, _, texts = sixty
    last = texts[-1]
    assert f"Signed electronically with key {document.signer_fingerprint}" in last
    for line in ("Printed name", "Position", "Signature", "Date", "MEDIATOR", "SENDER"):
        assert line in last


def test_the_frame_prints_in_ukrainian_and_the_entries_as_listed() -> None:
    from dataclasses import replace

    document = replace(a_list(40), language="uk")
    texts = page_texts(render_pdf(document))
    assert f"Сторінка 1 з {len(texts)}" in texts[0] and "Відправник" in texts[0]
    assert f"Підписано електронно ключем {FINGERPRINT}" in texts[-1]
    for line in ("ПІБ", "Посада", "Підпис", "Дата", "ПОСЕРЕДНИК"):
        assert line in texts[-1]
    assert "Page 1 of" not in texts[0] and UKRAINIAN_NAME[0] in "\n".join(texts)


def test_every_printed_word_is_there_in_both_languages() -> None:
    from parley.interchange.list_pdf_words import LIST_DOCUMENT_WORDS, LIST_PDF_WORDS

    for words in (LIST_PDF_WORDS, LIST_DOCUMENT_WORDS):
        assert set(words["uk"]) == set(words["en"])
        assert all(words["uk"].values())


def test_a_language_without_words_is_refused() -> None:
    from dataclasses import replace

    with pytest.raises(ValueError, match="'de'"):
        render_pdf(replace(a_list(1), language="de"))


def test_unsigned_list_says_draft() -> None:
    texts = page_texts(render_pdf(a_list(5, signed=False)))
    assert "NOT SIGNED — draft" in texts[-1]
    assert "Signed electronically with key" not in "\n".join(texts)


def test_metadata_names_title_sender_and_digest(
    sixty: tuple[PrintableList, bytes, list[str]],
) -> None:
    document, pdf, _ = sixty
    metadata = pdfium.PdfDocument(pdf).get_metadata_dict()
    assert metadata["Title"] == document.title
    assert metadata["Author"] == document.sender
    assert metadata["Subject"] == document.digest


def test_same_list_gives_same_bytes(sixty: tuple[PrintableList, bytes, list[str]]) -> None:
    document, pdf, _ = sixty
    assert render_pdf(document) == pdf


def test_empty_list_still_renders_with_signature_block() -> None:
    document = a_list(1)
    empty = PrintableList(**{**document.__dict__, "rows": ()})
    texts = page_texts(render_pdf(empty))
    assert "no entries" in texts[0]
    assert "Signed electronically with key" in texts[-1]
    assert f"Page {len(texts)} of {len(texts)}" in texts[-1]


def test_markup_characters_in_cells_are_printed_literally() -> None:
    document = a_list(2)
    odd = ("1", "O'Brien <b>&", "Ann", "", "", "", "", "", "x" * 400)
    texts = page_texts(render_pdf(PrintableList(**{**document.__dict__, "rows": (odd,)})))
    assert "O'Brien <b>&" in "\n".join(texts)


def test_row_with_wrong_cell_count_is_refused() -> None:
    document = a_list(2)
    with pytest.raises(ValueError, match="row 1 has 2 cells"):
        render_pdf(PrintableList(**{**document.__dict__, "rows": (("1", "x"),)}))


def test_missing_font_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(FONT_DIR_ENV, str(tmp_path))
    with pytest.raises(PdfFontMissing, match=r"DejaVuSans\.ttf.*fonts-dejavu-core"):
        render_pdf(a_list(2))


def test_two_thousand_rows_render_in_seconds() -> None:
    document = a_list(2000)
    started = time.perf_counter()
    pdf = render_pdf(document)
    elapsed = time.perf_counter() - started
    assert elapsed < 30  # about 1.3 s on a 2-core developer machine; generous for CI under load
    texts = page_texts(pdf)
    assert len(texts) > 40
    assert f"Page {len(texts)} of {len(texts)}" in texts[-1]
    assert document.rows[-1][6] in "\n".join(texts[-3:])


def test_font_directory_can_be_overridden(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Only regular and bold are required; the digest then prints in Sans instead of Mono."""
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        source = next(d / name for d in FONT_DIRS if (d / name).is_file())
        (tmp_path / name).symlink_to(source)
    monkeypatch.setenv(FONT_DIR_ENV, str(tmp_path))
    texts = page_texts(render_pdf(a_list(3)))
    assert "Page 1 of" in texts[0]


@pytest.fixture
def first_page_image(sixty: tuple[PrintableList, bytes, list[str]]) -> Iterator[Path]:
    _, pdf, _ = sixty
    document = pdfium.PdfDocument(pdf)
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "list_pdf_page1.png"
    try:
        page = document[0]
        page.render(scale=1.5).to_pil().save(target)
        page.close()
        yield target
    finally:
        document.close()


def test_first_page_is_not_blank(first_page_image: Path) -> None:
    from PIL import Image, ImageStat

    with Image.open(first_page_image) as image:
        grey = image.convert("L")
        assert grey.width > grey.height  # landscape
        dark = sum(grey.histogram()[:128])
        assert dark > 0.01 * grey.width * grey.height  # text and rules, not an empty page
        assert ImageStat.Stat(grey).stddev[0] > 20
