"""spending.progress on small hand-made frames: no database, milliseconds."""

import math

import pandas as pd
import pytest

from spending.progress import (
    add_shares,
    build_alliance_frame,
    build_paths,
    build_progress_frame,
    count_allies_meeting,
    round_pct,
    share_of_gdp_pct,
    summarise_members,
)

METRICS = [
    "defence_nc_current_m",
    "defence_nc_const2021_m",
    "defence_usd_current_m",
    "defence_usd_const2021_m",
    "nato_share_of_gdp_pct",
    "nato_real_change_pct",
    "gdp_usd_current_m",
    "gdp_usd_const2021_m",
    "gdp_per_capita_const2021_kusd",
    "defence_per_capita_const2021_usd",
    "military_personnel_k",
    "equipment_share_pct",
    "personnel_share_pct",
    "infrastructure_share_pct",
    "other_share_pct",
    "related_usd_current_m",
]
TARGET_COLUMNS = ["slug", "threshold_pct", "basis", "measure", "kind", "deadline_year"]
GUIDELINE = ("guideline-2pct", 2.0, "gdp", "core_share_of_gdp_pct", "floor", 2024)
EQUIPMENT = ("equipment-20pct", 20.0, "defence", "equipment_share_pct", "floor", 2024)
CORE = ("core-3.5pct", 3.5, "gdp", "core_share_of_gdp_pct", "floor", 2035)
TOTAL = ("total-5pct", 5.0, "gdp", "total_share_of_gdp_pct", "floor", 2035)


def figure(iso3, year, share=None, gdp=1000.0, status="actual", **metrics):
    """One member-year; `share` sets constant-price defence from GDP, prices equal by default."""
    row = dict.fromkeys(METRICS, math.nan)
    row.update(iso3=iso3, year=year, status=status)
    row["gdp_usd_const2021_m"] = row["gdp_usd_current_m"] = gdp
    if share is not None:
        row["defence_usd_const2021_m"] = row["defence_usd_current_m"] = share / 100 * gdp
    row.update(metrics)
    return row


def figures(*rows):
    frame = pd.DataFrame(list(rows), columns=["iso3", "year", "status", *METRICS])
    frame[METRICS] = frame[METRICS].astype("float64")
    return frame


def series(iso3, shares, gdp=1000.0, **metrics):
    """A member's rows from {year: share}."""
    return [figure(iso3, year, share, gdp=gdp, **metrics) for year, share in shares.items()]


def targets(*rows):
    return pd.DataFrame(list(rows), columns=TARGET_COLUMNS)


def members(*rows):
    return pd.DataFrame(list(rows), columns=["iso3", "name", "accession_year", "reports_figures"])


def only(frame, **where):
    """The one row of frame matching column == value for every pair."""
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    assert mask.sum() == 1
    return frame[mask].iloc[0]


def is_null(value):
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


# Shares and rounding


@pytest.mark.parametrize(
    ("defence", "gdp", "expected"),
    [
        (20.0, 1000.0, 2.0),
        (35.0, 1000.0, 3.5),
        (0.0, 1000.0, 0.0),
        (20.0, 0.0, math.nan),
        (20.0, math.nan, math.nan),
        (20.0, None, math.nan),
        (math.nan, 1000.0, math.nan),
    ],
)
def test_it_computes_share_of_gdp_with_nan_for_a_missing_or_zero_gdp(defence, gdp, expected):
    share = share_of_gdp_pct(defence, gdp)

    if math.isnan(expected):
        assert math.isnan(share)
    else:
        assert share == pytest.approx(expected)


