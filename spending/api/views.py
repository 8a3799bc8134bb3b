"""The API's endpoints: each picks its rows from the stored answers or the figures.

The numbers come from the same `progress` functions as the pages; the views only pick,
filter and page. Each answer costs at most four queries on a cold cache (three where answers
are stored: progress, alliance, and the figures counted from their stored summary) and one on a
warm one.
"""

import json

from django.db.models import Subquery
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema

from members.models import Member
from spending import answers, frames, progress
from spending.api import serializers
from spending.api.dataview import DataView, ListView
from spending.api.errors import unknown_member
from spending.api.filters import EditionQuery, FigureQuery, HistoryQuery, ProgressQuery
from spending.api.pagination import DatabaseRows
from spending.api.schema import (
    EDITION_PARAMETER,
    ISO3_PATH_PARAMETER,
    MEMBER_PARAMETER,
    detail_responses,
    list_parameters,
    list_responses,
)
from spending.fields import HISTORY_METRICS, TARGET_FIELDS, VALUE_FIELDS
from spending.models import Edition, Status, Target, YearlyFigure
from spending.precision import round_record
from spending.spreadsheet import FIGURE_CSV_COLUMNS


def member_links(request, iso3):
    """Absolute URLs of the member's record, figures, progress, history and page."""
    return {
        "self": request.build_absolute_uri(reverse("api:member-detail", args=[iso3])),
        "figures": request.build_absolute_uri(reverse("api:figures") + f"?member={iso3}"),
        "progress": request.build_absolute_uri(reverse("api:progress") + f"?member={iso3}"),
        "history": request.build_absolute_uri(
            reverse("api:member-history", args=[iso3]) + "?metric=share_of_gdp_pct"
        ),
        "page": request.build_absolute_uri(reverse("member-detail", args=[iso3])),
    }


def describe_members(request, version):
    """Every member's API record with its latest share (newest edition); two queries.

    The latest share, status and rank come from the stored headline answer
    (spending/answers.py) when it is there, else they are computed from the figures.
    """
    stored = {
        iso3: json.loads(row)
        for iso3, row in answers.stored_progress(version).values_list("iso3", "row")
    }
    if stored:
        members = []
        for member in Member.objects.order_by("name").values(*frames.MEMBER_DETAIL_COLUMNS):
            members.append({**member, "accession_year": member["accession_date"].year})
        latest_by_iso3 = {
            iso3: {**row, "edition": row["edition"] if row["year"] is not None else None}
            for iso3, row in stored.items()
        }
    else:
        frame = frames.build_member_details_frame()
        _, edition, figures = frames.build_edition_figures_frames()
        summary = progress.summarise_shares(figures, frame)
        latest_by_iso3 = {
            row["iso3"]: {**row, "edition": edition if row["year"] is not None else None}
            for row in progress.to_records(summary)
        }
        members = progress.to_records(frame)
    return [
        {
            **member,
            "edition": latest["edition"],
            "latest_year": latest["year"],
            "latest_status": latest["status"],
            "latest_share_of_gdp_pct": latest["share_of_gdp_pct"],
            "latest_share_of_gdp_rounded_pct": latest["share_of_gdp_rounded_pct"],
            "latest_rank": latest["rank"],
            "links": member_links(request, member["iso3"]),
        }
        for member in members
        for latest in [latest_by_iso3[member["iso3"]]]
    ]


@extend_schema(
    summary="The 32 members",
    description="Every NATO member with its latest share of GDP (newest edition). Iceland has "
    "reports_figures false and no share.",
    parameters=list_parameters(),
    responses=list_responses(serializers.MemberSerializer),
)
class MemberList(ListView):
    serializer_class = serializers.MemberSerializer
    csv_filename = "nato-members.csv"

    def answer(self, request):
        return describe_members(request, self.data_version)


@extend_schema(
    summary="One member",
    parameters=[ISO3_PATH_PARAMETER],
    responses=detail_responses(serializers.MemberSerializer),
)
class MemberDetail(DataView):
    serializer_class = serializers.MemberSerializer

    def answer(self, request, iso3):
        self.read_query()
        for row in describe_members(request, self.data_version):
            if row["iso3"] == iso3.upper():
                return row
        raise unknown_member(iso3)


@extend_schema(
    summary="Editions (vintages) of the figures",
    description="Newest first. Each edition restates the series: values differ between "
    "editions and are never spliced.",
    parameters=list_parameters(),
    responses=list_responses(serializers.EditionSerializer),
)
class EditionList(ListView):
    serializer_class = serializers.EditionSerializer
    csv_filename = "nato-editions.csv"

    def answer(self, request):
        editions = progress.to_records(frames.build_editions_frame())
        for position, edition in enumerate(editions):
            edition["is_newest"] = position == 0
        return editions


