"""The named fields of every endpoint (issue 3's contract) on the shipped NATO data."""

import csv
from pathlib import Path

import pytest

from tests.api.conftest import results

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

pytestmark = pytest.mark.django_db

TARGET_FIELDS = {
    "met",
    "gap_pp",
    "gap_usd_m",
    "required_pp_per_year",
    "required_real_growth_pct_per_year",
    "projected_year",
    "first_year_met",
    "note",
}


def test_members_lists_all_32_with_iceland_reporting_no_figures(client):
    rows = results(client.get("/api/v1/members/"))

    assert len(rows) == 32
    by_iso3 = {row["iso3"]: row for row in rows}
    poland = by_iso3["POL"]
    for field in ("iso3", "iso2", "name", "accession_date", "reports_figures", "fiscal_year"):
        assert field in poland
    assert (poland["iso2"], poland["accession_date"], poland["fiscal_year"]) == (
        "PL",
        "1999-03-12",
        "calendar",
    )
    assert (poland["latest_year"], poland["latest_share_of_gdp_rounded_pct"]) == (2026, 4.68)
    assert poland["links"]["figures"].endswith("/api/v1/figures/?member=POL")
    assert poland["links"]["progress"].endswith("/api/v1/progress/?member=POL")
    iceland = by_iso3["ISL"]
    assert iceland["reports_figures"] is False
    assert iceland["latest_share_of_gdp_pct"] is None
    assert iceland["latest_year"] is None
    assert by_iso3["CAN"]["fiscal_year"] == "april-march"


@pytest.mark.parametrize("code", ["POL", "pol", "Pol"])
def test_a_member_is_found_by_its_iso3_in_any_case(client, code):
    response = client.get(f"/api/v1/members/{code}/")

    assert response.status_code == 200
    assert response.json()["iso3"] == "POL"
    assert response.json()["links"]["self"].endswith("/api/v1/members/POL/")


def test_editions_name_the_shipped_edition_as_newest_and_keep_the_2025_vintage(client):
    newest, older = results(client.get("/api/v1/editions/"))

    assert (newest["slug"], newest["is_newest"]) == ("nato-2026", True)
    assert (newest["first_year"], newest["last_year"], newest["figure_count"]) == (
        2014,
        2026,
        403,
    )
    with open(FIXTURES / "figures_2025_edition.csv", newline="", encoding="utf-8") as f:
        rows = [row for row in csv.DictReader(f) if not row["iso3"].startswith("NATO")]
    ally_years = {(row["iso3"], int(row["year"])) for row in rows}
    assert (older["slug"], older["is_newest"]) == ("nato-2025", False)
    assert (older["first_year"], older["last_year"], older["figure_count"]) == (
        min(year for _, year in ally_years),
        max(year for _, year in ally_years),
        len(ally_years),
    )


def test_targets_carry_their_definition(client):
    rows = {row["slug"]: row for row in results(client.get("/api/v1/targets/"))}

    assert list(rows) == ["guideline-2pct", "equipment-20pct", "core-3.5pct", "total-5pct"]
    core = rows["core-3.5pct"]
    assert {key: core[key] for key in ("threshold_pct", "basis", "deadline_year", "kind")} == {
        "threshold_pct": 3.5,
        "basis": "gdp",
        "deadline_year": 2035,
        "kind": "floor",
    }
    assert core["adopted"] == "The Hague Summit 2025"


def test_figures_rows_hold_every_metric_and_the_computed_share(client):
    (row,) = results(client.get("/api/v1/figures/?member=pol&year=2025"))

    assert (row["iso3"], row["year"], row["edition"], row["status"]) == (
        "POL",
        2025,
        "nato-2026",
        "estimate",
    )
    assert row["defence_usd_const2021_m"] == 33084.0
    assert row["nato_real_change_pct"] == 17.51
    assert row["related_usd_current_m"] is None
    assert row["share_of_gdp_pct"] == pytest.approx(100 * 33084.0 / 778397.0)


def test_figures_filter_by_member_year_range_and_status(client):
    rows = results(
        client.get("/api/v1/figures/?member=POL,DEU&year_min=2020&year_max=2026&status=estimate")
    )

    assert [(row["iso3"], row["year"]) for row in rows] == [
        ("DEU", 2025),
        ("DEU", 2026),
        ("POL", 2025),
        ("POL", 2026),
    ]


def test_the_share_of_gdp_matches_natos_table_3_for_all_403_ally_years(client):
    rows = results(client.get("/api/v1/figures/?page_size=500"))

    assert len(rows) == 403
    differences = [abs(row["share_of_gdp_pct"] - row["nato_share_of_gdp_pct"]) for row in rows]
    assert max(differences) <= 0.01