def test_it_computes_shares_on_series_without_ever_returning_inf():
    defence = pd.Series([20.0, 20.0, 20.0, math.nan])
    gdp = pd.Series([1000.0, 0.0, math.nan, 1000.0])

    share = share_of_gdp_pct(defence, gdp)

    assert share.iloc[0] == pytest.approx(2.0)
    assert share.iloc[1:].isna().all()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.995, 2.00),
        (1.994999, 1.99),
        (1.996, 2.00),
        (2.675, 2.68),
        (1.005, 1.01),
        (0.125, 0.13),
        (3.4949, 3.49),
        (2.0, 2.0),
        # Computed shares carry float artefacts: 100 * 40.3 / 2000 is 2.0149999999999997.
        (share_of_gdp_pct(40.3, 2000.0), 2.02),
    ],
)
def test_it_rounds_half_up_to_two_decimals_as_nato_prints(value, expected):
    assert round_pct(value) == expected


def test_it_rounds_a_series_and_keeps_missing_values_missing():
    rounded = round_pct(pd.Series([1.995, 1.994999, math.nan]))

    assert rounded.iloc[:2].tolist() == [2.00, 1.99]
    assert math.isnan(rounded.iloc[2])


def test_it_computes_core_share_from_constant_prices_not_current_prices():
    frame = figures(
        figure(
            "NLD",
            2024,
            defence_usd_const2021_m=20.2,
            gdp_usd_const2021_m=1000.0,
            defence_usd_current_m=18.0,
            gdp_usd_current_m=1000.0,
        )
    )

    assert add_shares(frame)["share_of_gdp_pct"].iloc[0] == pytest.approx(2.02)


def test_it_takes_the_total_share_as_core_only_while_related_spending_is_unknown():
    shared = add_shares(figures(figure("DEU", 2026, 2.5)))

    row = shared.iloc[0]
    assert not row["related_known"]
    assert math.isnan(row["related_share_of_gdp_pct"])
    assert row["total_share_of_gdp_pct"] == pytest.approx(2.5)


def test_it_adds_related_spending_at_current_prices_to_the_total_share_once_known():
    frame = figures(figure("DEU", 2026, 2.5, gdp_usd_current_m=1200.0, related_usd_current_m=12.0))

    row = add_shares(frame).iloc[0]
    assert row["related_known"]
    assert row["related_share_of_gdp_pct"] == pytest.approx(1.0)
    assert row["total_share_of_gdp_pct"] == pytest.approx(3.5)


def test_add_shares_leaves_its_input_untouched():
    frame = figures(figure("DEU", 2026, 2.5))

    add_shares(frame)

    assert "share_of_gdp_pct" not in frame


# Progress frame


@pytest.mark.parametrize(
    ("share", "met"),
    [
        (1.996, True),
        (1.995, True),
        (2.0, True),
        (1.994999, False),
        (1.5, False),
        (None, pd.NA),
    ],
)
def test_it_judges_the_target_on_the_share_rounded_as_printed(share, met):
    frame = figures(figure("POL", 2018, share, gdp=1000.0 if share is not None else math.nan))

    progress = build_progress_frame(frame, targets(GUIDELINE))

    assert progress["met"].tolist() == [met]


def test_it_computes_the_gap_in_points_and_in_current_usd():
    # Constant prices: 15 / 1000 = 1.50%. Current prices: 2% of 1200 = 24, minus 17 spent = 7.
    frame = figures(figure("ITA", 2024, 1.5, defence_usd_current_m=17.0, gdp_usd_current_m=1200.0))

    row = only(build_progress_frame(frame, targets(GUIDELINE)), year=2024)

    assert row["value_pct"] == pytest.approx(1.5)
    assert row["value_rounded_pct"] == 1.5
    assert not row["met"]
    assert row["gap_pp"] == pytest.approx(0.5)
    assert row["gap_usd_m"] == pytest.approx(7.0)
    assert row["note"] == ""


def test_it_reports_no_gap_for_a_member_above_the_target():
    frame = figures(figure("POL", 2024, 4.1))

    row = only(build_progress_frame(frame, targets(GUIDELINE)), year=2024)

    assert row["met"]
    assert row["gap_pp"] == 0
    assert row["gap_usd_m"] == 0


def test_it_measures_the_gap_from_the_rounded_value():
    frame = figures(figure("CZE", 2024, 1.985317))

    row = only(build_progress_frame(frame, targets(GUIDELINE)), year=2024)

    assert row["value_rounded_pct"] == 1.99
    assert row["gap_pp"] == pytest.approx(0.01)


