"""Agreements for the public page: rounds, what was agreed, commitments with the computed
figure, the claims and the gap. No account is needed, so nothing here names a person:
delegation heads are left out, and figures below the threshold are suppressed."""

from __future__ import annotations

from datetime import date

from parley.services.agreements.fulfilment import evaluated, today
from parley.services.agreements.records import round_view
from parley.services.agreements.views import PublicAgreements, PublicCommitment
from parley.services.registry import SUPPRESS_BELOW
from parley.services.uow import UnitOfWork


def shown(value: int | None) -> str:
    if value is None:
        return "n/a"
    if 0 < abs(value) < SUPPRESS_BELOW:
        return f"< {SUPPRESS_BELOW}"
    return f"{value:,}"


def _gap(gap: int | None) -> str:
    if gap is None:
        return "n/a"
    if 0 < abs(gap) < SUPPRESS_BELOW:
        return f"< {SUPPRESS_BELOW}"
    return f"{gap:+,}"


def public_agreements(uow: UnitOfWork, as_of: date | None = None) -> PublicAgreements:
    """No actor: counts and public statements only."""
    day = as_of or today()
    commitments = evaluated(uow, day, series=False)
    with uow:
        everything = uow.agreements.everything()
        rounds = [round_view(r).model_copy(update={"delegations": []}) for r in everything.rounds]
    return PublicAgreements(
        as_of=day,
        rounds=rounds,
        agreed=[f"{c.label}: {c.text}" for c in commitments],
        commitments=[
            PublicCommitment(
                round_number=c.round_number,
                label=c.label,
                target=c.target.description,
                deadline=c.deadline,
                figure=shown(c.value),
                status=c.status,
                claims=[(x.party, shown(x.value), _gap(x.gap), x.source) for x in c.claims],
            )
            for c in commitments
        ],
    )
