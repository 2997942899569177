"""Agreements between instances: what a party said travels as a signed bundle of kind
`agreement`, like lists do, so a mediator's instance holds both parties' versions and every
memorandum, proposal, response and claim stays attributable to the key that signed it.

A statement names what it answers by what both instances know, not by local ids: a response
names the proposal (party, title, day, option), a claim the commitment (round, label).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import ValidationError

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import (
    BundleRefused,
    ClaimNotFound,
    CommitmentNotFound,
    InvalidInput,
    MemorandumNotFound,
    ProposalNotFound,
    ResponseNotFound,
    WrongParty,
)
from parley.interchange import bundles as wire
from parley.services import accounts
from parley.services.accounts import log
from parley.services.agreements.drafts import ClaimIn, MemorandumIn, ProposalIn, ResponseIn
from parley.services.agreements.records import (
    clean_memorandum,
    clean_proposal,
    clean_response,
)
from parley.services.agreements.rows import Agreements, CommitmentClaimRow, ProposalRow
from parley.services.lists import Keyring, keep_bundle
from parley.services.lists.rows import StoredBundle
from parley.services.uow import UnitOfWork

Statement = Literal["memorandum", "proposal", "response", "claim"]
STATEMENTS: tuple[Statement, ...] = ("memorandum", "proposal", "response", "claim")


def _proposal_ref(row: ProposalRow) -> dict[str, Any]:
    return {
        "party": row.party,
        "title": row.title,
        "proposed_on": row.proposed_on.isoformat(),
        "option": row.option,
    }


def _find_proposal(everything: Agreements, ref: dict[str, Any]) -> int:
    for row in everything.proposals:
        if _proposal_ref(row) == ref:
            return row.id
    raise ProposalNotFound(
        f"the proposal '{ref.get('title')}' of {ref.get('party')} ({ref.get('proposed_on')}) "
        "is not recorded here; take in the proposal first"
    )


def _find_commitment(everything: Agreements, ref: dict[str, Any]) -> int:
    for row in everything.commitments:
        if row.round_number == ref.get("round_number") and row.label == ref.get("label"):
            return row.id
    raise CommitmentNotFound(
        f"commitment '{ref.get('label')}' (round {ref.get('round_number')}) is not recorded here"
    )


def _body(
    everything: Agreements, statement: Statement, record_id: int
) -> tuple[str, dict[str, Any]]:
    """Who said it, and what, as the track's own input shapes."""
    if statement == "memorandum":
        m = next((x for x in everything.memoranda if x.id == record_id), None)
        if m is None:
            raise MemorandumNotFound(f"memorandum {record_id} is not recorded")
        points = [p for p in everything.points if p.memorandum_id == m.id]
        return m.party, {
            "party": m.party,
            "round_number": m.round_number,
            "title": m.title,
            "presented_on": m.presented_on.isoformat(),
            "sections": [{"number": s.number, "title": s.title} for s in m.sections],
            "points": [
                {
                    "section": p.section,
                    "number": p.number,
                    "text": p.text,
                    "topics": list(p.topics),
                    "stance": p.stance,
                    "position": p.position,
                    "option": p.option,
                }
                for p in points
            ],
            "sources": list(m.sources),
        }
    if statement == "proposal":
        p = next((x for x in everything.proposals if x.id == record_id), None)
        if p is None:
            raise ProposalNotFound(f"proposal {record_id} is not recorded")
        return p.party, {
            "kind": p.kind,
            "party": p.party,
            "round_number": p.round_number,
            "title": p.title,
            "proposed_on": p.proposed_on.isoformat(),
            "terms": p.terms,
            "source": p.source,
            "option": p.option,
        }
    if statement == "response":
        r = next((x for x in everything.responses if x.id == record_id), None)
        if r is None:
            raise ResponseNotFound(f"response {record_id} is not recorded")
        by_id = {p.id: p for p in everything.proposals}
        counter = by_id.get(r.counter_proposal_id or 0)
        return r.party, {
            "proposal": _proposal_ref(by_id[r.proposal_id]),
            "party": r.party,
            "response": r.response,
            "responded_on": r.responded_on.isoformat(),
            "source": r.source,
            "note": r.note,
            "counter_proposal": _proposal_ref(counter) if counter else None,
        }
    c = next((x for x in everything.claims if x.id == record_id), None)
    if c is None:
        raise ClaimNotFound(f"claim {record_id} is not recorded")
    commitment = next(x for x in everything.commitments if x.id == c.commitment_id)
    return c.party, {
        "commitment": {"round_number": commitment.round_number, "label": commitment.label},
        "party": c.party,
        "value": c.value,
        "claimed_on": c.claimed_on.isoformat(),
        "source": c.source,
    }


