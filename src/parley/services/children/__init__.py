"""The children track (issue 15): deported children's cases, lists to the other side, answers.

- `cases`: A child's case: every identity, relatives with proof of kinship, custodian, mediator,
  status; every change an event with a source. Only the ombudsman (and admins) read a record;
  a refusal is in the audit log.
- `bundles`: Children's lists and answers as signed bundles, only to the addressee and the
  mediator; an answer bundle imported is recorded on the cases it replies to.
- `answers`: Lists of children to the other side's ombudsman, its answers matched to the cases
  by the matching engine (names, birth, place of birth, institution, a relative's name), each
  list's progress, and exports approved by a second person.
- `shown`: The children track's use cases as the views every door shows.

Shapes shown by every door are in `views`; what the repository takes and gives is in `rows`.
"""

from parley.services.children.answers import (
    EXTRA,
    OVERDUE_DAYS,
    AnswersOutcome,
    ChildAnswer,
    MatchedAnswer,
    answers_received,
    answers_since,
    approve_export,
    check_recipients,
    export_cases,
    list_progress,
    list_refs,
    match_answers,
    record_answers,
    request_export,
    send_list,
    unanswered_cases,
)
from parley.services.children.bundles import (
    BundledAnswer,
    export_answer_bundle,
    export_list_bundle,
    import_answer_bundle,
)
from parley.services.children.cases import (
    CaseDraft,
    all_cases,
    case_table,
    counts,
    get_case,
    guard,
    identity_data,
    list_cases,
    open_case,
    open_cases,
    record,
    set_status,
)
from parley.services.children.shown import (
    case_view,
    case_views,
    export_case_views,
    progress_view,
    record_answers_view,
)
from parley.services.children.views import (
    AnswerIn,
    AnswersIn,
    AnswersOut,
    ChildCaseOut,
    ChildEventOut,
    IdentityOut,
    ProgressOut,
    RelativeOut,
)

__all__ = [
    "EXTRA",
    "OVERDUE_DAYS",
    "AnswerIn",
    "AnswersIn",
    "AnswersOut",
    "AnswersOutcome",
    "BundledAnswer",
    "CaseDraft",
    "ChildAnswer",
    "ChildCaseOut",
    "ChildEventOut",
    "IdentityOut",
    "MatchedAnswer",
    "ProgressOut",
    "RelativeOut",
    "all_cases",
    "answers_received",
    "answers_since",
    "approve_export",
    "case_table",
    "case_view",
    "case_views",
    "check_recipients",
    "counts",
    "export_answer_bundle",
    "export_case_views",
    "export_cases",
    "export_list_bundle",
    "get_case",
    "guard",
    "identity_data",
    "import_answer_bundle",
    "list_cases",
    "list_progress",
    "list_refs",
    "match_answers",
    "open_case",
    "open_cases",
    "progress_view",
    "record",
    "record_answers",
    "record_answers_view",
    "request_export",
    "send_list",
    "set_status",
    "unanswered_cases",
]
