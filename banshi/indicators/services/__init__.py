"""Every write of the indicators app: definitions and period values (``reports``), the report's
lifecycle on the shared engine (``lifecycle``), project outputs posted on 销号 (``outputs``) and the
statistics-office workbook import (``workbook``)."""

from banshi.indicators.services.lifecycle import report_transition
from banshi.indicators.services.outputs import output_set, post_outputs, reverse_outputs
from banshi.indicators.services.reports import (
    indicator_create,
    report_open,
    value_correct,
    values_set,
)
from banshi.indicators.services.workbook import ImportResult, import_workbook

__all__ = [
    "ImportResult",
    "import_workbook",
    "indicator_create",
    "output_set",
    "post_outputs",
    "report_open",
    "report_transition",
    "reverse_outputs",
    "value_correct",
    "values_set",
]
