"""QuerySets turned into pandas frames: one .values() query per frame, no maths here."""

import pandas as pd
from django.db.models import Q

from members.models import Member
from spending.fields import (
    METRIC_FIELDS,
    NEWEST_EDITION_FIRST,
    TARGET_MATHS_FIELDS,
    VALUE_FIELDS,
    newest_edition_first,
)
from spending.models import (
    AggregateFigure,
    SeriesBreak,
    Target,
    YearlyFigure,
)

FIGURE_COLUMNS = ["iso3", "year", "status", *VALUE_FIELDS]
MEMBER_COLUMNS = ["iso3", "name", "accession_year", "reports_figures"]
BREAK_COLUMNS = ["iso3", "series", "year", "edition", "reason", "source"]
TARGET_COLUMNS = TARGET_MATHS_FIELDS


def frame_from_rows(rows, columns):
    """A DataFrame with exactly these columns, numeric columns as floats even when empty."""
    frame = pd.DataFrame.from_records(list(rows), columns=columns)
    for name in columns:
        if name in VALUE_FIELDS:
            frame[name] = frame[name].astype("float64")
    return frame


def build_figures_frame(edition, iso3=None):
    """One row per member-year of one edition, every metric column (NaN where none)."""
    queryset = YearlyFigure.objects.for_edition(edition)
    if iso3 is not None:
        queryset = queryset.for_member(iso3)
    rows = queryset.order_by("member__iso3", "year").values_list(
        "member__iso3", "year", "status", *VALUE_FIELDS
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


def build_members_frame(members=None):
    """Every member with its accession year and whether NATO publishes figures for it.

    `members`: Member instances already read (a page that shows one member reads them all
    once); without it, one query.
    """
    if members is None:
        rows = Member.objects.order_by("name").values_list(
            "iso3", "name", "accession_date", "reports_figures"
        )
    else:
        rows = [(m.iso3, m.name, m.accession_date, m.reports_figures) for m in members]
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
        .order_by(*newest_edition_first("edition__"), "member__iso3", "year")
        .values_list(
            "edition_id",
            "edition__slug",
            "edition__title",
            "edition__cutoff_on",
            "member__iso3",
            "year",
            "status",
            *VALUE_FIELDS,
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
        # In the query's order: newest edition first.
        for (slug, title, cutoff_on), part in own.groupby(
            ["edition_slug", "edition_title", "edition_cutoff_on"], dropna=False, sort=False
        )
    ]
    return figures, editions


# --- Frames for the public API (spending/api/): each one query, so that an API answer,
# data version included, stays within four queries whatever the size of the data.

EDITION_COLUMNS = ["slug", "title", "cutoff_on", "published_on"]


def build_edition_figures_frames(slug=None):
    """(editions newest first, chosen slug or None, figures of the chosen edition) in one query.

    The chosen edition is `slug`, or the newest by data cut-off when none is given (as
    `Edition.objects.newest()`); it is None when `slug` names no edition.
    """
    from django.db.models import FilteredRelation, Q, Subquery

    from spending.models import Edition

    if slug is None:
        newest = Edition.objects.newest_first().values("pk")[:1]
        condition = Q(pk=Subquery(newest))
    else:
        condition = Q(slug=slug)
    figure_fields = ["year", "status", *VALUE_FIELDS]
    rows = (
        Edition.objects.annotate(chosen=FilteredRelation("figures", condition=condition))
        .order_by(*NEWEST_EDITION_FIRST, "chosen__member__iso3", "chosen__year")
        .values_list(
            *EDITION_COLUMNS,
            "chosen__member__iso3",
            *[f"chosen__{name}" for name in figure_fields],
        )
    )
    editions, figure_rows = [], []
    width = len(EDITION_COLUMNS)
    for row in rows:
        edition, figure = row[:width], row[width:]
        if not editions or editions[-1][0] != edition[0]:
            editions.append(edition)
        # The outer join gives every edition one row at least; only the chosen one has figures.
        if figure[0] is not None:
            figure_rows.append(figure)
    slugs = [edition[0] for edition in editions]
    requested = slug if slug is not None else (slugs[0] if slugs else None)
    chosen = requested if requested in slugs else None
    figures = frame_from_rows(figure_rows, FIGURE_COLUMNS)
    figures["year"] = figures["year"].astype("int64")
    return pd.DataFrame.from_records(editions, columns=EDITION_COLUMNS), chosen, figures


def build_editions_frame():
    """Every edition newest first with its first and last year and number of ally-years."""
    from django.db.models import Count, Max, Min

    from spending.models import Edition

    columns = [
        "slug",
        "title",
        "publisher",
        "published_on",
        "cutoff_on",
        "price_base_year",
        "url",
        "notes",
        "first_year",
        "last_year",
        "figure_count",
    ]
    rows = (
        Edition.objects.newest_first()
        .annotate(
            first_year=Min("figures__year"),
            last_year=Max("figures__year"),
            figure_count=Count("figures"),
        )
        .values_list(*columns)
    )
    frame = pd.DataFrame.from_records(list(rows), columns=columns)
    return frame.astype({"first_year": "Int64", "last_year": "Int64", "figure_count": "int64"})


FIGURE_EDITION_COLUMNS = ["iso3", "year", "edition", "status", *VALUE_FIELDS]


def build_figures_across_editions_frame(
    iso3s=None, years=None, year_min=None, year_max=None, status=None, edition=None
):
    """Figures of every edition (or one), filtered, with the edition slug; newest edition first."""
    queryset = YearlyFigure.objects.matching(iso3s, years, year_min, year_max, status, edition)
    rows = queryset.newest_vintage_first("member__iso3", "year").values_list(
        "member__iso3", "year", "edition__slug", "status", *VALUE_FIELDS
    )
    frame = frame_from_rows(rows, FIGURE_EDITION_COLUMNS)
    frame["year"] = frame["year"].astype("int64")
    return frame


MEMBER_DETAIL_COLUMNS = [
    "iso3",
    "iso2",
    "name",
    "nato_name",
    "accession_date",
    "reports_figures",
    "fiscal_year",
    "currency",
    "notes",
]


def build_member_details_frame():
    """Every member with the fields the API shows and the columns `progress` needs."""
    rows = Member.objects.order_by("name").values_list(*MEMBER_DETAIL_COLUMNS)
    frame = pd.DataFrame.from_records(list(rows), columns=MEMBER_DETAIL_COLUMNS)
    frame["accession_year"] = [date.year for date in frame["accession_date"]]
    frame["accession_year"] = frame["accession_year"].astype("int64")
    frame["reports_figures"] = frame["reports_figures"].astype(bool)
    return frame


def build_breaks_frame(edition_slug=None):
    """The breaks inside members' series that apply to an edition (every edition's when None):
    iso3, series, first year of the new series, edition slug ("" for all), reason, source."""
    queryset = SeriesBreak.objects.within_series()
    if edition_slug is not None:
        queryset = queryset.filter(Q(edition__isnull=True) | Q(edition__slug=edition_slug))
    rows = queryset.order_by("member__iso3", "year").values_list(
        "member__iso3", "series", "year", "edition__slug", "reason", "source"
    )
    frame = pd.DataFrame.from_records(list(rows), columns=BREAK_COLUMNS)
    frame["year"] = frame["year"].astype("int64")
    frame["edition"] = frame["edition"].fillna("")
    return frame


def build_editions_with_definition_changes():
    """(edition slugs newest first, {slug: the reader's note and its source} of each edition
    that changed a definition for every ally, an edition-wide series break); one query."""
    from spending.models import Edition

    rows = Edition.objects.newest_first().values_list(
        "slug", "series_breaks__member", "series_breaks__reason", "series_breaks__source"
    )
    order, notes = [], {}
    for slug, member, reason, source in rows:
        if slug not in order:
            order.append(slug)
        if reason is None or member is not None:
            continue
        told = f"{reason} Source: {source}." if source else reason
        notes[slug] = f"{notes[slug]} {told}" if slug in notes else told
    return order, notes
