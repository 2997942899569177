"""`parley serve --workers N`: several server processes answer on one port and share the
database; a write through one is seen through the other at once (`share_versions`)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from typer.testing import CliRunner

from parley.cli.main import app as cli
from parley.domain.accounts.accounts import SYSTEM
from parley.instance import Instance
from parley.services import accounts

PERSON = {
    "names": [{"surname": "Коваль", "given": "Іван", "primary": True}],
    "sex": "male",
    "birth_date": "1990",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in found.stdout.split()]


def test_several_processes_serve_one_instance(instance: Instance) -> None:
    token = accounts.issue_token(instance.uow(), SYSTEM, "admin", "tests").secret
    directory = instance.directory
    instance.close()
    port = _free_port()
    command = [sys.executable, "-m", "parley.cli.main", "serve", "-i", str(directory)]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--workers", "2", "--no-jobs"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    auth = {"Authorization": f"Bearer {token}"}
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            pytest.fail("the server did not start")
        assert len(_children(server.pid)) >= 2  # uvicorn's supervisor and its two processes
        with httpx.Client(base_url=base, headers=auth, timeout=30) as client:
            # new connections spread over both processes; every one must see the write
            created = client.post("/api/v1/persons", json=PERSON)
            assert created.status_code == 201, created.text
            for _ in range(8):
                with httpx.Client(base_url=base, headers=auth, timeout=30) as fresh:
                    listed = fresh.get("/api/v1/persons").json()
                    assert listed["total"] == 1
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=60)[0].decode()
    assert "Traceback" not in output, output


def test_several_processes_leave_jobs_to_the_job_worker(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["serve", "-i", str(tmp_path / "none"), "--workers", "2"], catch_exceptions=False
    )
    assert result.exit_code != 0
    assert "--no-jobs" in result.output and "parley jobs work" in result.output
