"""/tables/: NATO's tables (1 to 8) for any edition held, as NATO prints them, with downloads.

One measure for every ally and year of one edition, allies in NATO's order, then NATO's own
aggregates ("NATO Europe and Canada", "NATO Total") as published; estimates are marked as NATO
marks them (2025e). The HTML, the CSV (`&format=csv`) and the XLSX (`&format=xlsx`) hold exactly
the same cells, each value as stored at its documented precision: nothing is filled in.
"""

import io
from urllib.parse import urlencode

import openpyxl
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from members.models import Member
from spending.csv import format_cell, write_table
from spending.fields import METRIC_FIELDS
from spending.models import AggregateFigure, Edition, Status, YearlyFigure
from spending.precision import round_field

# Measure -> (NATO's table, what it holds), in NATO's order (fixtures/source/README.md).
TABLES = {
    "defence_nc_current_m": ("1", "Defence expenditure, million national currency, current prices"),
    "defence_nc_const2021_m": ("1", "Defence expenditure, million national currency, 2021 prices"),
    "defence_usd_current_m": ("2", "Defence expenditure, million US dollars, current prices"),
    "defence_usd_const2021_m": ("2", "Defence expenditure, million US dollars, 2021 prices"),
    "nato_share_of_gdp_pct": ("3", "Defence expenditure as a share of GDP, % (real)"),
    "nato_real_change_pct": ("3", "Defence expenditure, annual real change, %"),
    "gdp_usd_current_m": ("5", "GDP, million US dollars, current prices"),
    "gdp_usd_const2021_m": ("5", "GDP, million US dollars, 2021 prices"),
    "gdp_per_capita_const2021_kusd": ("6", "GDP per capita, thousand US dollars, 2021 prices"),
    "defence_per_capita_const2021_usd": (
        "6",
        "Defence expenditure per capita, US dollars, 2021 prices",
    ),
    "military_personnel_k": ("7", "Military personnel, thousands"),
    "equipment_share_pct": ("8a", "Equipment, % of defence expenditure"),
    "personnel_share_pct": ("8a", "Personnel, % of defence expenditure"),
    "infrastructure_share_pct": ("8b", "Infrastructure, % of defence expenditure"),
    "other_share_pct": ("8b", "Other, % of defence expenditure"),
}
assert list(TABLES) == METRIC_FIELDS  # one entry per stored measure, in NATO's order
# The picker's words: a closed <select> cannot wrap, so each choice fits a phone's width; the
# table's heading gives the full title.
CHOICES = {
    "defence_nc_current_m": "Defence, national currency, current",
    "defence_nc_const2021_m": "Defence, national currency, 2021",
    "defence_usd_current_m": "Defence, US$, current prices",
    "defence_usd_const2021_m": "Defence, US$, 2021 prices",
    "nato_share_of_gdp_pct": "Share of GDP, % (real)",
    "nato_real_change_pct": "Real change, %",
    "gdp_usd_current_m": "GDP, US$, current prices",
    "gdp_usd_const2021_m": "GDP, US$, 2021 prices",
    "gdp_per_capita_const2021_kusd": "GDP per capita, k US$, 2021",
    "defence_per_capita_const2021_usd": "Defence per capita, US$, 2021",
    "military_personnel_k": "Military personnel, thousands",
    "equipment_share_pct": "Equipment, % of defence",
    "personnel_share_pct": "Personnel, % of defence",
    "infrastructure_share_pct": "Infrastructure, % of defence",
    "other_share_pct": "Other, % of defence",
}
assert list(CHOICES) == METRIC_FIELDS
DEFAULT_MEASURE = "nato_share_of_gdp_pct"
FORMATS = ("html", "csv", "xlsx")


def parse_query(query, editions):
    """(edition, measure, format, errors): each bad parameter named with what is allowed."""
    errors = []
    slugs = [edition.slug for edition in editions]
    slug = query.get("edition", slugs[0] if slugs else "")
    edition = next((e for e in editions if e.slug == slug), None)
    if edition is None and slugs:
        errors.append(f"edition: {slug!r} is not held; choose one of {', '.join(slugs)}.")
    measure = query.get("measure", DEFAULT_MEASURE)
    if measure not in TABLES:
        errors.append(f"measure: {measure!r} is not one of {', '.join(TABLES)}.")
    chosen = query.get("format", "html")
    if chosen not in FORMATS:
        errors.append(f"format: {chosen!r} is not one of {', '.join(FORMATS)}.")
    return edition, measure, chosen, errors


