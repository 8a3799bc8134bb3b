from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse

from spending import charts, page_answers, progress
from spending.models import Edition

MAP_GEOMETRY = "geo/nato-allies.json"
# More lines than this on one chart stop being readable.
COMPARE_MAX_MEMBERS = 8
COMPARE_DEFAULT = {"members": ["POL", "DEU", "FRA"], "metric": "share_of_gdp_pct"}

# Columns of the overview table a reader can sort by: key -> (label, value getter, default order).
SORT_KEYS = {
    "name": lambda row, slug: row["name"],
    "share": lambda row, slug: row["share_of_gdp_pct"],
    "gap": lambda row, slug: row["targets"].get(slug, {}).get("gap_usd_m"),
    "growth": lambda row, slug: (
        row["targets"].get(slug, {}).get("required_real_growth_pct_per_year")
    ),
    "projected": lambda row, slug: row["targets"].get(slug, {}).get("projected_year"),
}


def pick_path_target(targets):
    """The target whose path the overview shows: the core GDP floor with the latest deadline."""
    core = [t for t in targets if t["measure"] == "core_share_of_gdp_pct" and t["kind"] == "floor"]
    return max(core, key=lambda t: t["deadline_year"], default=None)


# Columns that measure the effort still needed toward the path target.
EFFORT_KEYS = {"gap", "growth", "projected"}


def sort_rows(rows, key, descending, path_slug):
    """Rows sorted by one column; rows without a value go last whichever the direction.

    By gap, required growth or projected year, allies already meeting the target need no
    effort: they come first in ascending order (the least effort), and after every ally with
    a value in descending order; allies with no value at all come last either way.
    """
    getter = SORT_KEYS[key]
    met = []
    if key in EFFORT_KEYS:
        met = [row for row in rows if row["targets"].get(path_slug, {}).get("met")]
        met.sort(key=lambda row: row["name"])
    rest = [row for row in rows if row not in met]
    present = [row for row in rest if getter(row, path_slug) is not None]
    absent = [row for row in rest if getter(row, path_slug) is None]
    present.sort(key=lambda row: getter(row, path_slug), reverse=descending)
    return present + met + absent if descending else met + present + absent


def overview(request):
    # The maths, done once per data version and code (spending/page_answers.py).
    state = page_answers.overview()
    edition, figures, summary = state["edition"], state["figures"], state["summary"]
    target_list = progress.to_records(state["targets"])
    path_target = pick_path_target(target_list)
    path_slug = path_target["slug"] if path_target else None

    key = request.GET.get("sort", "name")
    if key not in SORT_KEYS:
        key = "name"
    descending = request.GET.get("dir", "desc" if key == "share" else "asc") == "desc"
    rows = sort_rows(list(summary.values()), key, descending, path_slug)

    headline = build_headline(state["counts"], state["alliance"], target_list)

    years = chart_years(figures)
    year, year_error = pick_year(request.GET, years)
    overview_charts, csv_urls, embed_paths = {}, {}, {}
    if year is not None:
        overview_charts = build_overview_charts(state, target_list, year)
        csv_urls = {
            slug: reverse("overview-chart-csv", args=[slug]) + f"?year={year}"
            for slug in overview_charts
        }
        # The same state as the page: the year only when the address holds one.
        year_query = f"?year={year}" if "year" in request.GET else ""
        embed_paths = {
            slug: reverse("embed-overview-chart", args=[slug]) + year_query
            for slug in overview_charts
        }
    return render(
        request,
        "spending/overview.html",
        {
            "charts": overview_charts,
            "csv_urls": csv_urls,
            "embed_paths": embed_paths,
            "chart_source": charts.source_line(edition_record(edition)),
            "years": years,
            "year": year,
            "year_error": year_error,
            "year_in_url": "year" in request.GET and not year_error,
            "edition": edition,
            "rows": rows,
            "targets": target_list,
            "path_target": path_target,
            "sort": key,
            "descending": descending,
            "headline": headline,
            "member_count": len(rows),
            "reporting_count": sum(1 for row in rows if row["reports_figures"]),
        },
        status=400 if year_error else 200,
    )


