"""Every console string has a Ukrainian translation, and every coded label an English one."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from parley.domain.agreements import (
    CommitmentStatus,
    Overlap,
    ProposalKind,
    ResponseKind,
    Stance,
    Topic,
)
from parley.domain.children import AnswerKind, ChildStatus
from parley.domain.exchange.categories import Answer
from parley.domain.exchange.commissions import (
    AnnexCategory,
    Decision,
    MemberRole,
    OverdueWhat,
    Proposer,
    Specialty,
)
from parley.domain.exchange.handover import DocumentRole, Manifest, StageOutcome
from parley.domain.exchange.manifests import ExclusionCode
from parley.domain.exchange.stages import Parity, PriorityKey
from parley.domain.jobs import JobState
from parley.domain.lists import Finding, ListPurpose, Verdict
from parley.domain.matching import Outcome
from parley.domain.registry.events import EventType, Source, Status
from parley.domain.registry.persons import IdentifierKind, PersonCategory, Sex
from parley.interchange.bundles import Check
from parley.services.exchange import CounterpartFinding, Standing
from parley.services.jobs import KINDS
from parley.web.console import i18n

FIELDS = ("surname", "given", "patronymic", "date_of_birth", "identifiers", "sex")
TEMPLATES = Path(i18n.__file__).parent / "templates"
CODED = (
    [f"status:{s}" for s in Status]
    + [f"event:{t}" for t in EventType]
    + [f"source:{s}" for s in Source]
    + [f"category:{c}" for c in PersonCategory]
    + [f"sex:{s}" for s in Sex]
    + [f"identifier:{k}" for k in IdentifierKind]
    + [f"outcome:{o}" for o in Outcome]
    + [f"purpose:{p}" for p in ListPurpose]
    + [f"finding:{f}" for f in Finding]
    + [f"verdict:{v}" for v in Verdict]
    + [f"check:{c}" for c in Check]
    + [f"origin:{o}" for o in ("built", "imported", "received")]
    + [f"role:{r}" for r in ("recipient", "relay")]
    + [f"direction:{d}" for d in ("sent", "received", "relayed")]
    + [
        f"field:{f}"
        for f in ("surname", "given", "patronymic", "date_of_birth", "identifiers", "sex")
    ]
    + [f"precision:{p}" for p in ("day", "month", "year")]
    # medical commissions
    + [f"decision:{d}" for d in Decision]
    + [f"proposer:{p}" for p in Proposer]
    + [f"member_role:{r}" for r in MemberRole]
    + [f"specialty:{s}" for s in Specialty if s]
    + [f"annex:{c}" for c in AnnexCategory]
    + [f"overdue:{w}" for w in OverdueWhat]
    # category check
    + [f"answer:{a}" for a in Answer]
    + [f"standing:{s}" for s in Standing]
    # stages and progress, through `coded(prefix, code)` in the stages screens
    + [f"parity:{p}" for p in Parity]
    + [f"priority:{p}" for p in PriorityKey]
    + [f"exclusion:{c}" for c in ExclusionCode]
    + [f"stage_outcome:{o}" for o in StageOutcome]
    + [f"manifest:{m}" for m in Manifest]
    + [f"counterpart:{f}" for f in CounterpartFinding]
    + [f"stage_document:{r}" for r in DocumentRole]
    # agreements, through `coded(prefix, code)` in the agreements screens
    + [f"topic:{t}" for t in Topic]
    + [f"stance:{s}" for s in Stance]
    + [f"overlap:{o}" for o in Overlap]
    + [f"commitment_status:{s}" for s in CommitmentStatus]
    + [f"response:{r}" for r in ResponseKind]
    + [f"proposal_kind:{k}" for k in ProposalKind]
    # children
    + [f"child_status:{s}" for s in ChildStatus]
    + [f"child_answer:{a}" for a in AnswerKind]
    # background jobs
    + [f"job_state:{s}" for s in JobState]
    + [f"job_kind:{k}" for k in KINDS]
)


def _catalogue(language: str) -> dict[str, object]:
    with (i18n.LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    return {
        (m.id if isinstance(m.id, str) else m.id[0]): m.string for m in catalog if m.id and m.string
    }


def _template_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(TEMPLATES),
        method_map=[("**.html", "jinja2")],
        options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_template_string_and_coded_label_is_in_ukrainian() -> None:
    ukrainian = _catalogue("uk")
    assert sorted((_template_messages() | set(CODED)) - set(ukrainian)) == []


def test_every_coded_label_reads_as_words_in_english() -> None:
    english = _catalogue("en")
    assert sorted(set(CODED) - set(english)) == []


def test_translations_reach_the_templates() -> None:
    token = i18n.current_language.set("uk")
    try:
        assert i18n.gettext("Registry") == "Реєстр"
        assert i18n.ngettext("%(num)d person", "%(num)d persons", 5) == "%(num)d осіб"
    finally:
        i18n.current_language.reset(token)
