"""The published 2035 numbers of ten allies, against plain arithmetic on fixtures/figures.csv.

Every expected value here is computed in this file from the CSV with the csv module and the
formulas of the README's "How the numbers are computed", never by calling spending code:
- share s = 100 x defence / GDP (USD, constant 2021), printed rounded half-up to 2 decimals;
- met when the printed share >= the threshold t; gap_pp = t - printed share when not met;
- gap_usd_m = t/100 x GDP (USD current) - defence (USD current) when positive (related
  spending is unpublished, so the 5% target measures core defence only);
- Y0 = the newest year with a share, n = 2035 - Y0, s0 its share (unrounded);
- required rise = (t - s0) / n pp a year; g = (GDP_Y0 / GDP_Y0-5)^(1/5) - 1 (constant prices);
  required real growth = 100 x ((t / s0)^(1/n) x (1 + g) - 1) % a year; both null when met;
- projected year: least-squares line through Y0-5..Y0, ceil of the year it reaches t, at
  least Y0; null when met, when the line is flat or falling, or after 2100;
- nothing is computed across a series break (Luxembourg's GDP becomes GNI in 2023).
"""

import csv
import math
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

from spending.frames import build_breaks_frame, build_edition_figures_frames, build_targets_frame
from spending.progress import build_paths, build_progress_frame
from tests.api.conftest import results

pytestmark = pytest.mark.django_db

FIGURES_CSV = Path(__file__).parents[2] / "fixtures" / "figures.csv"
DEADLINE = 2035
HORIZON = 2100
TARGETS = {"core-3.5pct": 3.5, "total-5pct": 5.0}
# Eight big allies, Poland above 3.5%, two above 5% (EST, LTU), and Luxembourg's break.
ALLIES = ["DEU", "POL", "FRA", "ITA", "ESP", "CAN", "USA", "GBR", "EST", "LTU", "LUX"]
# fixtures/series_breaks.csv: the first year of Luxembourg's GNI-based series.
BREAKS = {"LUX": 2023}


def read_figures():
    """{(iso3, year): {metric: value}} of the 2026 edition, straight from the CSV."""
    figures = {}
    with FIGURES_CSV.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["edition"] == "nato-2026" and row["value"] != "":
                key = (row["iso3"], int(row["year"]))
                figures.setdefault(key, {})[row["metric"]] = float(row["value"])
    return figures


def printed(value):
    """A share as NATO prints it: half-up to 2 decimals."""
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def share(row):
    return 100 * row["defence_usd_const2021_m"] / row["gdp_usd_const2021_m"]


def expected_numbers(figures, iso3, threshold):
    """The 2035 numbers of one ally towards one threshold, by hand."""
    years = sorted(
        year
        for (code, year), row in figures.items()
        if code == iso3 and "defence_usd_const2021_m" in row and "gdp_usd_const2021_m" in row
    )
    y0 = years[-1]
    newest = figures[(iso3, y0)]
    s0 = share(newest)
    met = printed(s0) >= threshold
    n = DEADLINE - y0
    expected = {
        "y0": y0,
        "met": met,
        "gap_pp": 0.0 if met else threshold - printed(s0),
        "gap_usd_m": max(
            0.0, threshold / 100 * newest["gdp_usd_current_m"] - newest["defence_usd_current_m"]
        ),
        "required_pp_per_year": None if met else (threshold - s0) / n,
        "margin_pp": printed(s0) - threshold if met else None,
        "margin_usd_m": (
            newest["defence_usd_current_m"] - threshold / 100 * newest["gdp_usd_current_m"]
            if met
            else None
        ),
    }
    break_year = BREAKS.get(iso3)
    crosses_break = break_year is not None and y0 - 5 < break_year
    if met or crosses_break:
        expected["required_real_growth_pct_per_year"] = None
    else:
        start = figures[(iso3, y0 - 5)]["gdp_usd_const2021_m"]
        growth = (newest["gdp_usd_const2021_m"] / start) ** (1 / 5) - 1
        expected["required_real_growth_pct_per_year"] = 100 * (
            (threshold / s0) ** (1 / n) * (1 + growth) - 1
        )
    expected["projected_year"] = None
    if not met and not crosses_break:
        xs = [year for year in years if year >= y0 - 5]
        ys = [share(figures[(iso3, year)]) for year in xs]
        x_mean, y_mean = sum(xs) / len(xs), sum(ys) / len(ys)
        slope = sum((x - x_mean) * (y - y_mean) for x, y in zip(xs, ys, strict=True)) / sum(
            (x - x_mean) ** 2 for x in xs
        )
        if slope > 0:
            year = max(y0, math.ceil(x_mean + (threshold - y_mean) / slope))
            expected["projected_year"] = year if year <= HORIZON else None
    return expected


CASES = [(iso3, slug) for iso3 in ALLIES for slug in TARGETS]


@pytest.fixture(scope="module")
def figures():
    return read_figures()