def test_it_gives_no_usd_gap_for_a_share_of_defence_target():
    frame = figures(figure("ALB", 2024, 1.35, equipment_share_pct=16.65))

    row = only(build_progress_frame(frame, targets(EQUIPMENT)), year=2024)

    assert row["value_pct"] == pytest.approx(16.65)
    assert row["gap_pp"] == pytest.approx(3.35)
    assert math.isnan(row["gap_usd_m"])


def test_it_marks_a_year_without_gdp_as_unknown_not_missed():
    frame = figures(figure("LUX", 2024, None, gdp=math.nan, defence_usd_const2021_m=500.0))

    row = only(build_progress_frame(frame, targets(GUIDELINE)), year=2024)

    assert row["met"] is pd.NA
    assert math.isnan(row["gap_pp"])
    assert math.isnan(row["gap_usd_m"])
    assert row["note"] == "GDP missing"
    assert row["consecutive_years_met"] is pd.NA


def test_it_says_why_there_is_no_usd_gap_when_current_prices_are_missing():
    frame = figures(figure("ITA", 2024, 1.5, gdp_usd_current_m=math.nan))

    row = only(build_progress_frame(frame, targets(GUIDELINE)), year=2024)

    assert row["gap_pp"] == pytest.approx(0.5)
    assert math.isnan(row["gap_usd_m"])
    assert row["note"] == "current-price figures missing: no USD gap"


def test_it_notes_a_met_target_whose_current_price_spending_falls_short():
    # The Netherlands case (caveat C8): NATO deflates defence with its own deflator.
    frame = figures(figure("NLD", 2024, 2.02, defence_usd_current_m=18.0, gdp_usd_current_m=1000.0))

    row = only(build_progress_frame(frame, targets(GUIDELINE)), year=2024)

    assert row["met"]
    assert row["gap_usd_m"] == pytest.approx(2.0)
    assert "current-price spending is short" in row["note"]


def test_it_counts_the_first_year_met_and_runs_broken_by_a_miss_a_gap_and_a_missing_value():
    rows = series("POL", {2014: 2.1, 2015: 2.2, 2016: 1.9, 2017: 2.0, 2019: 2.1, 2020: 2.1})
    rows.append(figure("POL", 2021, None, gdp=math.nan))
    rows.append(figure("POL", 2022, 2.3))
    frame = figures(*rows)

    progress = build_progress_frame(frame, targets(GUIDELINE))

    # 2018 has no row at all and 2021 has no value: both break the run.
    assert progress["year"].tolist() == [2014, 2015, 2016, 2017, 2019, 2020, 2021, 2022]
    assert progress["met"].tolist() == [True, True, False, True, True, True, pd.NA, True]
    assert progress["consecutive_years_met"].tolist() == [1, 2, 0, 1, 1, 2, pd.NA, 1]
    assert progress["first_year_met"].tolist() == [2014] * 8


def test_it_leaves_first_year_met_empty_until_the_first_year_met():
    frame = figures(*series("ESP", {2023: 1.17, 2024: 1.42, 2025: 2.0}))

    progress = build_progress_frame(frame, targets(GUIDELINE))

    assert progress["first_year_met"].tolist() == [pd.NA, pd.NA, 2025]
    assert progress["consecutive_years_met"].tolist() == [0, 0, 1]


def test_it_measures_the_total_target_on_core_only_with_a_note_while_related_is_unknown():
    frame = figures(figure("DEU", 2026, 2.5, defence_usd_current_m=25.0))

    row = only(build_progress_frame(frame, targets(TOTAL)), year=2026)

    assert row["value_pct"] == pytest.approx(2.5)
    assert row["gap_pp"] == pytest.approx(2.5)
    assert row["gap_usd_m"] == pytest.approx(25.0)
    assert row["note"] == "related spending not published: core defence only"


