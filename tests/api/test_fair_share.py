"""GET /api/v1/fair-share/: shares of the alliance's defence and GDP per ally and year, the US
against Europe and Canada, CSV, 400s, and the same numbers as the overview's chart."""

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import results

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[2] / "fixtures"


@pytest.fixture(scope="module")
def table():
    return pd.read_csv(FIXTURES / "figures.csv")


def fixture_value(table, iso3, year, metric):
    rows = table[(table["iso3"] == iso3) & (table["year"] == year) & (table["metric"] == metric)]
    return float(rows["value"].iloc[0])


def every_row(client, url):
    response = client.get(url + ("&" if "?" in url else "?") + "page_size=1000")
    return results(response)


def test_every_year_gives_32_members_and_two_groups_whose_shares_add_up(client):
    rows = every_row(client, "/api/v1/fair-share/")

    years = sorted({row["year"] for row in rows})
    assert years == list(range(2014, 2027))
    for year in years:
        allies = [row for row in rows if row["year"] == year and row["kind"] == "ally"]
        groups = [row for row in rows if row["year"] == year and row["kind"] == "group"]
        assert len(allies) == 32
        assert {row["group"] for row in groups} == {"united-states", "europe-canada"}
        for share in (
            "share_of_alliance_defence_current_pct",
            "share_of_alliance_defence_const2021_pct",
            "share_of_alliance_gdp_current_pct",
            "share_of_alliance_gdp_const2021_pct",
        ):
            counted = [row[share] for row in allies if row["counted"]]
            assert sum(counted) == pytest.approx(100, abs=1e-9), (year, share)
            assert sum(row[share] for row in groups) == pytest.approx(100, abs=1e-9)


def test_germany_in_2026_is_plain_arithmetic_on_the_csv(client, table):
    rows = every_row(client, "/api/v1/fair-share/?year=2026")
    germany = next(row for row in rows if row["iso3"] == "DEU")
    counted = [row["iso3"] for row in rows if row["kind"] == "ally" and row["counted"]]

    assert len(counted) == 31
    assert "ISL" not in counted
    defence = sum(fixture_value(table, c, 2026, "defence_usd_const2021_m") for c in counted)
    gdp = sum(fixture_value(table, c, 2026, "gdp_usd_const2021_m") for c in counted)
    own_defence = fixture_value(table, "DEU", 2026, "defence_usd_const2021_m")
    own_gdp = fixture_value(table, "DEU", 2026, "gdp_usd_const2021_m")
    assert germany["share_of_alliance_defence_const2021_pct"] == pytest.approx(
        100 * own_defence / defence
    )
    assert germany["share_of_alliance_defence_const2021_rounded_pct"] == round(
        100 * own_defence / defence, 2
    )
    assert germany["fair_share_ratio_const2021"] == round(
        (own_defence / defence) / (own_gdp / gdp), 2
    )
    assert germany["defence_per_capita_const2021_usd"] == fixture_value(
        table, "DEU", 2026, "defence_per_capita_const2021_usd"
    )
    assert germany["edition"] == "nato-2026"


def test_iceland_is_not_applicable_with_nulls_never_zeros(client):
    rows = every_row(client, "/api/v1/fair-share/?year=2020")
    iceland = next(row for row in rows if row["iso3"] == "ISL")

    assert iceland["counted"] is False
    assert iceland["note"].startswith("Not applicable")
    for name, value in iceland.items():
        if name.endswith(("_pct", "_m", "_usd")) or name.startswith("fair_share"):
            assert value is None, name


def test_finland_before_2023_is_shown_but_not_counted(client):
    rows = every_row(client, "/api/v1/fair-share/?year=2022")
    finland = next(row for row in rows if row["iso3"] == "FIN")

    assert finland["counted"] is False
    assert finland["defence_usd_const2021_m"] is not None
    assert finland["share_of_alliance_defence_const2021_pct"] is None
    assert "joined 2023" in finland["note"]


def test_the_csv_has_every_row_and_the_documented_columns(client):
    response = client.get("/api/v1/fair-share/?format=csv")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="nato-fair-share.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 13 * 34
    assert list(rows[0])[:4] == ["edition", "year", "kind", "iso3"]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/fair-share/?year=2013", "year"),
        ("/api/v1/fair-share/?edition=nope", "edition"),
        ("/api/v1/fair-share/?member=POL", "member"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, url, parameter):
    response = client.get(url)

    assert response.status_code == 400
    assert [error["parameter"] for error in response.json()["errors"]] == [parameter]


def test_it_takes_three_queries_on_a_cold_cache(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/fair-share/?year=2024")

    assert response.status_code == 200
    assert len(queries) == 3


def test_the_api_and_the_overview_chart_give_the_same_numbers(client):
    rows = every_row(client, "/api/v1/fair-share/?year=2025")
    by_iso3 = {row["iso3"]: row for row in rows if row["kind"] == "ally" and row["counted"]}
    response = client.get("/charts/fair-share.csv?year=2025")

    assert response.status_code == 200
    chart = list(csv.DictReader(io.StringIO(response.content.decode())))
    allies = [line for line in chart if line["ISO3"]]
    assert {line["ISO3"] for line in allies} == set(by_iso3)
    for line in allies:
        api = by_iso3[line["ISO3"]]
        assert float(line["Share of alliance GDP, % (2021 prices)"]) == round(
            api["share_of_alliance_gdp_const2021_pct"], 2
        )
        assert float(line["Share of alliance defence, % (2021 prices)"]) == round(
            api["share_of_alliance_defence_const2021_pct"], 2
        )
        assert float(line["Ratio"]) == api["fair_share_ratio_const2021"]
