"""The demo: three instances side by side — Ukraine, Russia and the Turkish mediator — each
with its own key, the others' keys in its trust store, and a synthetic registry."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from parley.domain.accounts.accounts import Actor, Role
from parley.domain.errors import InstanceExists
from parley.domain.lists import ListPurpose
from parley.domain.registry.events import Status
from parley.instance import CONFIG_FILE, Instance, init_instance
from parley.interchange.keys import load_public_key, public_key_text
from parley.scenarios import children as children_scenario
from parley.scenarios import replay
from parley.scenarios.agreements import record_istanbul
from parley.scenarios.population import PersonDraft, Scale, generate_world
from parley.scenarios.remains import replay_remains
from parley.services import accounts, exchange, lists, matching, registry
from parley.services.lists import bundles
from parley.services.lists import documents as list_documents

PARTIES: dict[str, str] = {
    "UA": "Координаційний штаб (демо)",
    "RU": "Межведомственная комиссия (демо)",
    "TR": "Istanbul mediation desk (demo)",
}
STAFF: dict[str, list[tuple[str, str, Role, str]]] = {
    "UA": [
        ("coordinator", "Оксана Мельник", Role.COORDINATOR, ""),
        ("reviewer", "Андрій Бондар", Role.REVIEWER, ""),
        ("medical", "Ірина Ткаченко", Role.MEDICAL, ""),
        ("forensic", "Василь Кравець", Role.FORENSIC, ""),
        ("ombudsman", "Наталія Савчук", Role.OMBUDSMAN, ""),
        ("analyst", "Тарас Гнатюк", Role.ANALYST, ""),
        ("auditor", "Людмила Шевчук", Role.AUDITOR, ""),
    ],
    "RU": [
        ("coordinator", "Елена Смирнова", Role.COORDINATOR, ""),
        ("reviewer", "Дмитрий Волков", Role.REVIEWER, ""),
        ("ombudsman", "Анна Кузнецова", Role.OMBUDSMAN, ""),
        ("auditor", "Ольга Морозова", Role.AUDITOR, ""),
    ],
    "TR": [
        ("liaison", "Ayşe Demir", Role.MEDIATOR_LIAISON, ""),
        ("auditor", "Mehmet Kaya", Role.AUDITOR, ""),
    ],
}
BUILDER = Actor("demo-builder", frozenset({Role.ADMIN}), channel="system")
LOGINS_FILE = "LOGINS.txt"


@dataclass(frozen=True)
class DemoLogin:
    instance: str
    username: str
    password: str
    role: str


def build_demo(directory: Path, seed: int, scale: Scale, console: Console) -> list[DemoLogin]:
    for party in PARTIES:
        if (directory / party.lower() / CONFIG_FILE).exists():
            raise InstanceExists(
                f"{directory / party.lower()} already holds an instance; "
                "remove the demo folder to rebuild it"
            )
    directory.mkdir(parents=True, exist_ok=True)
    with console.status("generating synthetic populations…"):
        world = generate_world(seed, scale)
    logins: list[DemoLogin] = []
    instances: dict[str, Instance] = {}
    try:
        for party, name in PARTIES.items():
            instance, password = init_instance(directory / party.lower(), party, name)
            instances[party] = instance
            logins.append(DemoLogin(party.lower(), "admin", password, Role.ADMIN.value))
            for username, display, role, language in STAFF[party]:
                secret = accounts.generate_password()
                accounts.create_account(
                    instance.uow(), BUILDER, username, secret, frozenset({role}), display, language
                )
                logins.append(DemoLogin(party.lower(), username, secret, role.value))
        _exchange_keys(instances)
        _populate(instances, world.registry, console)
        _match_received_lists(directory, instances, world.registry, console)
        _hand_over_offer(directory, instances, console)
        for party in ("UA", "RU"):
            _replay_campaign(instances[party], seed, scale, console)
        _countersign_first_stage(directory, instances, console)
        with console.status("UA: the list of 339 deported children, and RU's answers…"):
            children_scenario.build(
                instances["UA"], instances["RU"], instances["TR"], directory / "bundles", seed
            )
        _record_agreements(instances, console)
    finally:
        for instance in instances.values():
            instance.close()
    _write_logins(directory / LOGINS_FILE, _sorted(logins))
    return _sorted(logins)


def _sorted(logins: list[DemoLogin]) -> list[DemoLogin]:
    """The Ukrainian coordinator first: that is the login `make run` prints."""
    order = {"ua": 0, "ru": 1, "tr": 2}
    return sorted(logins, key=lambda x: (order[x.instance], x.role != Role.COORDINATOR.value))


def _exchange_keys(instances: dict[str, Instance]) -> None:
    for party, instance in instances.items():
        for other, other_instance in instances.items():
            if other != party:
                key = public_key_text(load_public_key(other_instance.directory))
                instance.trust_store.add(other, other_instance.config.name, key, other == "TR")


def _populate(
    instances: dict[str, Instance],
    registry_for: Callable[[str], list[PersonDraft]],
    console: Console,
) -> None:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        for party, instance in instances.items():
            drafts = registry_for(party)
            if not drafts:
                continue
            task = progress.add_task(f"{party} registry", total=len(drafts))
            registry.register_many(
                instance.uow(),
                BUILDER,
                [(d.person, d.events) for d in drafts],
                on_progress=partial(progress.advance, task),
            )


LIST_COLUMNS = (
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "sex",
    "service_number",
    "passport",
    "tax_number",
    "unit",
    "rank",
)


def list_csv(drafts: list[PersonDraft]) -> bytes:
    """A list as the holding side would hand it over: its own spelling of each prisoner."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(LIST_COLUMNS)
    for draft in drafts:
        person = draft.person
        name = person.primary_name
        ids = {i.kind.value: i.value for i in person.identifiers}
        writer.writerow(
            [
                name.surname,
                name.given,
                name.patronymic,
                str(person.birth_date or ""),
                person.sex.value,
                ids.get("service_number", ""),
                ids.get("passport", ""),
                ids.get("tax_number", ""),
                person.unit,
                person.rank,
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _match_received_lists(
    directory: Path,
    instances: dict[str, Instance],
    registry_for: Callable[[str], list[PersonDraft]],
    console: Console,
) -> None:
    """Each party receives the other's list of the prisoners it holds, and matches it.

    The lists are also left in DIR/lists, to match again by hand or through the console.
    """
    folder = directory / "lists"
    folder.mkdir(exist_ok=True)
    for holder, receiver in (("RU", "UA"), ("UA", "RU")):
        held = [d for d in registry_for(holder) if d.person.side == receiver]
        content = list_csv(held)
        name = f"{holder.lower()}-holds-{receiver.lower()}.csv"
        (folder / name).write_bytes(content)
        with console.status(f"{receiver}: matching the list received from {holder}…"):
            coordinator = accounts.actor_for_username(
                instances[receiver].uow(), "coordinator", "system"
            )
            matching.run_match(instances[receiver].uow(), coordinator, name, content)


STAGE_DAY = date(2025, 6, 9)


def _hand_over_offer(directory: Path, instances: dict[str, Instance], console: Console) -> None:
    """UA offers the Russian prisoners aged 18-25 it holds; the list goes UA → TR → RU.

    RU takes it in, reconciles it against its registry of missing people and answers; the
    response and every receipt come back the same way. Every file that crossed is left in
    DIR/bundles, numbered in the order it travelled, with the offer's printable PDF.
    """
    folder = directory / "bundles"
    folder.mkdir(exist_ok=True)
    ua, ru, tr = instances["UA"], instances["RU"], instances["TR"]
    ua_actor = accounts.actor_for_username(ua.uow(), "coordinator", "system")
    ru_actor = accounts.actor_for_username(ru.uow(), "coordinator", "system")
    tr_actor = accounts.actor_for_username(tr.uow(), "liaison", "system")
    with console.status("UA: building and signing the offer of prisoners aged 18-25…"):
        offer = lists.build_list(
            ua.uow(),
            ua_actor,
            "UA",
            lists.ListDraft(
                "Russian prisoners aged 18-25",
                ListPurpose.OFFER,
                ("RU",),
                "aged 18-25 on the stage day (9 June 2025)",
                "Istanbul, round 2, 2 June 2025",
            ),
            lists.RegistrySelection(Status.HELD, None, "RU", (18, 25), STAGE_DAY),
        ).stored
        _, sent = bundles.export_bundle(ua.uow(), ua_actor, ua.keyring(), offer.id)
        (folder / "01-ua-offer-to-ru.json").write_bytes(sent)
        pdf = list_documents.render(ua.uow(), ua_actor, ua.keyring(), offer.id, "pdf")
        (folder / pdf.filename).write_bytes(pdf.content)
    with console.status("TR relays the offer; RU takes it in and reconciles it…"):
        relayed = bundles.import_bundle(tr.uow(), tr_actor, tr.keyring(), "01.json", sent, True)
        received = bundles.import_bundle(ru.uow(), ru_actor, ru.keyring(), "01.json", sent)
        assert received.stored is not None and received.receipt and relayed.receipt
        (folder / "02-tr-relay-receipt-to-ua.json").write_bytes(relayed.receipt)
        (folder / "03-ru-receipt-to-ua.json").write_bytes(received.receipt)
        lists.reconcile(ru.uow(), ru_actor, received.stored.id)
        response = lists.respond(ru.uow(), ru_actor, "RU", received.stored.id).stored
        _, answer = bundles.export_bundle(ru.uow(), ru_actor, ru.keyring(), response.id)
        (folder / "04-ru-response-to-ua.json").write_bytes(answer)
    with console.status("TR relays the response; UA takes in the response and the receipts…"):
        back = bundles.import_bundle(tr.uow(), tr_actor, tr.keyring(), "04.json", answer, True)
        assert back.receipt is not None
        (folder / "05-tr-relay-receipt-to-ru.json").write_bytes(back.receipt)
        bundles.import_bundle(ru.uow(), ru_actor, ru.keyring(), "05.json", back.receipt)
        for name, raw in (
            ("02.json", relayed.receipt),
            ("03.json", received.receipt),
            ("04.json", answer),
        ):
            bundles.import_bundle(ua.uow(), ua_actor, ua.keyring(), name, raw)


def _replay_campaign(instance: Instance, seed: int, scale: Scale, console: Console) -> None:
    """Interviews, the commission's visits, then the stages of May-July 2025, in this party's
    instance (see `scenarios.replay`); a small demo replays them at a twentieth of the size."""
    party = instance.config.party
    with console.status(f"{party}: replaying the 2025 campaign…") as status:
        note = lambda text: status.update(f"{party}: {text}")  # noqa: E731
        replay.seed_interviews_and_examinations(instance, BUILDER, seed, note)
        coordinator = accounts.actor_for_username(instance.uow(), "coordinator", "system")
        factor = 1.0 if scale is Scale.FULL else 0.05
        replay.replay_stages(instance, coordinator, seed, factor, note)
        if party == "UA":
            forensic = accounts.actor_for_username(instance.uow(), "forensic", "system")
            replay_remains(instance, forensic, BUILDER, seed, factor, note)


def _countersign_first_stage(
    directory: Path, instances: dict[str, Instance], console: Console
) -> None:
    """UA sends the record of 23 May through TR; TR's relay receipt is its countersignature."""
    ua, ru, tr = instances["UA"], instances["RU"], instances["TR"]
    with console.status("UA: the record of 23 May, countersigned by the mediator…"):
        ua_actor = accounts.actor_for_username(ua.uow(), "coordinator", "system")
        first = exchange.list_stages(ua.uow(), ua_actor)[0]
        _, record = exchange.export_record(ua.uow(), ua_actor, ua.keyring(), first.id)
        (directory / "bundles" / "06-ua-stage-record-to-ru.json").write_bytes(record)
        tr_actor = accounts.actor_for_username(tr.uow(), "liaison", "system")
        relayed = bundles.import_bundle(tr.uow(), tr_actor, tr.keyring(), "06.json", record, True)
        assert relayed.receipt is not None
        (directory / "bundles" / "07-tr-countersignature-to-ua.json").write_bytes(relayed.receipt)
        ru_actor = accounts.actor_for_username(ru.uow(), "coordinator", "system")
        bundles.import_bundle(ru.uow(), ru_actor, ru.keyring(), "06.json", record)
        exchange.record_countersignature(
            ua.uow(), ua_actor, ua.keyring(), first.id, relayed.receipt, "07.json"
        )


def _record_agreements(instances: dict[str, Instance], console: Console) -> None:
    """The Istanbul rounds, memoranda, proposals, commitments and claims, in every instance."""
    for party, instance in instances.items():
        with console.status(f"{party}: the Istanbul rounds, memoranda and commitments…"):
            who = "liaison" if party == "TR" else "coordinator"
            actor = accounts.actor_for_username(instance.uow(), who, "system")
            record_istanbul(instance.uow, actor)


def _write_logins(path: Path, logins: list[DemoLogin]) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write("# instance username password role   (demo only; never reuse)\n")
        for login in logins:
            handle.write(f"{login.instance} {login.username} {login.password} {login.role}\n")