def test_it_measures_the_total_target_on_core_plus_related_once_related_is_known():
    frame = figures(figure("DEU", 2026, 2.5, related_usd_current_m=10.0))

    row = only(build_progress_frame(frame, targets(TOTAL)), year=2026)

    # 2.5% core + 1.0% related; USD gap: 5% of 1000 = 50, minus 25 core and 10 related.
    assert row["value_pct"] == pytest.approx(3.5)
    assert row["gap_usd_m"] == pytest.approx(15.0)
    assert row["note"] == ""


def test_it_treats_a_ceiling_as_met_at_or_below_the_threshold():
    ceiling = ("related-1.5pct", 1.5, "gdp", "core_share_of_gdp_pct", "ceiling", 2035)
    frame = figures(figure("DEU", 2025, 1.2), figure("DEU", 2026, 1.8))

    progress = build_progress_frame(frame, targets(ceiling))

    assert progress["met"].tolist() == [True, False]
    assert progress["gap_pp"].tolist() == pytest.approx([0.0, 0.3])


def test_it_returns_one_sorted_row_per_member_year_and_target_with_nullable_types():
    frame = figures(*series("POL", {2024: 4.1, 2025: 4.2}), *series("ALB", {2025: 1.5}))

    progress = build_progress_frame(frame, targets(GUIDELINE, CORE, EQUIPMENT))

    assert len(progress) == 3 * 3
    keys = list(progress[["iso3", "target", "year"]].itertuples(index=False, name=None))
    assert keys == sorted(keys)
    assert str(progress["met"].dtype) == "boolean"
    assert str(progress["first_year_met"].dtype) == "Int64"
    assert str(progress["consecutive_years_met"].dtype) == "Int64"


def test_it_rejects_a_target_with_an_unknown_measure():
    odd = ("odd", 2.0, "gdp", "share_of_pensions_pct", "floor", 2030)

    with pytest.raises(ValueError, match="share_of_pensions_pct"):
        build_progress_frame(figures(figure("POL", 2024, 4.1)), targets(odd))


# Paths


def path_of(rows, target, **kwargs):
    paths = build_paths(figures(*rows), targets(target), **kwargs)
    assert len(paths) == 1
    return paths.iloc[0]


def test_it_computes_the_required_points_per_year_and_real_growth_by_hand():
    # GDP grows 2% a year: 1000 in 2021, 1000 * 1.02**5 = 1104.0808032 in 2026.
    rows = series("ESP", {2021: 2.0, 2022: 2.0, 2023: 2.0, 2024: 2.0, 2025: 2.0}, gdp=1000.0)
    rows.append(figure("ESP", 2026, 2.0, gdp=1104.0808032))

    path = path_of(rows, CORE)

    assert path["y0"] == 2026
    assert path["n_years"] == 9
    assert path["s0"] == pytest.approx(2.0)
    assert path["required_pp_per_year"] == pytest.approx(1.5 / 9)
    assert path["gdp_growth_pct"] == pytest.approx(2.0)
    # 100 * ((3.5 / 2.0) ** (1 / 9) * 1.02 - 1)
    assert path["required_real_growth_pct_per_year"] == pytest.approx(8.5436444699)


@pytest.mark.parametrize(
    ("share_2021", "slope", "threshold", "projected_year"),
    [
        # 2.5% in 2026 + 0.1 * 10 = 3.5% exactly in 2036.
        (2.0, 0.1, 3.5, 2036),
        # Exact hits whose fitted year comes out a hair late (2061.0000000000005, ...):
        # float noise must not push them a year later.
        (2.7, 0.02, 3.5, 2061),
        (3.3, 0.01, 3.5, 2041),
        # The line reaches 3.45% in 2035.5: the first whole year at or above it is 2036.
        (2.0, 0.1, 3.45, 2036),
    ],
)
def test_it_projects_the_first_whole_year_a_linear_trend_reaches_the_target(
    share_2021, slope, threshold, projected_year
):
    shares = {year: share_2021 + slope * (year - 2021) for year in range(2021, 2027)}
    target = ("core", threshold, "gdp", "core_share_of_gdp_pct", "floor", 2035)

    path = path_of(series("DEU", shares), target)

    assert path["trend_slope_pp_per_year"] == pytest.approx(slope)
    assert path["projected_year"] == projected_year
    assert path["note"] == ""


