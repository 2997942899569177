"""The `parley` command: every sub-command is a thin door over the services."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from parley.cli._common import InstanceOption, cli_errors, out
from parley.cli.accounts.accounts import account_app
from parley.cli.accounts.audit import audit_app
from parley.cli.agreements import agreement_app, report_app
from parley.cli.backup import backup, restore
from parley.cli.children.cases import child_app
from parley.cli.exchange.medical import medical_app
from parley.cli.exchange.stages import stage_app
from parley.cli.jobs import jobs_app
from parley.cli.keys import keys_app, trust_app
from parley.cli.lists.bundles import bundle_app
from parley.cli.lists.lists import list_app
from parley.cli.matching import match_app
from parley.cli.registry.imports import import_app
from parley.cli.registry.persons import event_app, person_app
from parley.cli.remains.dvi import dvi_app
from parley.cli.remains.remains import remains_app
from parley.instance import init_instance, open_instance, resolve_directory, upgrade_instance

app = typer.Typer(
    help="Parley: the humanitarian track of a negotiation, from lists to reunited families.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(person_app, name="person")
app.add_typer(event_app, name="event")
app.add_typer(import_app, name="import")
app.add_typer(account_app, name="account")
app.add_typer(audit_app, name="audit")
app.add_typer(keys_app, name="keys")
app.add_typer(trust_app, name="trust")
app.add_typer(match_app, name="match")
app.add_typer(list_app, name="list")
app.add_typer(bundle_app, name="bundle")
app.add_typer(medical_app, name="medical")
app.add_typer(stage_app, name="stage")
app.add_typer(child_app, name="child")
app.add_typer(remains_app, name="remains")
app.add_typer(dvi_app, name="dvi")
app.add_typer(jobs_app, name="jobs")
app.command()(backup)
app.command()(restore)
app.add_typer(agreement_app, name="agreement")
app.add_typer(report_app, name="report")


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder to create the instance in.")],
    party: Annotated[str, typer.Option(help="UA, RU, or the mediator's code (e.g. TR).")],
    name: Annotated[str, typer.Option(help="Human name of the instance.")],
    database_url: Annotated[
        str | None, typer.Option(help="SQLAlchemy URL; default SQLite DIR/parley.db.")
    ] = None,
) -> None:
    """Create an instance: config, database, signing key, trust store, admin account."""
    with cli_errors():
        instance, password = init_instance(directory.resolve(), party, name, database_url)
        instance.close()
    out.print(f"instance {party.upper()} '{name}' created in {directory}")
    out.print(f"admin password (shown once): {password}", highlight=False)


@app.command()
def upgrade(instance: InstanceOption = None) -> None:
    """Migrate an instance's database to this version of Parley."""
    with cli_errors():
        before, after = upgrade_instance(resolve_directory(instance))
    out.print(
        f"schema {before or 'empty'} → {after}" if before != after else f"schema already at {after}"
    )


@app.command()
def serve(
    instance: InstanceOption = None,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    jobs: Annotated[
        bool,
        typer.Option(
            help="Run queued background jobs in this process; --no-jobs leaves them to "
            "`parley jobs work` (docs/operations.md)."
        ),
    ] = True,
    workers: Annotated[
        int,
        typer.Option(
            help="Server processes sharing the database, to use more than one core; more "
            "than 1 needs --no-jobs (docs/operations.md)."
        ),
    ] = 1,
) -> None:
    """Serve the API and the console."""
    import os

    import uvicorn

    from parley.cli import serving

    with cli_errors():
        serving.check_workers(workers, jobs)
        directory = resolve_directory(instance)
        opened = open_instance(directory)
    if workers == 1:
        with out.status("loading name dictionaries and the chart renderer…"):
            serving.warm_up()  # once, before the first search and chart, not during them
    out.print(f"Parley {opened.config.party} '{opened.config.name}' on http://{host}:{port}/")
    if workers == 1:
        app_ = serving.single_app(opened, jobs)
        uvicorn.run(app_, host=host, port=port, log_level="info")
        return
    opened.close()
    os.environ[serving.INSTANCE_VARIABLE] = str(directory.resolve())
    uvicorn.run(
        "parley.cli.serving:worker_app",
        factory=True,
        workers=workers,
        timeout_worker_healthcheck=serving.WORKER_START_SECONDS,  # warming up takes seconds
        host=host,
        port=port,
        log_level="info",
    )


@app.command()
def demo(
    directory: Annotated[Path, typer.Argument(help="Folder for the ua, ru and tr instances.")],
    seed: Annotated[int, typer.Option()] = 2025,
    scale: Annotated[
        str, typer.Option(help="small (a few hundred) or full (~8,000 each)")
    ] = "small",
) -> None:
    """Build the three demo instances (UA, RU, TR) with synthetic populations."""
    from parley.scenarios.demo import build_demo
    from parley.scenarios.population import Scale

    with cli_errors():
        logins = build_demo(directory.resolve(), seed, Scale(scale), out)
    out.print("\nLogins (demo only):")
    for login in logins:
        out.print(
            f"  {login.instance:3} {login.username:12} {login.password}  ({login.role})",
            highlight=False,
        )


if __name__ == "__main__":
    app()