def export_statement(
    uow: UnitOfWork,
    actor: Actor,
    keyring: Keyring,
    statement: str,
    record_id: int,
    recipient: str,
) -> tuple[StoredBundle, bytes]:
    """Sign what our party said (only our own statements: others' travel as they were signed)."""
    actor.require(Permission.BUNDLES_SEND)
    actor.require(Permission.AGREEMENTS_READ)
    if statement not in STATEMENTS:
        raise InvalidInput(f"'{statement}' is not one of {', '.join(STATEMENTS)}", "statement")
    to = recipient.strip().upper()
    with uow:
        party, body = _body(uow.agreements.everything(), statement, record_id)
        if party != keyring.party:
            raise WrongParty(
                f"this {statement} is {party}'s: only {keyring.party}'s own statements are signed "
                "here; a received one is passed on unchanged (`parley bundle relay`)",
                "statement",
            )
        payload = {"statement": statement, "party": party, "body": body}
        _, checkpoint = accounts.sign_checkpoint(
            uow, actor, keyring.party, keyring.signing_key, f"export of {statement} {record_id}"
        )
        raw = wire.seal(
            wire.BundleKind.AGREEMENT,
            keyring.party,
            to,
            payload,
            keyring.signing_key,
            datetime.now(UTC).replace(microsecond=0),
            checkpoint.document,
        )
        kept = keep_bundle(uow, actor, raw, "sent", {"agreement": f"{statement} {record_id}"})
        log(
            uow,
            actor,
            "agreement.export",
            statement,
            [record_id],
            bundle=kept.sha256,
            recipient=to,
        )
        uow.commit()
        return kept, raw


def receive_statement(
    uow: UnitOfWork, actor: Actor, bundle: wire.Bundle, payload: dict[str, Any], bundle_id: int
) -> int:
    """Record a verified statement inside the import's transaction, signed_by its key."""
    statement, body = payload["statement"], payload["body"]
    signed_by = bundle.signer.fingerprint
    if body.get("party") != payload["party"]:
        raise BundleRefused("party", "the statement's body names another party than its signer")
    everything = uow.agreements.everything()
    try:
        if statement == "memorandum":
            memo = MemorandumIn.model_validate(body)
            clean, points = clean_memorandum(memo.row(), memo.point_rows())
            stored_id = uow.agreements.add_memorandum(
                replace(clean, signed_by=signed_by), points, actor.label
            ).id
        elif statement == "proposal":
            proposal = ProposalIn.model_validate(body)
            clean_p = clean_proposal(proposal.row())
            stored_id = uow.agreements.add_proposal(
                replace(clean_p, signed_by=signed_by), actor.label
            ).id
        elif statement == "response":
            target = _find_proposal(everything, body["proposal"])
            counter = body.get("counter_proposal")
            answer = ResponseIn.model_validate(
                {
                    **{k: v for k, v in body.items() if k not in ("proposal", "counter_proposal")},
                    "counter_proposal_id": _find_proposal(everything, counter) if counter else None,
                }
            )
            clean_r = clean_response(answer.row(target))
            stored_id = uow.agreements.add_response(
                replace(clean_r, signed_by=signed_by), actor.label
            ).id
        else:
            commitment_id = _find_commitment(everything, body["commitment"])
            claim = ClaimIn.model_validate({k: v for k, v in body.items() if k != "commitment"})
            row = claim.row(commitment_id)
            stored_id = uow.agreements.add_claim(
                CommitmentClaimRow(
                    row.commitment_id, row.party, row.value, row.claimed_on, row.source, signed_by
                ),
                actor.label,
            ).id
    except (ValidationError, KeyError, TypeError) as exc:
        raise BundleRefused(
            "schema", f"the {statement} in bundle {bundle.sha256[:12]}… is malformed: {exc}"
        ) from exc
    log(
        uow,
        actor,
        "agreement.import",
        statement,
        [stored_id],
        bundle=bundle.sha256,
        bundle_id=bundle_id,
        party=payload["party"],
        signed_by=signed_by,
    )
    return stored_id


__all__ = ["STATEMENTS", "export_statement", "receive_statement"]
