from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from parley.domain.accounts.accounts import Actor
from parley.domain.errors import ImportRejected
from parley.instance import Instance
from parley.services.registry import imports
from parley.store import tables

HEADER = "surname;given_name;patronymic;sex;birth_date;category;service_number;status;status_date"
GOOD = [
    "Коваль;Іван;Петрович;male;1999-06-10;military;S-100;reported_missing;2024-05-01",
    "Мороз;Олена;Іванівна;female;1987;civilian;;capture_confirmed;2024-06-01",
]


def _import(instance: Instance, admin: Actor, name: str, content: bytes) -> imports.ImportOutcome:
    return imports.import_persons(instance.uow(), admin, name, content, "UA", "uk")


def _counts(instance: Instance) -> dict[str, int]:
    with instance.engine.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table)) or 0
            for table in (
                tables.persons,
                tables.person_names,
                tables.person_events,
                tables.person_identifiers,
                tables.imports,
                tables.audit_log,
            )
        }


def test_a_good_file_imports_every_row(instance: Instance, admin: Actor) -> None:
    outcome = _import(instance, admin, "list.csv", "\n".join([HEADER, *GOOD]).encode())
    assert outcome.rows == 2 and outcome.already_imported is None
    assert _counts(instance)["persons"] == 2
    assert _counts(instance)["person_events"] == 2


def test_importing_the_same_file_again_changes_nothing(instance: Instance, admin: Actor) -> None:
    content = "\n".join([HEADER, *GOOD]).encode()
    _import(instance, admin, "list.csv", content)
    before = _counts(instance)
    again = _import(instance, admin, "renamed.csv", content)
    assert again.already_imported is not None
    after = _counts(instance)
    assert after.pop("audit_log") == before.pop("audit_log") + 1  # the attempt is attributed
    assert after == before


def test_every_bad_row_and_field_is_reported_and_nothing_is_stored(
    instance: Instance, admin: Actor
) -> None:
    _import(instance, admin, "first.csv", "\n".join([HEADER, GOOD[0]]).encode())
    before = _counts(instance)
    bad = [
        HEADER,
        "Бондар;Петро;;male;1990-02-30;military;S-200;;",  # row 2: bad date
        ";Марія;;female;1991;navy;S-300;;",  # row 3: empty name, category
        "Гнатюк;Тарас;;male;1992;military;S-100;;",  # row 4: id already in registry
        "Ткач;Олег;;male;1993;military;S-400;;",  # row 5: fine
        "Ткач;Олег;;male;1993;military;S-400;;",  # row 6: duplicate in file
        "Лисенко;Юрій;;x;1994;military;;reported_missing;",  # row 7: sex, status date
    ]
    with pytest.raises(ImportRejected) as caught:
        _import(instance, admin, "bad.csv", "\n".join(bad).encode())
    found = {(p.row, p.field) for p in caught.value.problems}
    assert found == {
        (2, "birth_date"),
        (3, "surname"),
        (3, "category"),
        (4, "service_number"),
        (6, "service_number"),
        (7, "sex"),
        (7, "status_date"),
    }
    after = _counts(instance)
    assert after.pop("audit_log") == before.pop("audit_log") + 1  # only the refusal is logged
    assert after == before


def test_unknown_and_missing_columns_are_reported_not_dropped(
    instance: Instance, admin: Actor
) -> None:
    with pytest.raises(ImportRejected) as caught:
        _import(instance, admin, "x.csv", "given_name,nickname\nІван,Ваня\n".encode())
    assert {(p.row, p.field) for p in caught.value.problems} == {(1, "nickname"), (1, "surname")}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_cyrillic_headers_in_every_supported_encoding(
    instance: Instance, admin: Actor, encoding: str
) -> None:
    text = (
        "Прізвище,Ім'я,По батькові,Дата народження,Особистий номер\n"
        "Коваль,Іван,Петрович,10.06.1999,S-1\n"
    )
    outcome = _import(instance, admin, "list.csv", text.encode(encoding))
    assert outcome.rows == 1
    assert outcome.encoding == encoding


def test_xlsx_with_excel_dates_and_numbers(
    instance: Instance, admin: Actor, tmp_path: Path
) -> None:
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Фамилия", "Имя", "Отчество", "Дата рождения", "Личный номер"])
    sheet.append(["Иванов", "Сергей", "Петрович", datetime(2001, 2, 3), 1234567])
    path = tmp_path / "list.xlsx"
    book.save(path)
    outcome = _import(instance, admin, "list.xlsx", path.read_bytes())
    assert outcome.rows == 1
    with instance.uow() as uow:
        person = uow.persons.get(1)
    assert str(person.birth_date) == "2001-02-03"
    assert person.identifiers[0].value == "1234567"
    assert person.primary_name.language == "uk"  # no Russian-only letters: the instance default
