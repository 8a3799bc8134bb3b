"""Luxembourg's GDP-to-GNI break in 2023, as a reader sees it on the page and in the API."""

import re

import pytest

pytestmark = pytest.mark.django_db

PATH_TARGETS = ["core-3.5pct", "total-5pct"]


def progress_row(client, iso3):
    (row,) = client.get(f"/api/v1/progress/?member={iso3}").json()["results"]
    return row


@pytest.mark.parametrize("slug", PATH_TARGETS)
def test_the_api_gives_luxembourg_no_growth_trend_or_projection_across_2023(client, slug):
    state = progress_row(client, "LUX")["targets"][slug]

    assert state["gdp_growth_pct"] is None
    assert state["required_real_growth_pct_per_year"] is None
    assert state["trend_slope_pp_per_year"] is None
    assert state["projected_year"] is None
    assert state["break_year"] == 2023
    assert state["gdp_growth_note"].startswith("series break in 2023: not enough comparable")
    assert state["trend_note"].startswith("series break in 2023: not enough comparable")
    assert "gross national income" in state["break_reason"]


def test_luxembourgs_page_says_why_growth_and_trend_are_missing(client):
    html = client.get("/members/LUX/").content.decode()
    cards = html[html.index('id="progress"') : html.index('id="charts"')]

    assert "Series break in 2023." in cards
    assert "gross national income" in cards
    assert "not enough comparable years for GDP growth" in cards
    assert "% a year" not in cards
    # No compiler's caveat numbers ("caveat C7"); the footer's "definitions and caveats" link is
    # for readers.
    assert re.search(r"caveat\s+c\d", html.lower()) is None
    assert "(C7)" not in html


def test_luxembourgs_share_chart_draws_no_trend_across_2023(client):
    html = client.get("/members/LUX/").content.decode()

    assert "Trend 20" not in html


def test_another_ally_keeps_its_growth_and_trend(client):
    state = progress_row(client, "POL")["targets"]["core-3.5pct"]

    assert state["break_year"] is None
    assert state["gdp_growth_pct"] is not None
    assert state["trend_slope_pp_per_year"] is not None


def test_estonia_already_meets_3_5_so_nothing_is_required(client):
    state = progress_row(client, "EST")["targets"]["core-3.5pct"]

    assert state["met"] is True
    assert state["required_pp_per_year"] is None
    assert state["required_pp_note"] == "already met"
    assert state["required_real_growth_pct_per_year"] is None
    assert state["required_real_growth_note"] == "already met"
    # The signed rate stays available, clearly named: negative, the fall the target allows.
    assert state["required_real_growth_signed_pct_per_year"] < 0
    assert state["margin_pp"] > 0
    assert state["margin_usd_m"] > 0
