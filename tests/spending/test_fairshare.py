"""Fair share (spending/progress/fairshare.py): on hand-made frames and on the shipped 2026
edition, each expected value computed here by plain arithmetic on fixtures/figures.csv."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from spending.charts import chart_csv, fair_share_chart
from spending.progress import build_fair_share_frame

FIXTURES = Path(__file__).parents[2] / "fixtures"
AGGREGATES = ["NATO_TOTAL", "NATO_EUR_CAN"]
SHARES = [
    f"share_of_alliance_{measure}_{basis}_pct"
    for measure in ("defence", "gdp")
    for basis in ("current", "const2021")
]


def hand_members():
    return pd.DataFrame(
        [
            ("USA", "United States", 1949, True),
            ("AAA", "Founder", 1949, True),
            ("NEW", "Newcomer", 2021, True),
            ("ISL", "Iceland", 1949, False),
        ],
        columns=["iso3", "name", "accession_year", "reports_figures"],
    )


def hand_figures():
    rows = []
    for year, new_defence in ((2020, 10.0), (2021, 10.0)):
        rows += [
            ("USA", year, "actual", 60.0, 60.0, 1000.0, 1000.0, 2000.0),
            ("AAA", year, "estimate", 30.0, 20.0, 800.0, 600.0, 500.0),
            ("NEW", year, "actual", new_defence, new_defence, 200.0, 400.0, 100.0),
        ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "iso3",
            "year",
            "status",
            "defence_usd_current_m",
            "defence_usd_const2021_m",
            "gdp_usd_current_m",
            "gdp_usd_const2021_m",
            "defence_per_capita_const2021_usd",
        ],
    )
    frame["nato_share_of_gdp_pct"] = np.nan
    return frame


def row(frame, year, iso3=None, group=None):
    if iso3 is not None:
        chosen = frame[(frame["year"] == year) & (frame["iso3"] == iso3)]
    else:
        chosen = frame[(frame["year"] == year) & (frame["kind"] == "group")]
        chosen = chosen[chosen["group"] == group]
    assert len(chosen) == 1
    return chosen.iloc[0]


def test_it_gives_shares_of_the_allies_counted_that_year():
    frame = build_fair_share_frame(hand_figures(), hand_members())

    # 2021: all three count. Defence 60 + 20 + 10 = 90 at 2021 prices; GDP 1000 + 600 + 400.
    founder = row(frame, 2021, "AAA")
    assert founder["share_of_alliance_defence_const2021_pct"] == pytest.approx(100 * 20 / 90)
    assert founder["share_of_alliance_gdp_const2021_pct"] == pytest.approx(100 * 600 / 2000)
    assert founder["share_of_alliance_defence_current_pct"] == pytest.approx(100 * 30 / 100)
    assert founder["share_of_alliance_gdp_current_pct"] == pytest.approx(100 * 800 / 2000)
    assert founder["fair_share_ratio_const2021"] == pytest.approx((20 / 90) / (600 / 2000))
    assert founder["fair_share_ratio_current"] == pytest.approx((30 / 100) / (800 / 2000))
    assert founder["defence_per_capita_const2021_usd"] == 500.0
    # 2020: the newcomer is not an ally yet: 60 + 20 = 80, and it gets no share.
    assert row(frame, 2020, "AAA")["share_of_alliance_defence_const2021_pct"] == pytest.approx(
        100 * 20 / 80
    )
    newcomer = row(frame, 2020, "NEW")
    assert not newcomer["counted"]
    assert pd.isna(newcomer["share_of_alliance_defence_const2021_pct"])
    assert newcomer["defence_usd_const2021_m"] == 10.0
    assert "joined 2021" in newcomer["note"]


def test_the_us_and_europe_and_canada_split_the_alliance():
    frame = build_fair_share_frame(hand_figures(), hand_members())

    us = row(frame, 2021, group="united-states")
    rest = row(frame, 2021, group="europe-canada")
    assert us["share_of_alliance_defence_const2021_pct"] == pytest.approx(100 * 60 / 90)
    assert rest["share_of_alliance_defence_const2021_pct"] == pytest.approx(100 * 30 / 90)
    assert rest["share_of_alliance_gdp_const2021_pct"] == pytest.approx(100 * 1000 / 2000)
    assert rest["fair_share_ratio_const2021"] == pytest.approx((30 / 90) / 0.5)
    assert rest["allies_counted"] == 2
    assert rest["note"] == "Sum of the 2 allies counted in this group in 2021."
    assert us["note"] == "One ally counted in this group in 2021."
    assert row(frame, 2020, group="europe-canada")["allies_counted"] == 1
    # Any estimate among the group's allies makes the group's year an estimate.
    assert rest["status"] == "estimate"
    assert us["status"] == "actual"
    assert pd.isna(us["defence_per_capita_const2021_usd"])


def test_iceland_is_not_applicable_never_zero():
    frame = build_fair_share_frame(hand_figures(), hand_members())

    iceland = frame[frame["iso3"] == "ISL"]
    assert list(iceland["year"]) == [2020, 2021]
    assert not iceland["counted"].any()
    empty = iceland[[*SHARES, "defence_usd_const2021_m", "fair_share_ratio_const2021"]]
    assert empty.isna().all().all()
    assert iceland["note"].str.startswith("Not applicable").all()


def test_an_ally_known_only_by_its_reported_share_is_left_out_of_the_sums():
    figures = hand_figures()
    reported_only = (figures["iso3"] == "AAA") & (figures["year"] == 2021)
    figures.loc[reported_only, ["defence_usd_const2021_m", "gdp_usd_const2021_m"]] = np.nan
    figures.loc[reported_only, "nato_share_of_gdp_pct"] = 3.3

    frame = build_fair_share_frame(figures, hand_members())

    assert not row(frame, 2021, "AAA")["counted"]
    assert row(frame, 2021, "USA")["share_of_alliance_defence_const2021_pct"] == pytest.approx(
        100 * 60 / 70
    )


def test_no_figures_give_an_empty_frame():
    frame = build_fair_share_frame(hand_figures().iloc[0:0], hand_members())

    assert frame.empty
    assert "fair_share_ratio_const2021" in frame


def test_the_chart_plots_the_allies_counted_and_europe_and_canada():
    frame = build_fair_share_frame(hand_figures(), hand_members())

    chart = fair_share_chart(frame, 2021, "source")

    traces = {t["name"]: t for t in chart.figure["data"]}
    above = traces["More than its share of GDP (ratio 1 or above)"]
    below = traces["Less than its share of GDP (ratio below 1)"]
    # USA: 60/90 of defence against 1000/2000 of GDP; AAA 20/90 against 600/2000; NEW 10/90
    # against 400/2000.
    assert above["text"] == ["USA"]
    assert below["text"] == ["AAA", "NEW"]
    assert below["x"] == pytest.approx([30.0, 20.0])
    assert traces["Europe and Canada together"]["y"] == pytest.approx([100 * 30 / 90])
    assert [row[0] for row in chart.rows] == ["USA", "AAA", "NEW", "", ""]
    lines = chart_csv(chart).splitlines()
    assert lines[1] == "USA,United States,actual,50,66.67,1.33,2000"
    assert "ISL" not in chart_csv(chart)
    # Any estimate among the points: hollow markers, said in the title.
    assert below["marker"]["symbol"] == "square-open"
    assert "NATO estimates" in chart.figure["layout"]["title"]["text"]


# --- The shipped 2026 edition.


@pytest.fixture(scope="module")
def long():
    return pd.read_csv(FIXTURES / "figures.csv")


@pytest.fixture(scope="module")
def members():
    table = pd.read_csv(FIXTURES / "members.csv")
    return pd.DataFrame(
        {
            "iso3": table["iso3"],
            "name": table["name"],
            "accession_year": table["accession_date"].str[:4].astype(int),
            "reports_figures": table["nato_defexp_published"] == "yes",
        }
    )


@pytest.fixture(scope="module")
def shipped(long, members):
    status = long.groupby(["iso3", "year"])["status"].first()
    wide = long.pivot_table(index=["iso3", "year"], columns="metric", values="value")
    wide = wide.join(status).reset_index()
    wide.columns.name = None
    figures = wide[~wide["iso3"].isin(AGGREGATES)].reset_index(drop=True)
    return build_fair_share_frame(figures, members)


def test_fair_shares_sum_to_100_pct_every_year_held(shipped):
    allies = shipped[shipped["kind"] == "ally"]
    groups = shipped[shipped["kind"] == "group"]
    years = sorted(allies["year"].unique())

    assert years == list(range(2014, 2027))
    for share in SHARES:
        for part in (allies, groups):
            sums = part.groupby("year")[share].sum()
            assert sums.to_numpy() == pytest.approx([100.0] * len(years), abs=1e-9), share


def value(long, iso3, year, metric):
    rows = long[(long["iso3"] == iso3) & (long["year"] == year) & (long["metric"] == metric)]
    return float(rows["value"].iloc[0])


# Allies of every year 2014..2026 (none of Finland, Sweden, Montenegro or North Macedonia).
ALWAYS = [
    "ALB", "BEL", "BGR", "CAN", "HRV", "CZE", "DNK", "EST", "FRA", "DEU", "GRC", "HUN", "ITA",
    "LVA", "LTU", "LUX", "NLD", "NOR", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "TUR", "GBR",
    "USA",
]  # fmt: skip


@pytest.mark.parametrize(
    ("iso3", "year"), [("DEU", 2026), ("POL", 2026), ("USA", 2026), ("EST", 2024), ("FRA", 2014)]
)
def test_shares_match_plain_arithmetic_on_the_csv(long, shipped, iso3, year):
    counted = list(ALWAYS)
    if year >= 2017:
        counted.append("MNE")
    if year >= 2020:
        counted.append("MKD")
    if year >= 2023:
        counted.append("FIN")
    if year >= 2024:
        counted.append("SWE")
    got = row(shipped, year, iso3)
    for measure, basis in [("defence", "current"), ("defence", "const2021"), ("gdp", "current")]:
        metric = f"{measure}_usd_{basis}_m"
        total = sum(value(long, code, year, metric) for code in counted)
        expected = 100 * value(long, iso3, year, metric) / total
        assert got[f"share_of_alliance_{measure}_{basis}_pct"] == pytest.approx(expected)
    defence = sum(value(long, code, year, "defence_usd_const2021_m") for code in counted)
    gdp = sum(value(long, code, year, "gdp_usd_const2021_m") for code in counted)
    own = value(long, iso3, year, "defence_usd_const2021_m") / value(
        long, iso3, year, "gdp_usd_const2021_m"
    )
    assert got["fair_share_ratio_const2021"] == pytest.approx(own / (defence / gdp))
    assert got["defence_per_capita_const2021_usd"] == value(
        long, iso3, year, "defence_per_capita_const2021_usd"
    )


def test_the_us_against_europe_and_canada_in_2026_matches_plain_arithmetic(long, shipped):
    counted = [*ALWAYS, "MNE", "MKD", "FIN", "SWE"]
    metric = "defence_usd_const2021_m"
    total = sum(value(long, code, 2026, metric) for code in counted)
    us = value(long, "USA", 2026, metric)

    assert row(shipped, 2026, group="united-states")[
        "share_of_alliance_defence_const2021_pct"
    ] == pytest.approx(100 * us / total)
    assert row(shipped, 2026, group="europe-canada")[
        "share_of_alliance_defence_const2021_pct"
    ] == pytest.approx(100 * (total - us) / total)
    assert row(shipped, 2026, group="europe-canada")["allies_counted"] == 30
