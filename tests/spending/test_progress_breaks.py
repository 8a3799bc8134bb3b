"""Growth, trends and projections never span a break in a series (spending/progress/paths.py)."""

import math

import pandas as pd
import pytest

from spending.progress import build_paths, build_trend_line
from tests.spending.test_progress import CORE, EQUIPMENT, figure, figures, targets

BREAK_COLUMNS = ["iso3", "series", "year", "edition", "reason", "source"]


def breaks(*rows):
    return pd.DataFrame(
        [
            (iso3, series, year, "", "Denominator changed.", "A ministry")
            for iso3, series, year in rows
        ],
        columns=BREAK_COLUMNS,
    )


def rising(iso3, first, last, start=1.0, step=0.1, gdp=1000.0, growth=0.02):
    """Shares rising by `step` a year, GDP growing by `growth` a year."""
    return [
        figure(iso3, year, start + step * (year - first), gdp=gdp * (1 + growth) ** (year - first))
        for year in range(first, last + 1)
    ]


def path_of(rows, target, the_breaks=None):
    paths = build_paths(figures(*rows), targets(target), breaks=the_breaks)
    assert len(paths) == 1
    return paths.iloc[0]


def test_without_a_break_it_computes_growth_trend_and_projection():
    path = path_of(rising("LUX", 2014, 2026), CORE)

    assert path["gdp_growth_pct"] == pytest.approx(2.0)
    assert path["trend_slope_pp_per_year"] == pytest.approx(0.1)
    # 2.2 in 2026 + 0.1 a year reaches 3.5 in 2039.
    assert path["projected_year"] == 2039
    assert path["break_year"] is pd.NA


def test_a_break_inside_the_window_nulls_growth_trend_and_projection_with_the_reason():
    path = path_of(rising("LUX", 2014, 2026), CORE, breaks(("LUX", "gdp", 2023)))

    assert math.isnan(path["gdp_growth_pct"])
    assert math.isnan(path["required_real_growth_pct_per_year"])
    assert math.isnan(path["trend_slope_pp_per_year"])
    assert path["projected_year"] is pd.NA
    assert path["break_year"] == 2023
    assert path["gdp_growth_note"] == (
        "series break in 2023: not enough comparable years for GDP growth "
        "(4 since the break, 6 needed)"
    )
    assert path["trend_note"].startswith("series break in 2023: not enough comparable years")
    assert path["required_real_growth_note"] == path["gdp_growth_note"]
    assert path["break_reason"] == "Denominator changed. Source: A ministry."
    # The required rise needs only the base year: it stays.
    assert path["required_pp_per_year"] == pytest.approx((3.5 - 2.2) / 9)


def test_a_break_just_far_enough_back_leaves_six_comparable_years():
    # Break in 2021, y0 2026: 2021-2026 is six years, the whole window.
    path = path_of(rising("LUX", 2014, 2026), CORE, breaks(("LUX", "gdp", 2021)))

    assert path["gdp_growth_pct"] == pytest.approx(2.0)
    assert path["trend_slope_pp_per_year"] == pytest.approx(0.1)
    assert path["projected_year"] == 2039


def test_a_break_one_year_later_is_one_year_short():
    path = path_of(rising("LUX", 2014, 2026), CORE, breaks(("LUX", "gdp", 2022)))

    assert math.isnan(path["gdp_growth_pct"])
    assert "(5 since the break, 6 needed)" in path["trend_note"]


def test_a_gdp_break_does_not_touch_a_share_of_defence():
    rows = [
        figure("LUX", year, 1.0, equipment_share_pct=10.0 + year - 2014)
        for year in range(2014, 2027)
    ]

    path = path_of(rows, EQUIPMENT, breaks(("LUX", "gdp", 2023)))

    assert path["break_year"] is pd.NA


def test_another_members_break_changes_nothing():
    path = path_of(rising("EST", 2014, 2026), CORE, breaks(("LUX", "gdp", 2023)))

    assert path["projected_year"] == 2039


def test_the_trend_line_is_not_drawn_across_a_break():
    years = list(range(2014, 2027))
    values = [1.0 + 0.1 * (year - 2014) for year in years]

    assert build_trend_line(years, values, 2035, break_year=2023) == []
    line = build_trend_line(years, values, 2035, break_year=2021)
    assert line[0][0] == 2021
    assert line[-1] == (2035, pytest.approx(3.1))