def build_headline(counts, alliance, targets):
    """Headline numbers for the newest year: allies meeting each target, alliance totals."""
    if alliance.empty:
        return None
    latest = progress.to_records(alliance.tail(1))[0]
    year = latest["year"]
    per_target = {row["target"]: row for row in progress.to_records(counts[counts["year"] == year])}
    return {
        "year": year,
        "status": latest["status"],
        "alliance": latest,
        "targets": [{**target, **per_target.get(target["slug"], {})} for target in targets],
    }


def chart_years(figures):
    """The years the figures cover, oldest first."""
    return sorted(int(year) for year in figures["year"].unique())


def pick_year(query, years):
    """(year, error): the ?year= asked for, else the newest; an error names a bad value."""
    newest = years[-1] if years else None
    if "year" not in query:
        return newest, None
    chosen = query["year"]
    if chosen.isdigit() and int(chosen) in years:
        return int(chosen), None
    if not years:
        return None, "year: no figures are held."
    return newest, (
        f"year: {chosen!r} is not a year with figures; choose one of {years[0]}–{years[-1]}."
    )


def build_overview_charts(state, targets, year):
    """The overview's charts by slug from its answer (`page_answers.overview`), for the
    chosen year where a chart shows one year; `targets` as records."""
    source = charts.source_line(edition_record(state["edition"]))
    alliance, members, progress_frame = state["alliance"], state["members"], state["progress"]
    estimate_years = set(alliance.loc[alliance["status"] == "estimate", "year"].astype(int))
    built = [
        charts.ranked_share_chart(progress_frame, members, targets, year, source),
        charts.share_map(map_geometry(), progress_frame, members, targets, year, source),
        charts.allies_meeting_chart(state["counts"], targets, estimate_years, source),
        charts.us_europe_chart(alliance, source),
        charts.fair_share_chart(state["fair_share"], year, source),
        charts.share_heatmap(state["figures"], members, targets, source),
    ]
    return {chart.slug: chart for chart in built}


def build_overview_chart(query, slug):
    """(edition, year, chart, error) for one chart of the overview, ?year= as on the overview;
    404 for an unknown chart."""
    state = page_answers.overview()
    edition = state["edition"]
    year, error = pick_year(query, chart_years(state["figures"]))
    if error:
        return edition, year, None, error
    built = build_overview_charts(state, progress.to_records(state["targets"]), year)
    if slug not in built:
        raise Http404(f"The overview has no chart called {slug!r}.")
    return edition, year, built[slug], None