def test_progress_gives_each_member_its_verdicts_and_iceland_none(client):
    rows = {row["iso3"]: row for row in results(client.get("/api/v1/progress/"))}

    assert len(rows) == 32
    poland = rows["POL"]
    assert (poland["year"], poland["reports_figures"]) == (2026, True)
    assert poland["share_of_gdp_pct"] == pytest.approx(4.677284, abs=1e-6)
    assert poland["equipment_share_pct"] == 55.91
    assert set(poland["targets"]) == {
        "guideline-2pct",
        "equipment-20pct",
        "core-3.5pct",
        "total-5pct",
    }
    assert set(poland["targets"]["core-3.5pct"]) >= TARGET_FIELDS
    assert poland["targets"]["core-3.5pct"]["met"] is True
    slovenia = rows["SVN"]["targets"]["guideline-2pct"]
    assert slovenia["met"] is False
    assert slovenia["gap_pp"] > 0
    assert slovenia["gap_usd_m"] > 0
    iceland = rows["ISL"]
    assert iceland["reports_figures"] is False
    assert iceland["targets"] == {}
    assert iceland["share_of_gdp_pct"] is None
    assert "no figures" in iceland["note"]


def test_progress_for_a_past_year_uses_nothing_later(client):
    (row,) = results(client.get("/api/v1/progress/?member=POL&year=2020"))

    assert row["year"] == 2020
    guideline = row["targets"]["guideline-2pct"]
    assert guideline["first_year_met"] == 2015
    core = row["targets"]["core-3.5pct"]
    # From 2020's share, 15 years to 2035.
    # Published to 3 decimals (spending/precision.py).
    required = (3.5 - row["share_of_gdp_pct"]) / 15
    assert core["required_pp_per_year"] == pytest.approx(required, abs=0.0005)


def test_progress_numbers_are_the_pages_numbers(client):
    (row,) = results(client.get("/api/v1/progress/?member=SVN"))
    page = client.get("/").content.decode()
    slovenia = page[page.index('data-iso3="SVN"') :].split("</tr>")[0]

    assert f"{row['share_of_gdp_rounded_pct']:.2f}%" in slovenia


def test_alliance_gives_a_series_or_one_year(client):
    series = results(client.get("/api/v1/alliance/"))
    (year,) = results(client.get("/api/v1/alliance/?year=2025"))

    assert [row["year"] for row in series] == list(range(2014, 2027))
    assert year == series[-2]
    assert year["allies_with_data"] == 31
    assert year["share_of_gdp_pct"] == pytest.approx(100 * 1404842.0 / 51017333.0)
    assert year["targets"]["guideline-2pct"]["allies_with_data"] == 31
    assert series[-1]["targets"]["guideline-2pct"]["allies_met"] == 30


def test_history_gives_one_metric_for_every_year_held(client):
    # The 2025 edition holds only NATO's shares: it has no amounts to show here.
    rows = results(client.get("/api/v1/members/pol/history/?metric=defence_usd_const2021_m"))

    assert [row["year"] for row in rows] == list(range(2014, 2027))
    assert {row["edition"] for row in rows} == {"nato-2026"}
    assert rows[11]["value"] == 33084.0
    assert rows[11]["metric"] == "defence_usd_const2021_m"


def test_one_members_whole_history_fits_one_page(client):
    body = client.get("/api/v1/figures/?member=USA").json()

    assert body["count"] == 13
    assert body["next"] is None


def test_lists_paginate_with_a_raisable_page_size(client):
    first = client.get("/api/v1/figures/").json()
    second = client.get(first["next"]).json()
    big = client.get("/api/v1/figures/?page_size=1000").json()

    assert first["count"] == 403
    assert len(first["results"]) == 100
    assert second["previous"] is not None
    assert second["results"][0] != first["results"][0]
    assert len(big["results"]) == 403


@pytest.mark.parametrize(
    ("url", "most_bytes"),
    [
        # Each number of a path carries the reason it is null, where it is (breaks, met).
        ("/api/v1/progress/", 85_000),
        ("/api/v1/figures/?page_size=500", 260_000),
        ("/api/v1/members/", 26_000),
        ("/api/v1/alliance/", 16_000),
    ],
)
def test_payloads_stay_small(client, url, most_bytes):
    response = client.get(url)

    assert response.status_code == 200
    assert len(response.content) <= most_bytes


def test_iceland_has_no_figures_and_no_history_rather_than_zeros(client):
    figures = client.get("/api/v1/figures/?member=ISL").json()
    history = client.get("/api/v1/members/ISL/history/").json()

    assert (figures["count"], history["count"]) == (0, 0)