def test_it_never_projects_a_year_before_y0():
    # The fitted line crosses 3.45% in 2024.3, but Y0 is 2026 and still below.
    shares = {2023: 1.0, 2024: 5.0, 2025: 5.0, 2026: 3.4}
    target = ("core-3.45pct", 3.45, "gdp", "core_share_of_gdp_pct", "floor", 2035)

    path = path_of(series("DEU", shares), target)

    assert path["trend_slope_pp_per_year"] == pytest.approx(0.72)
    assert path["projected_year"] == 2026


def test_it_fits_the_trend_on_the_last_six_years_only():
    rising = {year: 2.0 + 0.1 * (year - 2021) for year in range(2021, 2027)}
    shares = {2019: 9.0, 2020: 0.0, **rising}

    path = path_of(series("DEU", shares), CORE)

    assert path["trend_slope_pp_per_year"] == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("shares", "projected_year", "note"),
    [
        ({2024: 3.0, 2025: 3.4, 2026: 3.496}, pd.NA, "already met"),
        ({2024: 2.6, 2025: 2.5, 2026: 2.4}, pd.NA, "not at current trend"),
        ({2024: 2.5, 2025: 2.5, 2026: 2.5}, pd.NA, "not at current trend"),
        ({2024: 1.98, 2025: 1.99, 2026: 2.0}, pd.NA, "later than 2100"),
        ({2026: 2.0}, pd.NA, "not enough years for a trend"),
    ],
)
def test_it_explains_why_there_is_no_projected_year(shares, projected_year, note):
    path = path_of(series("FRA", shares), CORE)

    assert path["projected_year"] is projected_year
    assert note in path["note"].split("; ")


@pytest.mark.parametrize(
    ("shares", "projected_year"),
    [
        # 0.02 pp a year from 2.02% in 2026 reaches 3.5% in 2026 + 1.48 / 0.02 = 2100: kept.
        ({2025: 2.0, 2026: 2.02}, 2100),
        # From 2.0% it reaches 3.5% in 2101: past the horizon.
        ({2025: 1.98, 2026: 2.0}, None),
    ],
)
def test_a_projection_landing_in_2100_is_kept_and_one_in_2101_is_not(shares, projected_year):
    path = path_of(series("FRA", shares), CORE)

    projected = path["projected_year"]
    assert (None if pd.isna(projected) else int(projected)) == projected_year


@pytest.mark.parametrize(
    ("shares", "projected_year"),
    [
        # 0.25 pp a year from 2.45% in 2026 reaches 3.5% at 2030.2: not before 2031.
        ({2025: 2.2, 2026: 2.45}, 2031),
        # From 2.5% it reaches 3.5% at exactly 2030.0: 2030, float noise must not make it 2031.
        ({2025: 2.25, 2026: 2.5}, 2030),
    ],
)
def test_a_projection_is_the_first_whole_year_at_or_after_the_line_reaches_the_target(
    shares, projected_year
):
    path = path_of(series("FRA", shares), CORE)

    assert path["projected_year"] == projected_year


def test_it_projects_beyond_2100_when_the_horizon_is_moved():
    shares = {2024: 1.98, 2025: 1.99, 2026: 2.0}

    path = path_of(series("FRA", shares), CORE, horizon_year=2200)

    # 2.0 + 0.01 * 150 = 3.5 in 2176.
    assert path["projected_year"] == 2176


def test_it_asks_for_no_extra_points_once_the_target_is_met():
    path = path_of(series("POL", {2025: 4.2, 2026: 4.7}), CORE)

    # Nothing is required of an ally above the target: null with the reason, not 0 or less.
    assert math.isnan(path["required_pp_per_year"])
    assert path["required_pp_note"] == "already met"
    assert math.isnan(path["required_real_growth_pct_per_year"])
    assert path["required_real_growth_note"] == "already met"
    assert path["projected_year"] is pd.NA
    assert path["trend_note"] == "already met"
    assert "already met" in path["note"]