def build_table(edition, measure):
    """{years, estimate_years, rows: [(name, kind, [value or None per year])]}: allies in
    NATO's order, then NATO's aggregates; three queries."""
    figures = YearlyFigure.objects.filter(edition=edition).values_list(
        "member__iso3", "year", "status", measure
    )
    aggregates = AggregateFigure.objects.filter(edition=edition).values_list(
        "aggregate", "year", "status", measure
    )
    years = sorted({year for _, year, _, _ in figures} | {year for _, year, _, _ in aggregates})
    estimate_years = sorted(
        {year for _, year, status, _ in [*figures, *aggregates] if status == Status.ESTIMATE}
    )
    # Rounded once at the edge to the measure's documented precision (spending/precision.py):
    # a whole number stays whole (31874, never 31874.0), a float artefact is dropped.
    values = {
        (key, year): round_field(measure, value) for key, year, _, value in [*figures, *aggregates]
    }
    rows = []
    for member in Member.objects.order_by("nato_order", "name"):
        if not member.reports_figures:
            continue  # Iceland: NATO prints no row for it
        name = member.nato_name or member.name
        rows.append((name, "ally", [values.get((member.iso3, year)) for year in years]))
    for key, label in (("NATO_EUR_CAN", "NATO Europe and Canada"), ("NATO_TOTAL", "NATO Total")):
        cells = [values.get((key, year)) for year in years]
        if any(cell is not None for cell in cells):
            rows.append((label, "aggregate", cells))
    return {"years": years, "estimate_years": estimate_years, "rows": rows}


def year_heading(year, estimate_years):
    """The year as NATO heads its column: 2025e for an estimate."""
    return f"{year}e" if year in estimate_years else str(year)


def table_rows(table):
    """The header and rows exactly as every format gives them."""
    header = ["Ally", *(year_heading(y, table["estimate_years"]) for y in table["years"])]
    return header, [[name, *cells] for name, _, cells in table["rows"]]


def xlsx_bytes(title, header, rows):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Table")
    sheet.append([title])
    sheet.append(header)
    for row in rows:
        # Text cells go through the CSV writer's escape, so a name never runs as a formula.
        sheet.append([format_cell(row[0]), *row[1:]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def nato_tables(request):
    """One NATO table of one edition: HTML, or the same cells as CSV or XLSX."""
    editions = list(Edition.objects.newest_first())
    edition, measure, chosen, errors = parse_query(request.GET, editions)
    table = build_table(edition, measure) if edition and not errors else None
    number, label = TABLES.get(measure, ("", ""))
    title = f"Table {number}: {label}" + (f" ({edition.title})" if edition else "")
    if table and chosen in ("csv", "xlsx"):
        header, rows = table_rows(table)
        name = f"nato-table-{number}-{measure}-{edition.slug}.{chosen}"
        if chosen == "csv":
            response = HttpResponse(
                write_table(header, rows), content_type="text/csv; charset=utf-8"
            )
        else:
            response = HttpResponse(
                xlsx_bytes(title, header, rows),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    query = {"edition": edition.slug if edition else "", "measure": measure}
    base = reverse("tables") + "?" + urlencode(query)
    return render(
        request,
        "spending/tables.html",
        {
            "edition": edition,
            "editions": editions,
            "measure": measure,
            "measures": [(key, f"{n}. {CHOICES[key]}") for key, (n, _) in TABLES.items()],
            "title": title,
            "table": table,
            "errors": errors,
            "csv_url": base + "&format=csv",
            "xlsx_url": base + "&format=xlsx",
        },
        status=400 if errors else 200,
    )


def downloads(request):
    """Every dataset held, per edition, with its licence note and a citation line."""
    editions = list(Edition.objects.newest_first())
    tables = reverse("tables")
    listed = []
    for edition in editions:
        links = [
            (
                f"Table {number}: {text}",
                f"{tables}?{urlencode({'edition': edition.slug, 'measure': key})}",
            )
            for key, (number, text) in TABLES.items()
        ]
        listed.append({"edition": edition, "tables": links})
    return render(
        request,
        "spending/downloads.html",
        {
            "edition": editions[0] if editions else None,
            "listed": listed,
            "site": request.build_absolute_uri("/"),
        },
    )
