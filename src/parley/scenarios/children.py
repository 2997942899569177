"""The children's list of June 2025, synthetic: 339 deported children, answers for fewer than
one in five, six returned and reunited — so the follow-up report reads like the real one.

UA's ombudsman opens the cases (Faker uk_UA: no real child), lists them to RU's ombudsman
through the mediator TR as a signed bundle, RU answers 64 of them (located, not found,
refused) in an answer bundle relayed back, UA imports it; six children come home.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

from parley.domain.accounts.accounts import Actor
from parley.domain.children import AnswerKind, ChildStatus, Identity, Relative
from parley.instance import Instance
from parley.services import accounts, children
from parley.services.lists import bundles

LIST_REF = "UA-RU deported children, June 2025"
CHILDREN = 339
SENT = date(2025, 6, 2)
ANSWERED = date(2025, 7, 10)
ANSWERS = {AnswerKind.LOCATED: 24, AnswerKind.NOT_FOUND: 32, AnswerKind.REFUSED: 8}
"""64 answers of 339: fewer than one in five, as Ukraine said of the real list."""
RETURNED = 6


def _drafts(seed: int) -> list[children.CaseDraft]:
    fake = Faker("uk_UA")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    drafts = []
    for i in range(CHILDREN):
        male = rng.random() < 0.5
        given = fake.first_name_male() if male else fake.first_name_female()
        surname = fake.last_name_male() if male else fake.last_name_female()
        born = fake.date_between(date(2007, 1, 1), date(2021, 12, 31))
        place = fake.city()
        identity = Identity(given, surname, born=born, place_of_birth=place, note="at deportation")
        later: tuple[Identity, ...] = ()
        if rng.random() < 0.15:  # renamed after "adoption" in Russia
            ru = Faker("ru_RU")
            ru.seed_instance(seed + i)
            later = (
                Identity(
                    ru.first_name_male() if male else ru.first_name_female(),
                    ru.last_name_male() if male else ru.last_name_female(),
                    born=born + timedelta(days=rng.choice([0, 0, 1, 31])),
                    place_of_birth=place,
                    note="after adoption",
                ),
            )
        taken_on = fake.date_between(date(2022, 3, 1), date(2023, 6, 30))
        drafts.append(
            children.CaseDraft(
                f"UA-CH-{i + 1:04d}",
                identity,
                taken_on,
                "report to the ombudsman's hotline",
                {
                    "on": taken_on.isoformat(),
                    "from": place,
                    "by": rng.choice(["occupation administration", "military", "unknown"]),
                },
                (
                    Relative(
                        fake.name_female(),
                        "mother",
                        rng.choice(["birth certificate", "DNA", ""]),
                        "ombudsman's office",
                    ),
                ),
                later,
            )
        )
    return drafts


def build(ua: Instance, ru: Instance, tr: Instance, folder: Path, seed: int) -> None:
    ua_omb = accounts.actor_for_username(ua.uow(), "ombudsman", "system")
    ru_omb = accounts.actor_for_username(ru.uow(), "ombudsman", "system")
    tr_actor = accounts.actor_for_username(tr.uow(), "liaison", "system")
    ids = children.open_cases(ua.uow(), ua_omb, _drafts(seed))
    children.send_list(
        ua.uow(), ua_omb, LIST_REF, ids, addressee="RU", mediator="TR", on=SENT,
        source="letter to the Russian ombudsman, through the mediator",
    )  # fmt: skip
    _, sent = children.export_list_bundle(ua.uow(), ua_omb, ua.keyring(), LIST_REF, "RU")
    (folder / "08-ua-children-list-to-ru.json").write_bytes(sent)
    bundles.import_bundle(tr.uow(), tr_actor, tr.keyring(), "08.json", sent, True)
    bundles.import_bundle(ru.uow(), ru_omb, ru.keyring(), "08.json", sent)
    rng = random.Random(seed)
    chosen = rng.sample(range(CHILDREN), sum(ANSWERS.values()))
    kinds = [k for k, n in ANSWERS.items() for _ in range(n)]
    answers = [
        children.BundledAnswer(
            f"UA-CH-{i + 1:04d}", kind, note="in an institution" if kind == "located" else ""
        )
        for i, kind in zip(chosen, kinds, strict=True)
    ]
    _, answer = children.export_answer_bundle(
        ru.uow(), ru_omb, ru.keyring(), LIST_REF, answers, "UA"
    )
    (folder / "09-ru-children-answers-to-ua.json").write_bytes(answer)
    bundles.import_bundle(tr.uow(), tr_actor, tr.keyring(), "09.json", answer, True)
    children.import_answer_bundle(ua.uow(), ua_omb, ua.keyring(), "09.json", answer, on=ANSWERED)
    _returns(ua, ua_omb, [ids[i] for i, k in zip(chosen, kinds, strict=True) if k == "located"])


def _returns(ua: Instance, actor: Actor, located: list[int]) -> None:
    steps = (ChildStatus.RETURN_ARRANGED, ChildStatus.RETURNED, ChildStatus.REUNITED)
    for n, case_id in enumerate(located[:RETURNED]):
        for days, status in enumerate(steps):
            children.set_status(
                ua.uow(), actor, case_id, status, on=date(2025, 7, 20 + n) + timedelta(days=days),
                source="return through the mediator (Qatar)",
            )  # fmt: skip
