import json
import stat
from pathlib import Path

from rich.console import Console

from parley.instance import open_instance
from parley.scenarios.demo import LOGINS_FILE, build_demo
from parley.scenarios.population import Scale


def test_the_small_demo_builds_three_instances_that_trust_each_other(tmp_path: Path) -> None:
    logins = build_demo(tmp_path, 7, Scale.SMALL, Console(quiet=True))
    for party in ("ua", "ru", "tr"):
        directory = tmp_path / party
        assert stat.S_IMODE((directory / "signing_key.pem").stat().st_mode) == 0o600
        trusted = {k["party"] for k in json.loads((directory / "trust.json").read_text())["keys"]}
        assert trusted == {"UA", "RU", "TR"} - {party.upper()}
    ua = open_instance(tmp_path / "ua")
    with ua.uow() as uow:
        assert uow.persons.count() > 200
    ua.close()
    assert logins[0].instance == "ua" and logins[0].role == "coordinator"
    assert stat.S_IMODE((tmp_path / LOGINS_FILE).stat().st_mode) == 0o600
