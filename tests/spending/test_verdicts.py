"""One verdict per target, everywhere: spending/progress/verdicts.py and everything using it."""

import csv
import io

import pytest

from spending import progress
from spending.models import Target

FIELDS = ["slug", "threshold_pct", "basis", "measure", "kind"]
HAGUE = [
    dict(zip(FIELDS, row, strict=True))
    for row in [
        ("guideline-2pct", 2.0, "gdp", "core_share_of_gdp_pct", "floor"),
        ("equipment-20pct", 20.0, "defence", "equipment_share_pct", "floor"),
        ("core-3.5pct", 3.5, "gdp", "core_share_of_gdp_pct", "floor"),
        ("total-5pct", 5.0, "gdp", "total_share_of_gdp_pct", "floor"),
    ]
]
CORE_ONLY = "5% or more (core only: related spending not published)"


def test_the_four_gdp_bands_come_from_the_targets_with_5pct_marked_core_only():
    labels = [label for _, label in progress.gdp_bands(HAGUE)]

    assert labels == [CORE_ONLY, "3.5% to under 5%", "2% to under 3.5%", "under 2%"]


@pytest.mark.parametrize(
    ("rounded", "band"),
    [
        (5.1, CORE_ONLY),
        (5.0, CORE_ONLY),
        (4.99, "3.5% to under 5%"),
        (3.5, "3.5% to under 5%"),
        (3.49, "2% to under 3.5%"),
        (3.45, "2% to under 3.5%"),
        (3.4, "2% to under 3.5%"),
        (2.0, "2% to under 3.5%"),
        (1.99, "under 2%"),
        (0.0, "under 2%"),
    ],
)
def test_a_share_falls_in_the_band_whose_lower_edge_it_meets(rounded, band):
    bands = progress.gdp_bands(HAGUE)

    assert bands[progress.gdp_band(rounded, bands)][1] == band


def test_a_missing_share_has_no_band():
    assert progress.gdp_band(None, progress.gdp_bands(HAGUE)) is None


@pytest.mark.django_db
def test_the_overview_the_ranked_chart_its_csv_and_the_api_agree_on_who_is_at_5pct(client):
    five = Target.objects.get(slug="total-5pct")
    api = client.get("/api/v1/progress/").json()["results"]
    at_five = sorted(row["iso3"] for row in api if (row["targets"].get(five.slug) or {}).get("met"))
    ranked = list(csv.DictReader(io.StringIO(client.get("/charts/ranked.csv").content.decode())))
    in_band = sorted(row["ISO3"] for row in ranked if row["Band"] == CORE_ONLY)
    # Independent: the shipped 2026 shares rounded as NATO prints them.
    assert at_five == in_band
    assert {"EST", "LTU"} <= set(at_five)
    html = client.get("/").content.decode()
    assert CORE_ONLY in html
    assert f"{len(at_five)} of 31" in html
    for row in ranked:
        share = float(row["Share of GDP, %"])
        assert len(row["Share of GDP, %"].partition(".")[2]) <= 2
        expected = (
            CORE_ONLY
            if share >= 5
            else "3.5% to under 5%"
            if share >= 3.5
            else "2% to under 3.5%"
            if share >= 2
            else "under 2%"
        )
        assert row["Band"] == expected, row
