"""The exchange track: its use cases, re-exported from the modules that hold them.

- `category_check`: Does each entry of a list fall in the categories the parties agreed, and why
  (not)?
- `chart`: The "all for all" chart, drawn on the server as SVG so the console needs no script.
- `commissions`: Mixed Medical Commissions and their examinations (GC III arts. 112-113, Annex
  II).
- `examination_pages`: Examinations a page at a time, filtered and sorted on the server, and the
  overdue count the dashboard shows.
- `documents`: Documents that cross: signed manifests, the stage record, countersignature,
  counterparts.
- `facts`: What the exchange rules need to know about registry persons, read from the registry.
- `handover`: The day of the stage: what happened to each person, and each party's public
  claims.
- `planning`: Planning a stage: the registry read into facts, drawn by `domain/exchange/`,
  stored once.
- `progress`: All for all: every stage's record counted against the pools, per category.
- `reconciliation`: Where plan, record, claims and the other side's lists differ, for one stage.
- `shown`: The use cases as the views the API returns, where a door would build them.
- `stage_chart`: Stage history, drawn on the server as SVG: released and expected back, added up.
- `stages`: Exchange stages as stored: reading one or all, and the helpers every stage use case
  shares.
- `views`: What the exchange track shows: the shapes the CLI prints and the API returns.

Shapes shown by every door are in `views`; what the repository takes and gives is in `rows`.
"""

from parley.services.exchange.category_check import (
    BIRTH,
    CAPTURE,
    KIND,
    MEDICAL,
    PER_LIST,
    PER_REGISTRY,
    REPORT_FORMATS,
    AgreedCategory,
    CategoryAnswer,
    CategoryCheck,
    CheckedEntry,
    ReportFile,
    Standing,
    check_list,
    known_categories,
    report_columns,
    report_file,
    report_rows,
)
from parley.services.exchange.chart import (
    COLOURS,
    DEFAULT_LABELS,
    STATES,
    ChartPoint,
    ProgressRowLike,
    chart_values,
    checked_svg,
    progress_chart_spec,
    progress_chart_svg,
    two_series_by_day_svg,
    warm_up,
)
from parley.services.exchange.commissions import (
    CertificateDocument,
    add_commission,
    certificate,
    examination_queue,
    get_examination,
    list_commissions,
    list_examinations,
    record_examination,
    record_step,
)
from parley.services.exchange.documents import (
    export_manifests,
    export_record,
    link_counterpart,
    record_countersignature,
)
from parley.services.exchange.examination_pages import (
    EXAMINATION_FILTERS,
    EXAMINATION_SORTS,
    ExaminationPage,
    examinations_page,
    overdue_examinations,
)
from parley.services.exchange.facts import (
    CAPTURE_EVENTS,
    commission_of,
    condition_json,
    condition_of,
    examination_of,
    examinations_by_person,
    facts_of,
    member_json,
    member_of,
    registry_facts,
)
from parley.services.exchange.handover import (
    record_claim,
    record_outcomes,
)
from parley.services.exchange.planning import (
    plan,
)
from parley.services.exchange.progress import (
    progress,
)
from parley.services.exchange.reconciliation import (
    reconcile_stage,
)
from parley.services.exchange.shown import check_list_view, export_manifests_view
from parley.services.exchange.stage_chart import stage_history_svg
from parley.services.exchange.stages import (
    PLAN_FORMAT,
    STAGE_FILTERS,
    STAGE_SORTS,
    TOTAL,
    Note,
    list_stages,
    show_stage,
    stage_table,
)
from parley.services.exchange.views import (
    AgreedCategoryOut,
    CategoryAnswerOut,
    CategoryCheckOut,
    CategoryCount,
    CheckedEntryOut,
    ClaimCheck,
    ClaimLine,
    CommissionView,
    ConditionView,
    CounterpartFinding,
    CounterpartLine,
    Countersignature,
    DocumentLine,
    ExaminationList,
    ExaminationView,
    ExclusionLine,
    ManifestFlagOut,
    ManifestLine,
    ManifestTally,
    MemberView,
    OutcomesRecorded,
    OverdueView,
    Overlap,
    ProgressLine,
    ProgressReport,
    QueueEntryView,
    SentBundle,
    Shortfall,
    StageDetail,
    StageReconciliation,
    StageSummary,
    Tally,
)

__all__ = [
    "BIRTH",
    "CAPTURE",
    "CAPTURE_EVENTS",
    "COLOURS",
    "DEFAULT_LABELS",
    "EXAMINATION_FILTERS",
    "EXAMINATION_SORTS",
    "KIND",
    "MEDICAL",
    "PER_LIST",
    "PER_REGISTRY",
    "PLAN_FORMAT",
    "REPORT_FORMATS",
    "STAGE_FILTERS",
    "STAGE_SORTS",
    "STATES",
    "TOTAL",
    "AgreedCategory",
    "AgreedCategoryOut",
    "CategoryAnswer",
    "CategoryAnswerOut",
    "CategoryCheck",
    "CategoryCheckOut",
    "CategoryCount",
    "CertificateDocument",
    "ChartPoint",
    "CheckedEntry",
    "CheckedEntryOut",
    "ClaimCheck",
    "ClaimLine",
    "CommissionView",
    "ConditionView",
    "CounterpartFinding",
    "CounterpartLine",
    "Countersignature",
    "DocumentLine",
    "ExaminationList",
    "ExaminationPage",
    "ExaminationView",
    "ExclusionLine",
    "ManifestFlagOut",
    "ManifestLine",
    "ManifestTally",
    "MemberView",
    "Note",
    "OutcomesRecorded",
    "OverdueView",
    "Overlap",
    "ProgressLine",
    "ProgressReport",
    "ProgressRowLike",
    "QueueEntryView",
    "ReportFile",
    "SentBundle",
    "Shortfall",
    "StageDetail",
    "StageReconciliation",
    "StageSummary",
    "Standing",
    "Tally",
    "add_commission",
    "certificate",
    "chart_values",
    "check_list",
    "check_list_view",
    "checked_svg",
    "commission_of",
    "condition_json",
    "condition_of",
    "examination_of",
    "examination_queue",
    "examinations_by_person",
    "examinations_page",
    "export_manifests",
    "export_manifests_view",
    "export_record",
    "facts_of",
    "get_examination",
    "known_categories",
    "link_counterpart",
    "list_commissions",
    "list_examinations",
    "list_stages",
    "member_json",
    "member_of",
    "overdue_examinations",
    "plan",
    "progress",
    "progress_chart_spec",
    "progress_chart_svg",
    "reconcile_stage",
    "record_claim",
    "record_countersignature",
    "record_examination",
    "record_outcomes",
    "record_step",
    "registry_facts",
    "report_columns",
    "report_file",
    "report_rows",
    "show_stage",
    "stage_history_svg",
    "stage_table",
    "two_series_by_day_svg",
    "warm_up",
]
