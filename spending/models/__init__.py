"""Editions, yearly figures, targets, breaks, the data version and stored answers, the import
audit; models import nothing above them (spending.fields only)."""

from spending.fields import (
    AMOUNT_FIELDS,
    CHANGE_FIELDS,
    METRIC_FIELDS,
    NEWEST_EDITION_FIRST,
    RELATED_FIELD,
    SHARE_FIELDS,
    newest_edition_first,
)
from spending.models.figures import (
    Aggregate,
    AggregateFigure,
    Edition,
    EditionQuerySet,
    Figures,
    Status,
    YearlyFigure,
    YearlyFigureQuerySet,
)
from spending.models.imports import ImportBatch, ImportChange, who
from spending.models.targets import (
    Basis,
    Kind,
    Measure,
    Series,
    SeriesBreak,
    SeriesBreakQuerySet,
    Target,
)
from spending.models.versions import (
    AllianceAnswer,
    DataVersion,
    FigureSummary,
    PageAnswer,
    ProgressAnswer,
    StoredAnswer,
    as_aware_datetime,
)

__all__ = [
    "AMOUNT_FIELDS",
    "CHANGE_FIELDS",
    "METRIC_FIELDS",
    "NEWEST_EDITION_FIRST",
    "RELATED_FIELD",
    "SHARE_FIELDS",
    "Aggregate",
    "AggregateFigure",
    "AllianceAnswer",
    "Basis",
    "DataVersion",
    "Edition",
    "EditionQuerySet",
    "FigureSummary",
    "PageAnswer",
    "Figures",
    "ImportBatch",
    "ImportChange",
    "Kind",
    "Measure",
    "ProgressAnswer",
    "Series",
    "SeriesBreak",
    "SeriesBreakQuerySet",
    "Status",
    "StoredAnswer",
    "Target",
    "YearlyFigure",
    "YearlyFigureQuerySet",
    "as_aware_datetime",
    "newest_edition_first",
    "who",
]