@extend_schema(
    summary="Spending targets",
    parameters=list_parameters(),
    responses=list_responses(serializers.TargetSerializer),
)
class TargetList(ListView):
    serializer_class = serializers.TargetSerializer
    csv_filename = "nato-targets.csv"

    def answer(self, request):
        return list(Target.objects.order_by("display_order", "slug").values(*TARGET_FIELDS))


@extend_schema(
    summary="Figures, one row per member-year",
    description="Every stored metric and the computed share of GDP. Without edition, each "
    "member-year comes from the newest edition holding it (its edition is in the row). "
    "The CSV (?format=csv, every matching row) is also the importer's format.",
    parameters=list_parameters(
        MEMBER_PARAMETER,
        OpenApiParameter(
            "year",
            str,
            pattern=r"^\d{4}(,\d{4})*$",
            description="Comma-separated years (2024,2025).",
        ),
        OpenApiParameter("year_min", int, description="First year, inclusive."),
        OpenApiParameter("year_max", int, description="Last year, inclusive."),
        OpenApiParameter("status", str, enum=Status.values, description="actual or estimate."),
        EDITION_PARAMETER,
    ),
    responses=list_responses(serializers.FigureSerializer),
)
class FigureList(ListView):
    serializer_class = serializers.FigureSerializer
    query_class = FigureQuery
    csv_columns = FIGURE_CSV_COLUMNS
    csv_filename = "nato-figures.csv"

    def answer(self, request):
        # Plain queries, no frames: this endpoint computes nothing but each row's share. The
        # summary stored with this data version names the editions, their years and the
        # members, counts the rows a page is out of, and says that the `newest` marks on the
        # figures are this version's (answers.store() writes them all).
        summary = answers.stored_figure_summary(self.data_version)
        if summary is None:
            # A write that bypassed record_write(): read the editions and members instead.
            editions, known = Edition.objects.years_held(), Member.objects.values("iso3")
            known = {member["iso3"] for member in known}
        else:
            editions, known = summary["editions"], set(summary["members"])
        slugs, years = editions_and_years(editions, request.query_params.get("edition"))
        query = self.read_query(members=known, editions=slugs, years=years)
        figures = YearlyFigure.objects.matching(
            iso3s=query.get("member"),
            years=query.get("year"),
            year_min=query.get("year_min"),
            year_max=query.get("year_max"),
            status=query.get("status"),
            edition=query.get("edition"),
        )
        if "edition" not in query:
            # Each member-year from the newest edition holding it, never spliced: the marks
            # stored with this data version, or the subquery where none were stored.
            if summary is not None:
                figures = figures.filter(newest=True)
            else:
                figures = figures.filter(edition=Subquery(answers.newest_edition()))
        total = None
        by_year = query.get("year") or any(query.get(f) is not None for f in YEAR_BOUNDS)
        if summary is not None and not by_year:
            total = answers.count_figures(
                summary, query.get("edition"), query.get("member"), query.get("status")
            )
        ordered = figures.order_by("member__iso3", "year")
        return DatabaseRows(ordered, FIGURE_FIELDS, figure_row, total=total)


YEAR_BOUNDS = ("year_min", "year_max")


def editions_and_years(editions, slug):
    """(edition slugs newest first, the years held by edition `slug`, or by any edition when
    it names none held), from each edition's (slug, first year, last year)."""
    held = [edition for edition in editions if edition[0] == slug] or editions
    firsts = [first for _, first, _ in held if first is not None]
    lasts = [last for _, _, last in held if last is not None]
    years = list(range(min(firsts), max(lasts) + 1)) if firsts else []
    return [slug for slug, _, _ in editions], years


FIGURE_FIELDS = ["member__iso3", "year", "edition__slug", "status", *VALUE_FIELDS]


def figure_row(values):
    """One figures/ row: the stored values and the share of GDP computed as `add_shares` does."""
    row = dict(zip(FIGURE_CSV_COLUMNS[:-1], values, strict=True))
    row["share_of_gdp_pct"] = progress.share_of_figure(
        row["defence_usd_const2021_m"], row["gdp_usd_const2021_m"], row["nato_share_of_gdp_pct"]
    )
    # These rows skip the serializer (read a page at a time), so they are rounded here.
    return round_record(row)


def stored_key(query):
    """(edition, year) of the stored rows that may answer the request, None if none can:
    the year as `filters` reads it (an unreadable one gets its 400 from the computed path)."""
    year = query.get("year") or None
    if year is not None:
        try:
            year = int(year)
        except ValueError:
            return None
    return query.get("edition") or None, year


