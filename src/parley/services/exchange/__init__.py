"""x"""

from parley.services.exchange.category_check import (
    BIRTH as BIRTH,
)
from parley.services.exchange.category_check import (
    CAPTURE as CAPTURE,
)
from parley.services.exchange.category_check import (
    CATEGORIES_FILE as CATEGORIES_FILE,
)
from parley.services.exchange.category_check import (
    KIND as KIND,
)
from parley.services.exchange.category_check import (
    MEDICAL as MEDICAL,
)
from parley.services.exchange.category_check import (
    PER_LIST as PER_LIST,
)
from parley.services.exchange.category_check import (
    PER_REGISTRY as PER_REGISTRY,
)
from parley.services.exchange.category_check import (
    REPORT_FORMATS as REPORT_FORMATS,
)
from parley.services.exchange.category_check import (
    AgreedCategory as AgreedCategory,
)
from parley.services.exchange.category_check import (
    CategoryAnswer as CategoryAnswer,
)
from parley.services.exchange.category_check import (
    CategoryCheck as CategoryCheck,
)
from parley.services.exchange.category_check import (
    CheckedEntry as CheckedEntry,
)
from parley.services.exchange.category_check import (
    ReportFile as ReportFile,
)
from parley.services.exchange.category_check import (
    Standing as Standing,
)
from parley.services.exchange.category_check import (
    check_list as check_list,
)
from parley.services.exchange.category_check import (
    known_categories as known_categories,
)
from parley.services.exchange.category_check import (
    load_categories as load_categories,
)
from parley.services.exchange.category_check import (
    report_columns as report_columns,
)
from parley.services.exchange.category_check import (
    report_file as report_file,
)
from parley.services.exchange.category_check import (
    report_rows as report_rows,
)
from parley.services.exchange.chart import (
    COLOURS as COLOURS,
)
from parley.services.exchange.chart import (
    DEFAULT_LABELS as DEFAULT_LABELS,
)
from parley.services.exchange.chart import (
    STATES as STATES,
)
from parley.services.exchange.chart import (
    ProgressRowLike as ProgressRowLike,
)
from parley.services.exchange.chart import (
    chart_values as chart_values,
)
from parley.services.exchange.chart import (
    checked_svg as checked_svg,
)
from parley.services.exchange.chart import (
    progress_chart_spec as progress_chart_spec,
)
from parley.services.exchange.chart import (
    progress_chart_svg as progress_chart_svg,
)
from parley.services.exchange.commissions import (
    CertificateDocument as CertificateDocument,
)
from parley.services.exchange.commissions import (
    add_commission as add_commission,
)
from parley.services.exchange.commissions import (
    certificate as certificate,
)
from parley.services.exchange.commissions import (
    examination_queue as examination_queue,
)
from parley.services.exchange.commissions import (
    get_examination as get_examination,
)
from parley.services.exchange.commissions import (
    list_commissions as list_commissions,
)
from parley.services.exchange.commissions import (
    list_examinations as list_examinations,
)
from parley.services.exchange.commissions import (
    record_examination as record_examination,
)
from parley.services.exchange.commissions import (
    record_step as record_step,
)
from parley.services.exchange.documents import (
    export_manifests as export_manifests,
)
from parley.services.exchange.documents import (
    export_record as export_record,
)
from parley.services.exchange.documents import (
    link_counterpart as link_counterpart,
)
from parley.services.exchange.documents import (
    record_countersignature as record_countersignature,
)
from parley.services.exchange.facts import (
    CAPTURE_EVENTS as CAPTURE_EVENTS,
)
from parley.services.exchange.facts import (
    commission_of as commission_of,
)
from parley.services.exchange.facts import (
    condition_json as condition_json,
)
from parley.services.exchange.facts import (
    condition_of as condition_of,
)
from parley.services.exchange.facts import (
    examination_of as examination_of,
)
from parley.services.exchange.facts import (
    examinations_by_person as examinations_by_person,
)
from parley.services.exchange.facts import (
    facts_of as facts_of,
)
from parley.services.exchange.facts import (
    member_json as member_json,
)
from parley.services.exchange.facts import (
    member_of as member_of,
)
from parley.services.exchange.facts import (
    registry_facts as registry_facts,
)
from parley.services.exchange.handover import (
    record_claim as record_claim,
)
from parley.services.exchange.handover import (
    record_outcomes as record_outcomes,
)
from parley.services.exchange.planning import (
    instance_categories as instance_categories,
)
from parley.services.exchange.planning import (
    plan as plan,
)
from parley.services.exchange.progress import (
    progress as progress,
)
from parley.services.exchange.reconciliation import (
    reconcile_stage as reconcile_stage,
)
from parley.services.exchange.stages import (
    PLAN_FORMAT as PLAN_FORMAT,
)
from parley.services.exchange.stages import (
    TOTAL as TOTAL,
)
from parley.services.exchange.stages import (
    Note as Note,
)
from parley.services.exchange.stages import (
    list_stages as list_stages,
)
from parley.services.exchange.stages import (
    show_stage as show_stage,
)
from parley.services.exchange.views import (
    CategoryCount as CategoryCount,
)
from parley.services.exchange.views import (
    ClaimCheck as ClaimCheck,
)
from parley.services.exchange.views import (
    ClaimLine as ClaimLine,
)
from parley.services.exchange.views import (
    CommissionView as CommissionView,
)
from parley.services.exchange.views import (
    ConditionView as ConditionView,
)
from parley.services.exchange.views import (
    CounterpartFinding as CounterpartFinding,
)
from parley.services.exchange.views import (
    CounterpartLine as CounterpartLine,
)
from parley.services.exchange.views import (
    Countersignature as Countersignature,
)
from parley.services.exchange.views import (
    DocumentLine as DocumentLine,
)
from parley.services.exchange.views import (
    ExaminationList as ExaminationList,
)
from parley.services.exchange.views import (
    ExaminationView as ExaminationView,
)
from parley.services.exchange.views import (
    ExclusionLine as ExclusionLine,
)
from parley.services.exchange.views import (
    ManifestLine as ManifestLine,
)
from parley.services.exchange.views import (
    ManifestTally as ManifestTally,
)
from parley.services.exchange.views import (
    MemberView as MemberView,
)
from parley.services.exchange.views import (
    OutcomesRecorded as OutcomesRecorded,
)
from parley.services.exchange.views import (
    OverdueView as OverdueView,
)
from parley.services.exchange.views import (
    Overlap as Overlap,
)
from parley.services.exchange.views import (
    ProgressLine as ProgressLine,
)
from parley.services.exchange.views import (
    ProgressReport as ProgressReport,
)
from parley.services.exchange.views import (
    QueueEntryView as QueueEntryView,
)
from parley.services.exchange.views import (
    Shortfall as Shortfall,
)
from parley.services.exchange.views import (
    StageDetail as StageDetail,
)
from parley.services.exchange.views import (
    StageReconciliation as StageReconciliation,
)
from parley.services.exchange.views import (
    StageSummary as StageSummary,
)
from parley.services.exchange.views import (
    Tally as Tally,
)
