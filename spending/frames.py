"""QuerySets turned into pandas frames: one .values() query per frame, no maths here."""

import pandas as pd
from django.db.models import Q

from members.models import Member
from spending.models import METRIC_FIELDS, RELATED_FIELD, AggregateFigure, Target, YearlyFigure

FIGURE_COLUMNS = ["iso3", "year", "status", *METRIC_FIELDS, RELATED_FIELD]
MEMBER_COLUMNS = ["iso3", "name", "accession_year", "reports_figures"]
TARGET_COLUMNS = [
    "slug",
    "name",
    "threshold_pct",
    "basis",
    "measure",
    "kind",
    "adopted",
    "deadline_year",
    "description",
]


def frame_from_rows(rows, columns):
    """A DataFrame with exactly these columns, numeric columns as floats even when empty."""
    frame = pd.DataFrame.from_records(list(rows), columns=columns)
    for name in columns:
        if name in METRIC_FIELDS or name == RELATED_FIELD:
            frame[name] = frame[name].astype("float64")
    return frame


def build_figures_frame(edition, iso3=None):
    """One row per member-year of one edition, every metric column (NaN where none)."""
    queryset = YearlyFigure.objects.for_edition(edition)
    if iso3 is not None:
        queryset = queryset.for_member(iso3)
    rows = queryset.order_by("member__iso3", "year").values_list(
        "member__iso3", "year", "status", *METRIC_FIELDS, RELATED_FIELD
    )
    frame = frame_from_rows(rows, FIGURE_COLUMNS)
    frame["year"] = frame["year"].astype("int64")
    return frame


def build_aggregates_frame(edition):
    """NATO's published aggregate rows of one edition: aggregate code, year, metrics."""
    rows = (
        AggregateFigure.objects.filter(edition=edition)
        .order_by("aggregate", "year")
        .values_list("aggregate", "year", "status", *METRIC_FIELDS)
    )
    return frame_from_rows(rows, ["aggregate", "year", "status", *METRIC_FIELDS])


def build_members_frame():
    """Every member with its accession year and whether NATO publishes figures for it."""
    rows = Member.objects.order_by("name").values_list(
        "iso3", "name", "accession_date", "reports_figures"
    )
    frame = pd.DataFrame.from_records(
        [(iso3, name, date.year, reports) for iso3, name, date, reports in rows],
        columns=MEMBER_COLUMNS,
    )
    frame["accession_year"] = frame["accession_year"].astype("int64")
    frame["reports_figures"] = frame["reports_figures"].astype(bool)
    return frame


def build_targets_frame():
    """Every target in display order."""
    rows = Target.objects.order_by("display_order", "slug").values_list(*TARGET_COLUMNS)
    return pd.DataFrame.from_records(list(rows), columns=TARGET_COLUMNS)


def build_figures_and_member_editions(edition, iso3):
    """One query: every member's figures in `edition`, and one member's figures in every edition.

    Returns (figures frame of `edition`, [{"slug", "title", "cutoff_on", "figures"}] newest
    edition first); each edition's figures stay apart, never spliced.
    """
    edition_columns = ["edition_id", "edition_slug", "edition_title", "edition_cutoff_on"]
    rows = (
        YearlyFigure.objects.filter(Q(edition=edition) | Q(member__iso3=iso3.upper()))
        .order_by("member__iso3", "year")
        .values_list(
            "edition_id",
            "edition__slug",
            "edition__title",
            "edition__cutoff_on",
            "member__iso3",
            "year",
            "status",
            *METRIC_FIELDS,
            RELATED_FIELD,
        )
    )
    frame = frame_from_rows(rows, edition_columns + FIGURE_COLUMNS)
    frame["year"] = frame["year"].astype("int64")
    figures = frame[frame["edition_id"] == edition.pk][FIGURE_COLUMNS].reset_index(drop=True)
    own = frame[frame["iso3"] == iso3.upper()]
    editions = [
        {
            "slug": slug,
            "title": title,
            "cutoff_on": cutoff_on,
            "figures": part[FIGURE_COLUMNS].reset_index(drop=True),
        }
        for (slug, title, cutoff_on), part in own.groupby(
            ["edition_slug", "edition_title", "edition_cutoff_on"], dropna=False
        )
    ]
    editions.sort(key=lambda e: (e["cutoff_on"] is not None, e["cutoff_on"]), reverse=True)
    return figures, editions