def test_it_notes_fewer_than_six_years_of_gdp_and_still_fits_a_trend():
    shares = {2023: 2.0, 2024: 2.2, 2025: 2.4, 2026: 2.6}

    path = path_of(series("FIN", shares), CORE)

    assert math.isnan(path["gdp_growth_pct"])
    assert math.isnan(path["required_real_growth_pct_per_year"])
    assert path["required_pp_per_year"] == pytest.approx(0.9 / 9)
    assert path["trend_slope_pp_per_year"] == pytest.approx(0.2)
    # 2.6 + 0.2 * 4.5 = 3.5 in 2030.5.
    assert path["projected_year"] == 2031
    assert path["note"] == "fewer than 6 years of data"


def test_it_gives_no_growth_rate_from_a_zero_share():
    shares = {year: 0.0 for year in range(2021, 2027)}

    path = path_of(series("ISX", shares), CORE)

    assert path["required_pp_per_year"] == pytest.approx(3.5 / 9)
    assert math.isnan(path["required_real_growth_pct_per_year"])
    assert path["note"] == (
        "share is zero: no growth rate reaches the target; not at current trend"
    )


def test_it_takes_y0_as_the_newest_year_with_a_value():
    rows = series("LUX", {2023: 1.0, 2024: 1.2})
    rows.append(figure("LUX", 2025, None, gdp=math.nan, status="estimate"))

    path = path_of(rows, CORE)

    assert path["y0"] == 2024
    assert path["y0_status"] == "actual"
    assert path["n_years"] == 11


@pytest.mark.parametrize(
    ("share", "required_pp_per_year", "note"),
    [
        (3.0, math.nan, "deadline year reached"),
        (3.6, math.nan, "already met"),
    ],
)
def test_it_asks_nothing_per_year_when_y0_is_the_deadline(share, required_pp_per_year, note):
    shares = {2035 - back: share - 0.1 * back for back in range(6)}

    path = path_of(series("NOR", shares), CORE)

    assert path["n_years"] == 0
    assert path["required_pp_per_year"] == pytest.approx(required_pp_per_year, nan_ok=True)
    assert math.isnan(path["required_real_growth_pct_per_year"])
    assert path["note"] == note


def test_it_gives_only_a_note_once_the_deadline_has_passed():
    path = path_of(series("ITA", {2025: 2.09, 2026: 2.1}), GUIDELINE)

    assert path["y0"] == 2026
    assert path["note"] == "deadline 2024 has passed"
    assert path["n_years"] is pd.NA
    assert path["projected_year"] is pd.NA
    for column in ("required_pp_per_year", "gdp_growth_pct", "trend_slope_pp_per_year"):
        assert math.isnan(path[column])


def test_it_gives_no_real_growth_for_a_share_of_defence_target():
    equipment_2030 = ("equipment-30pct", 30.0, "defence", "equipment_share_pct", "floor", 2030)
    rows = [figure("ALB", year, 1.3, equipment_share_pct=20.0) for year in range(2021, 2027)]

    path = path_of(rows, equipment_2030)

    assert path["required_pp_per_year"] == pytest.approx(10.0 / 4)
    assert math.isnan(path["required_real_growth_pct_per_year"])


def test_it_gives_a_path_row_with_a_note_for_a_member_without_any_value():
    path = path_of([figure("LUX", 2025, None, gdp=math.nan)], CORE)

    assert path["y0"] is pd.NA
    assert path["note"] == "no data"


# Alliance


