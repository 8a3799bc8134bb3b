"""The public JSON API v1: read-only views over `spending.progress`, cached by data version.

Each view reads at most three frames (one query each) after the data-version read, so every
answer costs at most four queries on a cold cache and one on a warm one. The numbers come
from the same `progress` functions as the pages; the views only pick, filter and page.
"""

import hashlib
import math
import re
from operator import itemgetter

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Func, OuterRef, Subquery
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.utils.urls import remove_query_param, replace_query_param

from members.models import Member
from spending import answers, frames, progress, serializers
from spending.models import (
    METRIC_FIELDS,
    RELATED_FIELD,
    DataVersion,
    Edition,
    Status,
    Target,
    YearlyFigure,
)
from spending.spreadsheet import FIGURE_CSV_COLUMNS, CSVRenderer

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100
HISTORY_METRICS = [*METRIC_FIELDS, RELATED_FIELD, "share_of_gdp_pct"]
TARGET_FIELDS = [
    "slug",
    "name",
    "threshold_pct",
    "basis",
    "measure",
    "kind",
    "adopted",
    "adopted_year",
    "deadline_year",
    "description",
    "source_url",
]
ISO3_PATTERN = r"^[A-Za-z]{3}$"
# Accept headers that leave the choice to ?format= (JSON, the first renderer, by default).
PLAIN_ACCEPT = {"", "*/*", "application/json"}


class Problem(Exception):
    """A request the API refuses, with the parameters at fault and what they allow."""

    def __init__(self, status, detail, errors=()):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, list(errors)

    def payload(self):
        return {"detail": self.detail, "errors": self.errors}


class QueryParameters:
    """The request's query parameters, checked one by one; `done()` raises all errors at once."""

    def __init__(self, request, names, paged):
        self.query = request.query_params
        self.errors = []
        allowed = [*names, "format", *(("page", "page_size") if paged else ())]
        for name in self.query:
            if name not in allowed:
                self.fail(name, self.query.get(name), "unknown parameter", ", ".join(allowed))
            elif len(self.query.getlist(name)) > 1:
                self.fail(name, None, "given more than once", "one value (lists: comma-separated)")
            elif not self.query.get(name):
                self.fail(name, "", "empty value", "a value, or no parameter for no filter")
        self.page_size = self.integer("page_size", 1, MAX_PAGE_SIZE)
        self.page = self.integer("page", 1, None)

    def fail(self, parameter, value, message, allowed):
        self.errors.append(
            {"parameter": parameter, "value": value, "message": message, "allowed": allowed}
        )

    def text(self, name):
        """The value as given, None when absent (or empty: already reported)."""
        value = self.query.get(name)
        return value if value else None

    def integer(self, name, low, high):
        value = self.text(name)
        if value is None:
            return None
        allowed = f"an integer from {low}" + (f" to {high}" if high is not None else " up")
        try:
            number = int(value)
        except ValueError:
            self.fail(name, value, "not an integer", allowed)
            return None
        if number < low or (high is not None and number > high):
            self.fail(name, value, "out of range", allowed)
            return None
        return number

    def year(self, name, years):
        """A year within the years held (`years`: sorted, may be empty)."""
        if not years:
            value = self.text(name)
            if value is not None:
                self.fail(name, value, "no figures are held", "no year")
            return None
        return self.integer(name, years[0], years[-1])

    def years(self, name, years):
        """A comma-separated list of years held."""
        items = self.items(name, r"^\d{4}$", "four-digit years")
        if items is None:
            return None
        low, high = (years[0], years[-1]) if years else (None, None)
        allowed = f"years from {low} to {high}" if years else "no year: no figures are held"
        bad = [item for item in items if not years or not low <= int(item) <= high]
        if bad:
            self.fail(name, ",".join(bad), "out of range", allowed)
            return None
        return sorted({int(item) for item in items})

    def codes(self, name, known):
        """A comma-separated list of known ISO3 codes, any case; upper-cased."""
        items = self.items(name, ISO3_PATTERN, "comma-separated ISO3 codes such as POL,DEU")
        if items is None:
            return None
        codes = [item.upper() for item in items]
        unknown = [code for code in codes if code not in known]
        if unknown:
            self.fail(name, ",".join(unknown), "unknown member", ", ".join(sorted(known)))
            return None
        return list(dict.fromkeys(codes))

    def choice(self, name, choices, default=None):
        value = self.text(name)
        if value is None:
            return default
        if value not in choices:
            self.fail(name, value, "unknown value", ", ".join(choices))
            return None
        return value

    def items(self, name, pattern, allowed):
        value = self.text(name)
        if value is None:
            return None
        items = value.split(",")
        if not all(re.fullmatch(pattern, item) for item in items):
            self.fail(name, value, "malformed list", allowed)
            return None
        return items

    def done(self):
        if self.errors:
            names = ", ".join(dict.fromkeys(error["parameter"] for error in self.errors))
            raise Problem(400, f"Bad query parameter: {names}.", self.errors)