def overview_chart_csv(request, slug):
    """What one chart of the overview shows, as CSV (?year= as on the overview)."""
    edition, year, chart, error = build_overview_chart(request.GET, slug)
    if error:
        return HttpResponseBadRequest(error, content_type="text/plain; charset=utf-8")
    response = HttpResponse(charts.chart_csv(chart), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="allies-{slug}-{year}.csv"'
    return response


def edition_record(edition):
    """The edition fields the charts' source line needs, or None."""
    if not edition:
        return None
    return {"title": edition.title, "cutoff_on": edition.cutoff_on}


@cache
def map_geometry():
    """The shipped outlines of the allies, read once per process."""
    return charts.load_geometry(finders.find(MAP_GEOMETRY) or settings.STATIC_ROOT / MAP_GEOMETRY)


def parse_compare(query, members, years):
    """The compare state from the query string and a list of errors naming each bad parameter.

    Allies are `member=POL,DEU`, the API's spelling. A bare /compare/ shows the default allies;
    a query without `member` (every box unticked) shows none, and says so.
    """
    errors = []
    known = dict(zip(members["iso3"], members["reports_figures"], strict=True))
    raw_members = [code for value in query.getlist("member") for code in value.split(",")]
    codes = [code.strip().upper() for code in raw_members if code.strip()]
    if not query:
        codes = list(COMPARE_DEFAULT["members"])
    codes = list(dict.fromkeys(codes))
    unknown = [code for code in codes if code not in known]
    silent = [code for code in codes if code in known and not known[code]]
    if unknown:
        errors.append(
            "member: "
            + ", ".join(repr(code) for code in unknown)
            + " is not the ISO3 code of a NATO member (for example POL, DEU, FRA)."
        )
    if silent:
        errors.append(
            "member: NATO publishes no figures for "
            + ", ".join(silent)
            + " (no armed forces), so it cannot be compared."
        )
    if "member" in query and not codes:
        errors.append("member: choose at least one ally.")
    if len(codes) > COMPARE_MAX_MEMBERS:
        errors.append(f"member: choose at most {COMPARE_MAX_MEMBERS} allies, not {len(codes)}.")

    metric = query.get("metric", COMPARE_DEFAULT["metric"])
    if metric not in charts.COMPARE_METRICS:
        errors.append(
            f"metric: {metric!r} is not one of " + ", ".join(charts.COMPARE_METRICS) + "."
        )
    bounds = {}
    for key, default in (
        ("from", years[0] if years else None),
        ("to", years[-1] if years else None),
    ):
        value = query.get(key, "")
        if value == "":
            bounds[key] = default
        elif value.isdigit() and years and years[0] <= int(value) <= years[-1]:
            bounds[key] = int(value)
        else:
            allowed = f"a year from {years[0]} to {years[-1]}" if years else "no year (no figures)"
            errors.append(f"{key}: {value!r} is not allowed; use {allowed}.")
            bounds[key] = default
    if not errors and bounds["from"] > bounds["to"]:
        errors.append(f"from: {bounds['from']} is after to: {bounds['to']}.")
    state = {
        "members": [code for code in codes if known.get(code)],
        "metric": metric if metric in charts.COMPARE_METRICS else COMPARE_DEFAULT["metric"],
        "from": bounds["from"],
        "to": bounds["to"],
    }
    return state, errors


def compare_query(state):
    """The canonical query string of a compare state: ?member=POL,DEU&metric=...&from=&to=."""
    return urlencode(
        {
            "member": ",".join(state["members"]),
            "metric": state["metric"],
            "from": state["from"],
            "to": state["to"],
        },
        safe=",",
    )


def compare_redirect(query):
    """A redirect to the one spelling, `member=POL,DEU`, or None when the query already has it.

    Old links (`members=`) move for good (301); the checkbox form's repeated `member=` is joined
    (302), so the address bar and the API take the same list.
    """
    old = "members" in query
    if not old and len(query.getlist("member")) < 2:
        return None
    fixed = query.copy()
    joined = [value for key in ("member", "members") for value in query.getlist(key)]
    fixed.pop("members", None)
    fixed.setlist("member", [",".join(value for value in joined if value)])
    url = reverse("compare") + "?" + fixed.urlencode(safe=",")
    return HttpResponsePermanentRedirect(url) if old else HttpResponseRedirect(url)


def build_compare(query):
    """(edition, members, years, state, errors, chart) of a compare query; no chart on errors."""
    edition = Edition.objects.newest()
    figures, members, targets = page_answers.load_alliance_state(edition)
    years = sorted(int(y) for y in figures["year"].unique())
    state, errors = parse_compare(query, members, years)
    chart = None
    if not errors and years and state["members"]:
        chart = charts.compare_chart(
            figures,
            members,
            state["members"],
            state["metric"],
            state["from"],
            state["to"],
            charts.source_line(edition_record(edition)),
            targets=progress.to_records(targets),
        )
    return edition, members, years, state, errors, chart


def compare(request):
    """Chosen allies side by side for one metric; the URL holds the whole state."""
    redirect = compare_redirect(request.GET)
    if redirect:
        return redirect
    edition, members, years, state, errors, chart = build_compare(request.GET)
    if chart is not None and request.GET.get("format") == "csv":
        response = HttpResponse(charts.chart_csv(chart), content_type="text/csv; charset=utf-8")
        name = f"compare-{state['metric']}-{state['from']}-{state['to']}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    choices = members.sort_values("name")
    return render(
        request,
        "spending/compare.html",
        {
            "edition": edition,
            "state": state,
            "errors": errors,
            "chart": chart,
            "chart_source": charts.source_line(edition_record(edition)),
            "query": compare_query(state),
            "allies": [
                {"iso3": iso3, "name": name, "chosen": iso3 in state["members"]}
                for iso3, name, reports in choices[["iso3", "name", "reports_figures"]].itertuples(
                    index=False
                )
                if reports
            ],
            "metrics": [(key, spec[0], spec[1]) for key, spec in charts.COMPARE_METRICS.items()],
            "years": years,
        },
        status=400 if errors else 200,
    )