def test_it_counts_a_member_in_the_alliance_only_from_its_accession_year():
    frame = figures(
        figure("USA", 2022, 3.0, military_personnel_k=1300.0),
        figure("USA", 2023, 3.0, military_personnel_k=1300.0),
        figure("FIN", 2022, 2.0, military_personnel_k=20.0),
        figure("FIN", 2023, 2.0, military_personnel_k=20.0, status="estimate"),
    )
    allies = members(("USA", "United States", 1949, True), ("FIN", "Finland", 2023, True))

    alliance = build_alliance_frame(frame, allies)

    assert alliance["year"].tolist() == [2022, 2023]
    assert alliance["allies_with_data"].tolist() == [1, 2]
    assert alliance["defence_usd_const2021_m"].tolist() == pytest.approx([30.0, 50.0])
    assert alliance["gdp_usd_const2021_m"].tolist() == pytest.approx([1000.0, 2000.0])
    assert alliance["share_of_gdp_pct"].tolist() == pytest.approx([3.0, 2.5])
    assert alliance["military_personnel_k"].tolist() == pytest.approx([1300.0, 1320.0])
    assert alliance["status"].tolist() == ["actual", "estimate"]


def test_it_splits_the_alliance_into_the_us_and_europe_and_canada():
    frame = figures(
        figure("USA", 2024, 3.0, gdp=2000.0),
        figure("DEU", 2024, 2.0, gdp=1000.0),
        figure("CAN", 2024, 1.0, gdp=1000.0),
    )
    allies = members(
        ("USA", "United States", 1949, True),
        ("DEU", "Germany", 1955, True),
        ("CAN", "Canada", 1949, True),
    )

    row = build_alliance_frame(frame, allies).iloc[0]

    assert row["us_defence_usd_current_m"] == pytest.approx(60.0)
    assert row["europe_canada_defence_usd_current_m"] == pytest.approx(30.0)
    assert row["europe_canada_defence_usd_const2021_m"] == pytest.approx(30.0)
    assert row["us_share_of_alliance_defence_pct"] == pytest.approx(200 / 3)
    assert row["europe_canada_share_of_alliance_defence_pct"] == pytest.approx(100 / 3)
    assert row["us_share_of_gdp_pct"] == pytest.approx(3.0)
    assert row["europe_canada_share_of_gdp_pct"] == pytest.approx(1.5)
    assert row["share_of_gdp_pct"] == pytest.approx(90 / 40)


def test_it_leaves_a_member_without_a_share_out_of_the_alliance_sums():
    frame = figures(
        figure("USA", 2024, 3.0),
        figure("LUX", 2024, None, gdp=math.nan, defence_usd_const2021_m=500.0),
    )
    allies = members(("USA", "United States", 1949, True), ("LUX", "Luxembourg", 1949, True))

    row = build_alliance_frame(frame, allies).iloc[0]

    assert row["allies_with_data"] == 1
    assert row["defence_usd_const2021_m"] == pytest.approx(30.0)


# Counts


def test_it_counts_allies_meeting_a_target_over_allies_with_a_value_that_year():
    frame = figures(
        figure("POL", 2023, 3.9),
        figure("ITA", 2023, 1.5),
        figure("LUX", 2023, None, gdp=math.nan),
        figure("SWE", 2023, 2.1),
        figure("ISL", 2023, 2.5),
    )
    allies = members(
        ("POL", "Poland", 1999, True),
        ("ITA", "Italy", 1949, True),
        ("LUX", "Luxembourg", 1949, True),
        ("SWE", "Sweden", 2024, True),
        ("ISL", "Iceland", 1949, False),
    )
    progress = build_progress_frame(frame, targets(GUIDELINE))

    counts = count_allies_meeting(progress, frame, allies)

    # Luxembourg has no value, Sweden joined in 2024 and Iceland publishes no figures.
    row = only(counts, year=2023, target="guideline-2pct")
    assert (row["allies_met"], row["allies_with_data"], row["allies_not_met"]) == (1, 2, 1)


def test_it_counts_zero_for_a_target_nobody_has_a_value_for_that_year():
    frame = figures(figure("POL", 2023, 3.9), figure("POL", 2024, 4.1, equipment_share_pct=50.0))
    allies = members(("POL", "Poland", 1999, True))
    progress = build_progress_frame(frame, targets(GUIDELINE, EQUIPMENT))

    counts = count_allies_meeting(progress, frame, allies)

    assert len(counts) == 4
    row = only(counts, year=2023, target="equipment-20pct")
    assert (row["allies_met"], row["allies_with_data"], row["allies_not_met"]) == (0, 0, 0)
    assert only(counts, year=2024, target="equipment-20pct")["allies_met"] == 1