@pytest.fixture(scope="module")
def paths(django_db_setup, django_db_blocker):
    """The path and progress rows as the app computes them, at full precision."""
    with django_db_blocker.unblock():
        _, edition, frame = build_edition_figures_frames("nato-2026")
        targets = build_targets_frame()
        breaks = build_breaks_frame(edition)
    progress = build_progress_frame(frame, targets)
    paths = build_paths(frame, targets, progress=progress, breaks=breaks)
    return progress, paths


def close(published, expected, decimals):
    """A published value equals the hand-computed one to its published precision."""
    if expected is None:
        return published is None
    return published is not None and abs(published - expected) <= 0.5 * 10**-decimals + 1e-9


def test_the_fixture_holds_the_allies_the_truth_is_pinned_on(figures):
    newest = {iso3: max(year for code, year in figures if code == iso3) for iso3 in ALLIES}
    assert set(newest.values()) == {2026}
    # Allies at 5% (EST, LTU) and between 3.5% and 5% (POL): both sides of each target.
    assert printed(share(figures[("EST", 2026)])) >= 5
    assert printed(share(figures[("LTU", 2026)])) >= 5
    assert 3.5 <= printed(share(figures[("POL", 2026)])) < 5
    assert printed(share(figures[("DEU", 2026)])) < 3.5


@pytest.mark.parametrize(("iso3", "slug"), CASES)
def test_the_maths_matches_the_arithmetic_at_full_precision(figures, paths, iso3, slug):
    progress, path_rows = paths
    expected = expected_numbers(figures, iso3, TARGETS[slug])
    state = progress[
        (progress["iso3"] == iso3) & (progress["target"] == slug) & (progress["year"] == 2026)
    ].iloc[0]
    path = path_rows[(path_rows["iso3"] == iso3) & (path_rows["target"] == slug)].iloc[0]

    def value(number):
        return None if number is None or number != number else float(number)

    assert bool(state["met"]) is expected["met"]
    assert state["gap_pp"] == pytest.approx(expected["gap_pp"], abs=1e-9)
    assert state["gap_usd_m"] == pytest.approx(expected["gap_usd_m"], abs=1e-6)
    assert int(path["y0"]) == expected["y0"]
    for name in ("required_pp_per_year", "required_real_growth_pct_per_year"):
        if expected[name] is None:
            assert value(path[name]) is None, name
        else:
            assert value(path[name]) == pytest.approx(expected[name], abs=1e-9), name
    projected = None if pd.isna(path["projected_year"]) else int(path["projected_year"])
    assert projected == expected["projected_year"]


@pytest.mark.parametrize("iso3", ALLIES)
def test_the_api_publishes_the_arithmetic_to_its_precision(client, figures, iso3):
    (row,) = results(client.get(f"/api/v1/progress/?member={iso3}"))

    assert row["year"] == 2026
    for slug, threshold in TARGETS.items():
        published = row["targets"][slug]
        expected = expected_numbers(figures, iso3, threshold)
        assert published["met"] is expected["met"], slug
        assert close(published["gap_pp"], expected["gap_pp"], 2), slug
        assert close(published["gap_usd_m"], expected["gap_usd_m"], 1), slug
        assert close(published["required_pp_per_year"], expected["required_pp_per_year"], 3)
        assert close(
            published["required_real_growth_pct_per_year"],
            expected["required_real_growth_pct_per_year"],
            2,
        ), slug
        assert published["projected_year"] == expected["projected_year"], slug
        assert close(published["margin_pp"], expected["margin_pp"], 2), slug
        assert close(published["margin_usd_m"], expected["margin_usd_m"], 1), slug
        if expected["met"]:
            assert published["required_real_growth_note"] == "already met"


MEMBERS_CSV = Path(__file__).parents[2] / "fixtures" / "members.csv"


def accession_years():
    with MEMBERS_CSV.open(newline="", encoding="utf-8") as handle:
        return {row["iso3"]: int(row["accession_date"][:4]) for row in csv.DictReader(handle)}


def expected_ranks(figures, year):
    """{iso3: rank} among the allies of `year`: 1 + the allies printing a higher share."""
    joined = accession_years()
    printed_shares = {
        iso3: printed(share(row))
        for (iso3, held), row in figures.items()
        if held == year and iso3 in joined and joined[iso3] <= year
    }
    return {
        iso3: 1 + sum(other > value for other in printed_shares.values())
        for iso3, value in printed_shares.items()
    }


@pytest.mark.parametrize("year", [2014, 2020, 2023, 2026])
def test_the_api_ranks_each_ally_among_the_allies_of_that_year_with_ties_shared(
    client, figures, year
):
    rows = results(client.get(f"/api/v1/progress/?year={year}"))
    ranks = expected_ranks(figures, year)

    published = {row["iso3"]: row["rank"] for row in rows if row["rank"] is not None}
    assert published == ranks
    # Ties are in the data: equal printed shares share a rank and the next rank is skipped.
    assert len(set(ranks.values())) < len(ranks)
