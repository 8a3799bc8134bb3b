"""spending.progress against NATO's own published numbers (fixtures/, the 2026 edition).

NATO prints Table 3 shares and the "NATO Total" / "NATO Europe and Canada" rows; our maths
must reproduce them from the member rows, within the rounding of the published inputs.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from spending.progress import (
    add_shares,
    build_alliance_frame,
    build_progress_frame,
    count_allies_meeting,
)

FIXTURES = Path(__file__).parents[2] / "fixtures"
AGGREGATES = ["NATO_TOTAL", "NATO_EUR_CAN"]
YEARS = list(range(2014, 2027))
GUIDELINE = pd.DataFrame(
    [("guideline-2pct", 2.0, "gdp", "core_share_of_gdp_pct", "floor", 2024)],
    columns=["slug", "threshold_pct", "basis", "measure", "kind", "deadline_year"],
)


@pytest.fixture(scope="module")
def published():
    """fixtures/figures.csv pivoted to one row per iso3-year, aggregates included."""
    long = pd.read_csv(FIXTURES / "figures.csv")
    status = long.groupby(["iso3", "year"])["status"].first()
    wide = long.pivot_table(index=["iso3", "year"], columns="metric", values="value")
    wide = wide.join(status).reset_index()
    wide.columns.name = None
    wide["related_usd_current_m"] = np.nan
    return wide


@pytest.fixture(scope="module")
def figures(published):
    return published[~published["iso3"].isin(AGGREGATES)].reset_index(drop=True)


@pytest.fixture(scope="module")
def aggregates(published):
    return published[published["iso3"].isin(AGGREGATES)].set_index(["iso3", "year"])


@pytest.fixture(scope="module")
def members():
    table = pd.read_csv(FIXTURES / "members.csv")
    return pd.DataFrame(
        {
            "iso3": table["iso3"],
            "name": table["name"],
            "accession_year": pd.to_datetime(table["accession_date"]).dt.year,
            "reports_figures": table["nato_defexp_published"] == "yes",
        }
    )


def within(ours, theirs, tolerance):
    """True when both series have every year 2014-2026 and differ by at most tolerance."""
    difference = (ours.reindex(YEARS) - theirs.reindex(YEARS)).abs()
    # 3285.2 - 3284.9 is 0.3000000000002 in floats: a rounding difference of exactly 0.3 passes.
    return bool((difference <= tolerance + 1e-9).all())


def test_it_reproduces_natos_table_3_share_for_every_ally_year(figures):
    shared = add_shares(figures)

    difference = (shared["share_of_gdp_pct"] - shared["nato_share_of_gdp_pct"]).abs()

    # 31 allies x 13 years; Iceland has no rows (no armed forces).
    assert len(shared) == 403
    assert difference.notna().sum() == 403
    assert difference.max() <= 0.01


def test_it_judges_the_2pct_guideline_as_natos_printed_share_does(figures):
    progress = build_progress_frame(figures, GUIDELINE)

    printed = progress.merge(figures[["iso3", "year", "nato_share_of_gdp_pct"]])

    assert (printed["met"] == (printed["nato_share_of_gdp_pct"] >= 2.0)).all()


def test_it_sums_allies_from_their_accession_year_to_natos_total(figures, members, aggregates):
    alliance = build_alliance_frame(figures, members).set_index("year")
    total = aggregates.loc["NATO_TOTAL"]

    assert alliance.index.tolist() == YEARS
    assert within(alliance["defence_usd_current_m"], total["defence_usd_current_m"], 3)
    assert within(alliance["defence_usd_const2021_m"], total["defence_usd_const2021_m"], 3)
    assert within(alliance["military_personnel_k"], total["military_personnel_k"], 0.3)


def test_it_sums_allies_but_the_us_to_natos_europe_and_canada(figures, members, aggregates):
    alliance = build_alliance_frame(figures, members).set_index("year")
    without_us = build_alliance_frame(figures[figures["iso3"] != "USA"], members)
    europe_canada = aggregates.loc["NATO_EUR_CAN"]

    for column in ("defence_usd_current_m", "defence_usd_const2021_m"):
        assert within(alliance[f"europe_canada_{column}"], europe_canada[column], 3)
    personnel = without_us.set_index("year")["military_personnel_k"]
    assert within(personnel, europe_canada["military_personnel_k"], 0.3)


def test_natos_gdp_aggregates_exceed_the_allies_sum_by_icelands_gdp(figures, members, aggregates):
    # Caveat C9 (fixtures/source/sources.md): NATO's GDP aggregates include Iceland's GDP
    # although Iceland has no defence figures, so they exceed our sum by USD 18-43bn a year.
    alliance = build_alliance_frame(figures, members).set_index("year")
    without_us = build_alliance_frame(figures[figures["iso3"] != "USA"], members)
    ours = {"NATO_TOTAL": alliance, "NATO_EUR_CAN": without_us.set_index("year")}

    for aggregate, sums in ours.items():
        for column in ("gdp_usd_current_m", "gdp_usd_const2021_m"):
            difference = aggregates.loc[aggregate][column] - sums[column].reindex(YEARS)
            assert (difference > 0).all()
            assert (difference < 50_000).all()


def test_it_counts_the_allies_at_2pct_with_every_ally_in_the_denominator(figures, members):
    progress = build_progress_frame(figures, GUIDELINE)

    counts = count_allies_meeting(progress, figures, members).set_index("year")

    # Montenegro counts from 2017, North Macedonia 2020, Finland 2023, Sweden 2024.
    assert counts.loc[2014, "allies_with_data"] == 27
    assert counts.loc[2024, "allies_with_data"] == 31
    assert counts.loc[2024, "allies_met"] == 17
    assert counts.loc[2025, "allies_met"] == 28
