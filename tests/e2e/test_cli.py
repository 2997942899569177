import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parley.cli.main import app

runner = CliRunner()


@pytest.fixture
def instance_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "ua"
    result = runner.invoke(app, ["init", str(directory), "--party", "UA", "--name", "HQ"])
    assert result.exit_code == 0, result.output
    assert "admin password (shown once)" in result.output
    monkeypatch.setenv("PARLEY_INSTANCE", str(directory))
    monkeypatch.delenv("PARLEY_USER", raising=False)
    return directory


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_add_list_show_and_record_an_event(instance_dir: Path) -> None:
    code, out = run(
        "person",
        "add",
        "--surname",
        "Мельник",
        "--given",
        "Андрій",
        "--patronymic",
        "Олегович",
        "--birth-date",
        "2000-01-31",
        "--sex",
        "male",
        "--status",
        "reported_missing",
        "--status-date",
        "2024-05-01",
        "--alias",
        "Melnyk Andrii",
    )
    assert code == 0, out
    assert "person 1 registered" in out
    code, out = run(
        "event",
        "add",
        "1",
        "--type",
        "capture_confirmed",
        "--date",
        "2024-06-01",
        "--source",
        "icrc",
        "--note",
        "visit",
    )
    assert code == 0, out
    code, out = run("person", "list", "--status", "in_captivity", "--json")
    assert code == 0 and '"total": 1' in out
    code, out = run("person", "show", "1")
    assert "capture_confirmed" in out and "Melnyk Andrii" in out


def test_a_bad_date_is_an_error_with_its_code(instance_dir: Path) -> None:
    code, out = run("person", "add", "--surname", "Х", "--given", "Y", "--birth-date", "1990-02-30")
    assert code == 1
    assert "error[invalid_date]" in out


def test_import_reports_every_bad_row(instance_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("surname;given_name;birth_date\n;Іван;1990\nКоваль;Петро;1990-13-01\n")
    code, out = run("import", "persons", str(bad))
    assert code == 3
    assert "row 2, field 'surname'" in out and "row 3, field 'birth_date'" in out
    good = tmp_path / "good.csv"
    good.write_text("surname;given_name\nКоваль;Петро\n")
    assert run("import", "persons", str(good))[0] == 0
    code, out = run("import", "persons", str(good))
    assert code == 0 and "already imported" in out


def test_audit_verify_names_a_tampered_row(instance_dir: Path) -> None:
    run("person", "add", "--surname", "Мельник", "--given", "Андрій")
    code, out = run("audit", "verify")
    assert code == 0 and "intact" in out
    with sqlite3.connect(instance_dir / "parley.db") as connection:
        connection.execute("UPDATE audit_log SET action = 'nothing' WHERE seq = 2")
    code, out = run("audit", "verify")
    assert code == 5
    assert "error[audit_chain_broken]" in out and "entry 2" in out


def test_acting_as_another_account_obeys_its_role(instance_dir: Path) -> None:
    code, out = run("account", "add", "ana", "--role", "analyst", "--password", "x" * 12)
    assert code == 0, out
    code, out = run("person", "list", "--user", "ana")
    assert code == 4 and "permission_denied" in out
    code, out = run("account", "token", "ana", "--name", "dashboards", "--user", "ana")
    assert code == 0 and "pk_" in out


def test_keys_and_trust(instance_dir: Path, tmp_path: Path) -> None:
    code, out = run("keys", "show")
    assert code == 0 and "fingerprint" in out
    other = tmp_path / "ru"
    run("init", str(other), "--party", "RU", "--name", "Other")
    code, out = run("trust", "add", str(other / "signing_key.pub"), "--party", "RU")
    assert code == 0, out
    code, out = run("trust", "list")
    assert "RU" in out


REGISTRY = "\n".join(
    ["record_id;surname;given_name;patronymic;date_of_birth"]
    + [
        f"CASE-{n};{surname};{given};Остапович;19{70 + n}-0{n % 9 + 1}-1{n % 9}"
        for n, (surname, given) in enumerate(
            [
                ("Гайдученко", "Остап"),
                ("Вербицький", "Назар"),
                ("Зарічний", "Ярема"),
                ("Кропивницький", "Левко"),
                ("Тернопільський", "Мирон"),
                ("Ясенович", "Устим"),
                ("Білокриницький", "Орест"),
                ("Дубовецький", "Северин"),
                ("Чорноморець", "Тихон"),
                ("Лозинський", "Фотій"),
                ("Сомко", "Зиновій"),
            ],
            start=1,
        )
    ]
)


def test_record_ids_come_in_with_the_import_and_the_whole_registry_goes_out(
    instance_dir: Path, tmp_path: Path
) -> None:
    ours = tmp_path / "ours.csv"
    ours.write_text(REGISTRY + "\n")
    code, out = run("import", "persons", str(ours))
    assert code == 0, out
    code, out = run("person", "show", "3")
    assert "our record id: CASE-3" in out
    shown = json.loads(runner.invoke(app, ["person", "show", "3", "--json"]).stdout)
    assert shown["record_id"] == "CASE-3"
    listed = json.loads(runner.invoke(app, ["person", "list", "--all", "--json"]).stdout)
    assert sorted(p["record_id"] for p in listed) == sorted(f"CASE-{n}" for n in range(1, 12))
    as_csv = runner.invoke(app, ["person", "list", "--all", "--format", "csv"]).stdout
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert len(rows) == 11 and rows[0]["record_id"] == "CASE-1" and rows[0]["id"] == "1"


def test_a_list_with_an_unknown_column_is_refused_unless_kept(
    instance_dir: Path, tmp_path: Path
) -> None:
    ours = tmp_path / "ours.csv"
    ours.write_text(REGISTRY + "\n")
    assert run("import", "persons", str(ours))[0] == 0
    listed = tmp_path / "list.csv"
    listed.write_text(
        "id,full_name,date_of_birth,barrack\n"
        "L-1,Гайдученко Остап Остапович,1971-02-11,7\n"
        "L-2,Verbytskyi Nazar,1972-03-12,9\n"
    )
    code, out = run("match", "run", str(listed))
    assert code == 3
    assert "field 'barrack': unknown column 'barrack'" in out and "--keep-column" in out
    exported = tmp_path / "out.csv"
    code, out = run("match", "run", str(listed), "--keep-column", "barrack", "-o", str(exported))
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    assert [(r["record_id"], r["barrack"]) for r in rows] == [("L-1", "7"), ("L-2", "9")]
    assert rows[0]["best_record_id"] == "CASE-1" and rows[0]["birth_date"] == "1971-02-11"


def test_the_registry_csv_holds_a_formula_like_name_as_text(instance_dir: Path) -> None:
    evil = '=HYPERLINK("http://x","y")'
    code, out = run(
        "person",
        "add",
        "--surname",
        evil,
        "--given",
        "Андрій",
        "--sex",
        "male",
        "--status",
        "reported_missing",
        "--status-date",
        "2024-05-01",
    )
    assert code == 0, out
    as_csv = runner.invoke(app, ["person", "list", "--all", "--format", "csv"]).stdout
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert rows[0]["name"].startswith("'=HYPERLINK(")