def held_years(figures):
    """The years of a figures frame, sorted."""
    return sorted(figures["year"].unique())


def held_context(edition, year):
    """The context of a query that stored rows answer: their edition and year are held."""
    return {"editions": [edition] if edition else [], "years": [year] if year else []}


def read_edition_state(query, member_frame):
    """(chosen edition, editions held, figures, members, targets) for progress/, alliance/ and
    fair-share/; three queries (the edition asked for: the newest when `query` names none
    held)."""
    members = member_frame()
    targets = frames.build_targets_frame()
    editions, edition, figures = frames.build_edition_figures_frames(query.get("edition") or None)
    return edition, list(editions["slug"]), figures, members, targets


@extend_schema(
    summary="Each member's progress toward each target",
    description="One row per member for a year (default: the newest with data) of one edition "
    "(default: the newest). Iceland appears with reports_figures false and no targets.",
    parameters=list_parameters(
        MEMBER_PARAMETER,
        OpenApiParameter("year", int, description="Year of the verdicts; default the newest."),
        EDITION_PARAMETER,
    ),
    responses=list_responses(serializers.ProgressSerializer),
)
class ProgressList(ListView):
    serializer_class = serializers.ProgressSerializer
    query_class = ProgressQuery
    csv_filename = "nato-progress.csv"

    def answer(self, request):
        key = stored_key(request.query_params)
        if key is not None:
            # Stored with the data (spending/answers.py): one query for the members held, one
            # for the page. None held: not stored by this code, or a bad edition or year.
            stored = answers.stored_progress(self.data_version, edition=key[0], year=key[1])
            known = set(stored.values_list("iso3", flat=True))
            if known:
                codes = self.read_query(members=known, **held_context(*key)).get("member")
                return DatabaseRows(
                    stored.filter(iso3__in=codes) if codes else stored, ["row"], answers.stored_row
                )
        edition, editions, figures, members, targets = read_edition_state(
            request.query_params, frames.build_member_details_frame
        )
        query = self.read_query(
            members=set(members["iso3"]), editions=editions, years=held_years(figures)
        )
        codes, year = query.get("member"), query.get("year")
        if year is not None:
            # Paths and trends as they stood in that year: nothing later is used.
            figures = figures[figures["year"] <= year]
        return answers.progress_rows(edition, figures, members, targets, codes)


@extend_schema(
    summary="Alliance totals by year",
    description="Sums over the allies of each year (from their accession year, as NATO's "
    "'NATO Total'), US and Europe-and-Canada parts, and allies meeting each target; one "
    "edition (default: the newest). A series of every year, or one year with ?year=.",
    parameters=list_parameters(
        OpenApiParameter("year", int, description="One year only."), EDITION_PARAMETER
    ),
    responses=list_responses(serializers.AllianceSerializer),
)
class AllianceList(ListView):
    serializer_class = serializers.AllianceSerializer
    query_class = EditionQuery
    csv_filename = "nato-alliance.csv"

    def answer(self, request):
        key = stored_key(request.query_params)
        if key is not None:
            stored = answers.stored_alliance(self.data_version, edition=key[0], year=key[1])
            if stored.exists():
                self.read_query(**held_context(*key))
                return DatabaseRows(stored, ["row"], answers.stored_row)
        edition, editions, figures, members, targets = read_edition_state(
            request.query_params, frames.build_members_frame
        )
        year = self.read_query(editions=editions, years=held_years(figures)).get("year")
        rows = answers.alliance_rows(edition, figures, members, targets)
        return [row for row in rows if year is None or row["year"] == year]


@extend_schema(
    summary="One metric of one member across every edition held",
    description="One row per year and edition (oldest edition first), with the revision "
    "against the previous edition holding that year.",
    parameters=list_parameters(
        ISO3_PATH_PARAMETER,
        OpenApiParameter(
            "metric",
            str,
            enum=HISTORY_METRICS,
            description="Stored metric or share_of_gdp_pct (default).",
        ),
    ),
    responses=list_responses(serializers.HistorySerializer),
)
class MemberHistory(ListView):
    serializer_class = serializers.HistorySerializer
    query_class = HistoryQuery
    csv_filename = "nato-history.csv"

    def answer(self, request, iso3):
        code = iso3.upper()
        if not Member.objects.filter(iso3=code).exists():
            raise unknown_member(iso3)
        metric = self.read_query()["metric"]
        editions = frames.build_editions_frame()
        figures = frames.build_figures_across_editions_frame(iso3s=[code])
        history = progress.build_vintage_history(figures, metric, list(editions["slug"]))
        return [{**row, "metric": metric} for row in progress.to_records(history)]