class AnonThrottle(AnonRateThrottle):
    """Anonymous rate limit from settings.API_ANON_THROTTLE_RATE, read per request.

    A fixed-window counter: one atomic increment in the shared cache per request, instead of
    DRF's default log of every request's time (read, rewritten and stored whole on each request,
    and racy between app servers). A client may get up to twice the rate across the boundary of
    two windows. Without a working cache (CACHE=0, Redis down) requests are not throttled.
    """

    def get_rate(self):
        return settings.API_ANON_THROTTLE_RATE

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        key = f"throttle:anon:{window}:{self.get_ident(request)}"
        self.wait_seconds = (window + 1) * self.duration - now
        try:
            count = self.cache.incr(key)
        except ValueError:
            # The window's first request: start its counter (another server may win the race).
            self.cache.add(key, 0, self.duration + 1)
            try:
                count = self.cache.incr(key)
            except ValueError:
                return True
        return count <= self.num_requests

    def wait(self):
        return self.wait_seconds


class Pagination(PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


def list_parameters(*parameters):
    """OpenAPI parameters of a list: its own, then format, page and page_size."""
    return [
        *parameters,
        OpenApiParameter(
            "format", str, enum=["json", "csv"], description="json (default) or csv: all rows."
        ),
        OpenApiParameter(
            "page", {"type": "integer", "minimum": 1}, description="Page number, from 1."
        ),
        OpenApiParameter(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            description=f"Rows per page, {DEFAULT_PAGE_SIZE} by default, at most {MAX_PAGE_SIZE}.",
        ),
    ]


def list_responses(serializer):
    return {
        (200, "application/json"): serializer(many=True),
        (200, "text/csv"): OpenApiTypes.STR,
        (400, "application/json"): serializers.ProblemSerializer,
        (404, "application/json"): serializers.ProblemSerializer,
        (429, "application/json"): serializers.ProblemSerializer,
    }


def detail_responses(serializer):
    return {
        200: serializer,
        400: serializers.ProblemSerializer,
        404: serializers.ProblemSerializer,
        429: serializers.ProblemSerializer,
    }


MEMBER_PARAMETER = OpenApiParameter(
    "member",
    str,
    pattern=r"^[A-Za-z]{3}(,[A-Za-z]{3})*$",
    description="Comma-separated ISO3 codes, any case (POL,DEU).",
)
EDITION_PARAMETER = OpenApiParameter(
    "edition", str, description="Edition slug (see editions/), e.g. nato-2026."
)


class DataView(GenericAPIView):
    """A read-only answer computed from the data, cached and validated by the data version."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonThrottle]
    renderer_classes = [JSONRenderer]
    pagination_class = None
    parameter_names = ()
    csv_columns = None
    csv_filename = None
    many = False

    def get(self, request, *args, **kwargs):
        version, changed_at = DataVersion.current()
        # The representation differs by URL (links carry scheme and host) and format; the
        # data by version.
        representation = f"{request.build_absolute_uri()}|{request.accepted_renderer.format}"
        stamp = f"{version}|{changed_at.isoformat() if changed_at else ''}"
        digest = hashlib.sha256(f"{stamp}|{representation}".encode()).hexdigest()
        etag = f'"{version}-{digest[:20]}"'
        # HTTP dates have whole seconds.
        last_modified = int(changed_at.timestamp()) if changed_at else None
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return self.with_validators(not_modified, etag, changed_at)

        key = f"api:v1:{digest}"
        cached = cache.get(key)
        if cached is not None:
            response = HttpResponse(cached["content"], content_type=cached["content_type"])
            for header, value in cached["headers"].items():
                response[header] = value
            return self.with_validators(response, etag, changed_at)

        params = QueryParameters(request, self.parameter_names, paged=self.many)
        self.params, self.data_version = params, version
        answer = self.answer(request, params, **kwargs)
        params.done()
        response = Response(self.shape(request, answer))
        response.accepted_renderer = request.accepted_renderer
        response.accepted_media_type = request.accepted_media_type
        response.renderer_context = self.get_renderer_context()
        response.renderer_context["response"] = response
        response.render()
        cache.set(
            key,
            {
                "content": response.content,
                "content_type": response["Content-Type"],
                "headers": {
                    header: response[header]
                    for header in ("Content-Disposition",)
                    if response.has_header(header)
                },
            },
            timeout=settings.API_CACHE_SECONDS,
        )
        return self.with_validators(response, etag, changed_at)

    def answer(self, request, params, **kwargs):
        """The rows (or the one object) of this endpoint as plain dicts."""
        raise NotImplementedError

    def shape(self, request, answer):
        serializer_class = self.get_serializer_class()
        if not self.many:
            return serializer_class(answer).data
        rows = answer if isinstance(answer, ListedRows | DatabaseRows) else ListedRows(answer)

        def output(items):
            return items if rows.serialized else serializer_class(items, many=True).data

        if request.accepted_renderer.format == "csv":
            return output(rows.all())
        size, number = self.params.page_size or DEFAULT_PAGE_SIZE, self.params.page or 1
        page, total = rows.page(number, size)
        if not page and number > 1:
            raise past_last_page(number, total, size)
        url = request.build_absolute_uri()
        previous = None
        if number > 1:
            previous = (
                remove_query_param(url, "page")
                if number == 2
                else replace_query_param(url, "page", number - 1)
            )
        following = replace_query_param(url, "page", number + 1) if number * size < total else None
        return {"count": total, "next": following, "previous": previous, "results": output(page)}

    def get_csv_columns(self, rows):
        return self.csv_columns

    def with_validators(self, response, etag, changed_at):
        response["ETag"] = etag
        if changed_at is not None:
            response["Last-Modified"] = http_date(changed_at.timestamp())
        # Stored by any cache, checked with the server on every use: a new import shows at once.
        patch_cache_control(response, public=True, no_cache=True)
        return response

    def perform_content_negotiation(self, request, force=False):
        requested = request.query_params.get("format")
        if request.META.get("HTTP_ACCEPT", "*/*") in PLAIN_ACCEPT:
            # What DRF's negotiation gives for these, without its parsing on every request.
            for renderer in self.renderer_classes:
                if requested in (None, renderer.format):
                    return renderer(), renderer.media_type
        formats = [renderer.format for renderer in self.get_renderers()]
        if requested is not None and requested not in formats:
            if force:
                return (JSONRenderer(), JSONRenderer.media_type)
            raise Problem(
                400,
                "Bad query parameter: format.",
                [
                    {
                        "parameter": "format",
                        "value": requested,
                        "message": "unknown format",
                        "allowed": ", ".join(formats),
                    }
                ],
            )
        return super().perform_content_negotiation(request, force=force)

    def handle_exception(self, exc):
        if isinstance(exc, Problem):
            return Response(exc.payload(), status=exc.status)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON whatever format was asked for.
        if isinstance(response, Response) and response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        # Public, read-only data without cookies: any web page may read it.
        response["Access-Control-Allow-Origin"] = "*"
        return response


class ListView(DataView):
    renderer_classes = [JSONRenderer, CSVRenderer]
    # Documents the page envelope in the schema; `shape` pages the rows itself.
    pagination_class = Pagination
    many = True


def past_last_page(number, total, size):
    pages = max(1, math.ceil(total / size))
    return Problem(
        400,
        "Bad query parameter: page.",
        [
            {
                "parameter": "page",
                "value": str(number),
                "message": "past the last page",
                "allowed": f"an integer from 1 to {pages}",
            }
        ],
    )


class ListedRows:
    """An answer's rows held in memory, to be shaped by the endpoint's serializer."""

    serialized = False

    def __init__(self, rows):
        self.rows = list(rows)

    def all(self):
        return self.rows

    def page(self, number, size):
        """(the rows of page `number`, how many rows there are in all)."""
        start = (number - 1) * size
        return self.rows[start : start + size], len(self.rows)


class DatabaseRows:
    """An answer's rows left in the database and read one page at a time: the page's query
    also counts every matching row (a subquery the database runs once), so a page costs one
    query, and reads only its own rows however many match. `to_row` turns the fetched
    `fields` into the output row."""

    serialized = True

    def __init__(self, queryset, fields, to_row):
        self.queryset, self.fields, self.to_row = queryset, fields, to_row

    def all(self):
        return [self.to_row(values) for values in self.queryset.values_list(*self.fields)]

    def page(self, number, size):
        start = (number - 1) * size
        matching = self.queryset.order_by().values(n=Func(F("pk"), function="COUNT"))
        fetched = list(
            self.queryset.annotate(total_rows=Subquery(matching)).values_list(
                *self.fields, "total_rows"
            )[start : start + size]
        )
        if not fetched:
            return [], self.queryset.count() if number > 1 else 0
        return [self.to_row(values[:-1]) for values in fetched], fetched[0][-1]


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
    stored = dict(answers.stored_progress(version).values_list("iso3", "row"))
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

    def answer(self, request, params):
        return describe_members(request, self.data_version)


@extend_schema(
    summary="One member",
    parameters=[OpenApiParameter("iso3", str, OpenApiParameter.PATH, pattern=ISO3_PATTERN)],
    responses=detail_responses(serializers.MemberSerializer),
)
class MemberDetail(DataView):
    serializer_class = serializers.MemberSerializer

    def answer(self, request, params, iso3):
        params.done()
        for row in describe_members(request, self.data_version):
            if row["iso3"] == iso3.upper():
                return row
        raise unknown_member(iso3)


def unknown_member(iso3):
    return Problem(
        404,
        f"No NATO member has the ISO3 code {iso3!r}.",
        [
            {
                "parameter": "iso3",
                "value": iso3,
                "message": "unknown member",
                "allowed": "the iso3 of a member in members/",
            }
        ],
    )


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

    def answer(self, request, params):
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

    def answer(self, request, params):
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
    parameter_names = ("member", "year", "year_min", "year_max", "status", "edition")
    csv_columns = FIGURE_CSV_COLUMNS
    csv_filename = "nato-figures.csv"

    def answer(self, request, params):
        # Plain queries, no frames: this endpoint computes nothing but each row's share. Each
        # edition's years come from the ends of the (edition, year) index, not a scan.
        years_held = YearlyFigure.objects.filter(edition=OuterRef("pk")).values("year")
        editions = list(
            Edition.objects.newest_first()
            .annotate(
                first_year=Subquery(years_held.order_by("year")[:1]),
                last_year=Subquery(years_held.order_by("-year")[:1]),
            )
            .values_list("slug", "first_year", "last_year")
        )
        edition = params.choice("edition", [slug for slug, _, _ in editions])
        held = [e for e in editions if e[0] == edition] if edition else editions
        firsts = [first for _, first, _ in held if first is not None]
        lasts = [last for _, _, last in held if last is not None]
        years = list(range(min(firsts), max(lasts) + 1)) if firsts else []
        # The members of the stored answer, when it is there, also say the `newest` marks on
        # the figures are those of this data version (both are written by answers.store()).
        known = set(answers.stored_progress(self.data_version).values_list("iso3", flat=True))
        marked = bool(known)
        if not marked:
            known = set(Member.objects.values_list("iso3", flat=True))
        member = params.codes("member", known)
        year = params.years("year", years)
        year_min = params.year("year_min", years)
        year_max = params.year("year_max", years)
        status = params.choice("status", Status.values)
        if year_min is not None and year_max is not None and year_min > year_max:
            params.fail("year_min", str(year_min), "after year_max", f"at most {year_max}")
        params.done()
        figures = YearlyFigure.objects.matching(member, year, year_min, year_max, status, edition)
        if not edition:
            # Each member-year from the newest edition holding it, never spliced: the marks
            # stored with this data version, or the subquery where none were stored.
            if marked:
                figures = figures.filter(newest=True)
            else:
                figures = figures.filter(edition=Subquery(answers.newest_edition()))
        return DatabaseRows(figures.order_by("member__iso3", "year"), FIGURE_FIELDS, figure_row)


FIGURE_FIELDS = ["member__iso3", "year", "edition__slug", "status", *METRIC_FIELDS, RELATED_FIELD]


def figure_row(values):
    """One figures/ row: the stored values and the share of GDP computed as `add_shares` does."""
    row = dict(zip(FIGURE_CSV_COLUMNS[:-1], values, strict=True))
    row["share_of_gdp_pct"] = progress.share_of_figure(
        row["defence_usd_const2021_m"], row["gdp_usd_const2021_m"], row["nato_share_of_gdp_pct"]
    )
    return row


def read_edition_state(params, member_frame):
    """(chosen edition, figures, members, targets) for progress/ and alliance/; three queries."""
    members = member_frame()
    targets = frames.build_targets_frame()
    slug = params.text("edition")
    editions, edition, figures = frames.build_edition_figures_frames(slug)
    if slug is not None and edition is None:
        params.fail("edition", slug, "unknown edition", ", ".join(editions["slug"]))
    return edition, figures, members, targets


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
    parameter_names = ("member", "year", "edition")
    csv_filename = "nato-progress.csv"

    def answer(self, request, params):
        if params.text("edition") is None and params.text("year") is None:
            # The headline answer, stored with the data (spending/answers.py): one query for
            # the members it holds, one for the page.
            stored = answers.stored_progress(self.data_version)
            known = set(stored.values_list("iso3", flat=True))
            if known:
                codes = params.codes("member", known)
                params.done()
                return DatabaseRows(
                    answers.stored_progress(self.data_version, codes), ["row"], itemgetter(0)
                )
        edition, figures, members, targets = read_edition_state(
            params, frames.build_member_details_frame
        )
        codes = params.codes("member", set(members["iso3"]))
        year = params.year("year", sorted(figures["year"].unique()))
        params.done()
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
    parameter_names = ("year", "edition")
    csv_filename = "nato-alliance.csv"

    def answer(self, request, params):
        edition, figures, members, targets = read_edition_state(params, frames.build_members_frame)
        year = params.year("year", sorted(figures["year"].unique()))
        params.done()
        if figures.empty:
            return []
        alliance = progress.build_alliance_frame(figures, members)
        counts = progress.count_allies_meeting(
            progress.build_progress_frame(figures, targets), figures, members
        )
        by_year = {}
        for count in progress.to_records(counts):
            by_year.setdefault(count.pop("year"), {})[count.pop("target")] = count
        rows = []
        for row in progress.to_records(alliance):
            if year is None or row["year"] == year:
                rows.append({"edition": edition, **row, "targets": by_year.get(row["year"], {})})
        return rows


@extend_schema(
    summary="One metric of one member across every edition held",
    description="One row per year and edition (oldest edition first), with the revision "
    "against the previous edition holding that year.",
    parameters=list_parameters(
        OpenApiParameter("iso3", str, OpenApiParameter.PATH, pattern=ISO3_PATTERN),
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
    parameter_names = ("metric",)
    csv_filename = "nato-history.csv"

    def answer(self, request, params, iso3):
        code = iso3.upper()
        if not Member.objects.filter(iso3=code).exists():
            raise unknown_member(iso3)
        metric = params.choice("metric", HISTORY_METRICS, default="share_of_gdp_pct")
        params.done()
        editions = frames.build_editions_frame()
        figures = frames.build_figures_across_editions_frame(iso3s=[code])
        history = progress.build_vintage_history(figures, metric, list(editions["slug"]))
        return [{**row, "metric": metric} for row in progress.to_records(history)]


def not_found(request, path=""):
    """404 JSON for any unknown path under /api/, or the same path with its missing slash."""
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return redirect(request.path + "/" + (f"?{query}" if query else ""), permanent=True)
    return JsonResponse(
        {
            "detail": f"No API endpoint at {request.path}. The endpoints are listed at "
            "/api/v1/schema/ and documented at /api/docs/.",
            "errors": [],
        },
        status=404,
    )
