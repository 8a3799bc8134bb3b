"""`?format=csv`: every row, fixed importer columns for figures, spreadsheet-safe text."""

import csv
import io
from datetime import date

import pytest

from members.models import Member
from spending.csv import format_cell
from spending.models import METRIC_FIELDS, Edition, YearlyFigure
from spending.writes import record_write

pytestmark = pytest.mark.django_db

FIGURE_HEADER = [
    "iso3",
    "year",
    "edition",
    "status",
    *METRIC_FIELDS,
    "related_usd_current_m",
    "share_of_gdp_pct",
]


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Poland", "Poland"),
        ("a=b", "a=b"),
        (-1.5, "-1.5"),
        (18788.0, "18788.0"),
        (0.1 + 0.2, "0.30000000000000004"),
        (2014, "2014"),
        (None, ""),
        (True, "true"),
        (date(2026, 7, 3), "2026-07-03"),
    ],
)
def test_text_that_a_spreadsheet_would_run_is_escaped_and_numbers_stay_exact(value, cell):
    assert format_cell(value) == cell


def test_figures_csv_has_the_importers_columns_and_every_row(client):
    rows = read_csv(client.get("/api/v1/figures/?format=csv"))

    assert rows[0] == FIGURE_HEADER
    assert len(rows) == 1 + 403


def test_figures_csv_writes_whole_numbers_as_integers_and_negative_ones_plainly(client):
    rows = read_csv(client.get("/api/v1/figures/?format=csv&member=ALB&year=2014"))
    row = dict(zip(rows[0], rows[1], strict=True))

    assert row["defence_nc_current_m"] == "18788"
    assert row["related_usd_current_m"] == ""
    assert row["edition"] == "nato-2026"
    negative = read_csv(client.get("/api/v1/figures/?format=csv&member=ALB&year=2015"))
    assert dict(zip(negative[0], negative[1], strict=True))["nato_real_change_pct"].startswith("-")
    assert not dict(zip(negative[0], negative[1], strict=True))["nato_real_change_pct"].startswith(
        "'"
    )


def test_figures_csv_equals_the_json_figures(client):
    rows = read_csv(client.get("/api/v1/figures/?format=csv&member=POL"))
    json_rows = client.get("/api/v1/figures/?member=POL").json()["results"]

    for cells, record in zip(rows[1:], json_rows, strict=True):
        for column, cell in zip(FIGURE_HEADER, cells, strict=True):
            expected = record[column]
            assert cell == ("" if expected is None else str(expected))


def test_a_csv_download_has_a_file_name(client):
    response = client.get("/api/v1/figures/?format=csv")

    assert response["Content-Disposition"] == 'attachment; filename="nato-figures.csv"'


def test_hostile_text_in_the_data_is_escaped_in_every_csv(client):
    Member.objects.filter(iso3="POL").update(name="=cmd|' /C calc'!A0", notes="@SUM(1+1)")
    edition = Edition.objects.create(
        slug="-evil", title="+evil", publisher="x", price_base_year=2021
    )
    YearlyFigure.objects.create(
        member=Member.objects.get(iso3="POL"),
        edition=edition,
        year=2014,
        status="actual",
        nato_real_change_pct=-3.25,
    )
    record_write()

    members = read_csv(client.get("/api/v1/members/?format=csv"))
    figures = read_csv(client.get("/api/v1/figures/?format=csv&edition=-evil"))
    editions = read_csv(client.get("/api/v1/editions/?format=csv"))

    poland = dict(zip(members[0], next(r for r in members if r[0] == "POL"), strict=True))
    assert poland["name"] == "'=cmd|' /C calc'!A0"
    assert poland["notes"] == "'@SUM(1+1)"
    figure = dict(zip(figures[0], figures[1], strict=True))
    assert figure["edition"] == "'-evil"
    assert figure["nato_real_change_pct"] == "-3.25"
    assert any(row[:2] == ["'-evil", "'+evil"] for row in editions)


@pytest.mark.parametrize(
    ("url", "columns"),
    [
        ("/api/v1/members/?format=csv", ["iso3", "iso2", "name", "links.figures"]),
        ("/api/v1/editions/?format=csv", ["slug", "cutoff_on", "is_newest"]),
        ("/api/v1/targets/?format=csv", ["slug", "threshold_pct", "kind"]),
        ("/api/v1/progress/?format=csv", ["iso3", "year", "targets.core-3.5pct.met"]),
        ("/api/v1/alliance/?format=csv", ["year", "share_of_gdp_pct"]),
        ("/api/v1/members/POL/history/?format=csv", ["year", "edition", "value", "revision"]),
    ],
)
def test_every_list_has_a_csv_with_flattened_columns(client, url, columns):
    rows = read_csv(client.get(url))

    assert set(columns) <= set(rows[0])
    assert len(rows) > 1


def test_every_figure_reads_back_from_the_csv_exactly_as_stored(client):
    rows = read_csv(client.get("/api/v1/figures/?format=csv"))
    header, cells = rows[0], rows[1:]
    stored = {
        (row["member__iso3"], row["year"]): row
        for row in YearlyFigure.objects.filter(edition__slug="nato-2026").values(
            "member__iso3", "year", *METRIC_FIELDS
        )
    }

    for line in cells:
        row = dict(zip(header, line, strict=True))
        expected = stored[(row["iso3"], int(row["year"]))]
        for metric in METRIC_FIELDS:
            value = None if row[metric] == "" else float(row[metric])
            assert value == expected[metric], (row["iso3"], row["year"], metric)
    assert len(cells) == len(stored)