# Member summary


def summary_fixture():
    frame = figures(
        *series("DEU", {2024: 2.0002, 2025: 2.22}),
        *series("POL", {2024: 4.12, 2025: 4.25}),
        figure("LUX", 2024, 1.29),
        figure("LUX", 2025, None, gdp=math.nan, status="estimate"),
    )
    allies = members(
        ("DEU", "Germany", 1955, True),
        ("POL", "Poland", 1999, True),
        ("LUX", "Luxembourg", 1949, True),
        ("ISL", "Iceland", 1949, False),
    )
    return frame, allies, targets(GUIDELINE, CORE)


def test_it_summarises_every_member_including_iceland_with_nulls():
    frame, allies, goals = summary_fixture()

    summary = summarise_members(frame, allies, goals)

    assert summary.members["iso3"].tolist() == ["DEU", "POL", "LUX", "ISL"]
    iceland = only(summary.members, iso3="ISL")
    assert not iceland["reports_figures"]
    assert all(is_null(iceland[column]) for column in ("year", "share_of_gdp_pct", "rank"))
    iceland_targets = summary.targets[summary.targets["iso3"] == "ISL"]
    assert len(iceland_targets) == 2
    assert iceland_targets["met"].isna().all()
    assert iceland_targets["gap_pp"].isna().all()


def test_it_summarises_each_member_at_its_newest_year_with_a_share_and_ranks_them():
    frame, allies, goals = summary_fixture()

    members_summary = summarise_members(frame, allies, goals).members

    germany = only(members_summary, iso3="DEU")
    assert (germany["year"], germany["status"]) == (2025, "actual")
    assert germany["share_of_gdp_rounded_pct"] == 2.22
    assert germany["rank"] == 2
    assert only(members_summary, iso3="POL")["rank"] == 1
    luxembourg = only(members_summary, iso3="LUX")
    assert luxembourg["year"] == 2024
    assert luxembourg["rank"] == 3


def test_it_summarises_targets_with_the_same_numbers_as_progress_and_paths():
    frame, allies, goals = summary_fixture()

    summary = summarise_members(frame, allies, goals)

    progress = build_progress_frame(frame, goals)
    progress_row = only(progress, iso3="DEU", target="guideline-2pct", year=2025)
    path_row = only(build_paths(frame, goals), iso3="DEU", target="core-3.5pct")
    germany_2pct = only(summary.targets, iso3="DEU", target="guideline-2pct")
    germany_core = only(summary.targets, iso3="DEU", target="core-3.5pct")
    assert germany_2pct["met"]
    assert germany_2pct["first_year_met"] == progress_row["first_year_met"] == 2024
    assert germany_2pct["consecutive_years_met"] == 2
    assert germany_2pct["path_note"] == "deadline 2024 has passed"
    assert germany_core["gap_pp"] == pytest.approx(3.5 - 2.22)
    assert germany_core["required_pp_per_year"] == path_row["required_pp_per_year"]
    assert germany_core["projected_year"] == path_row["projected_year"]


def test_it_serialises_the_summary_as_nested_plain_values():
    frame, allies, goals = summary_fixture()

    nested = summarise_members(frame, allies, goals).to_dict()

    assert set(nested) == {"DEU", "POL", "LUX", "ISL"}
    assert nested["ISL"]["reports_figures"] is False
    assert nested["ISL"]["share_of_gdp_pct"] is None
    assert nested["ISL"]["targets"]["guideline-2pct"]["met"] is None
    assert nested["DEU"]["targets"]["guideline-2pct"]["met"] is True
    assert nested["DEU"]["targets"]["core-3.5pct"]["n_years"] == 10
    assert type(nested["DEU"]["year"]) is int
