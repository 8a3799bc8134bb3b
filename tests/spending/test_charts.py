"""The figure builders on small hand-made frames: no database."""

import datetime
import json

import pandas as pd
import pytest

from spending import charts, progress
from spending.charts import ally

SOURCE = "Source: test."
TARGETS = [
    {
        "slug": "guideline-2pct",
        "name": "2% of GDP",
        "threshold_pct": 2.0,
        "basis": "gdp",
        "measure": "core_share_of_gdp_pct",
        "kind": "floor",
        "deadline_year": 2024,
    },
    {
        "slug": "equipment-20pct",
        "name": "20% on equipment",
        "threshold_pct": 20.0,
        "basis": "defence",
        "measure": "equipment_share_pct",
        "kind": "floor",
        "deadline_year": 2024,
    },
    {
        "slug": "core-3.5pct",
        "name": "3.5% core",
        "threshold_pct": 3.5,
        "basis": "gdp",
        "measure": "core_share_of_gdp_pct",
        "kind": "floor",
        "deadline_year": 2035,
    },
    {
        "slug": "total-5pct",
        "name": "5% in all",
        "threshold_pct": 5.0,
        "basis": "gdp",
        "measure": "total_share_of_gdp_pct",
        "kind": "floor",
        "deadline_year": 2035,
    },
]
MEMBERS = pd.DataFrame(
    {
        "iso3": ["AAA", "BBB", "ISL"],
        "name": ["Aland", "Bravia", "Iceland"],
        "accession_year": [1949, 2020, 1949],
        "reports_figures": [True, True, False],
    }
)


def figure_row(iso3, year, defence, gdp=100.0, status="actual", equipment=25.0):
    return {
        "iso3": iso3,
        "year": year,
        "status": status,
        "defence_usd_current_m": defence,
        "defence_usd_const2021_m": defence,
        "gdp_usd_current_m": gdp,
        "gdp_usd_const2021_m": gdp,
        "military_personnel_k": 1.0,
        "equipment_share_pct": equipment,
        "personnel_share_pct": 40.0,
        "infrastructure_share_pct": 5.0,
        "other_share_pct": 30.0,
        "nato_share_of_gdp_pct": float("nan"),
        "related_usd_current_m": float("nan"),
    }


def make_figures():
    rows = []
    for offset, year in enumerate(range(2018, 2027)):
        status = "estimate" if year >= 2025 else "actual"
        rows.append(figure_row("AAA", year, 1.5 + 0.2 * offset, status=status))
        rows.append(figure_row("BBB", year, 2.5 + 0.25 * offset, status=status))
    return pd.DataFrame(rows)


def targets_frame():
    return pd.DataFrame(TARGETS)


def history_of(iso3):
    figures = make_figures()
    described = progress.describe_member(figures, MEMBERS, targets_frame(), iso3)
    return described["history"], described["summary"], described["targets"]


def traces_named(figure, text):
    return [trace for trace in figure["data"] if text in trace.get("name", "")]


def test_the_share_chart_draws_actuals_solid_and_estimates_dashed_and_hollow():
    history, summary, targets = history_of("AAA")
    chart = charts.share_over_time_chart(history, summary, targets, "Aland", SOURCE)
    actual, estimate = chart.figure["data"][:2]
    assert actual["name"] == "Share of GDP"
    assert "dash" not in actual["line"]
    assert estimate["name"] == "Share of GDP (NATO estimate)"
    assert estimate["line"]["dash"] == "dash"
    assert estimate["marker"]["symbol"] == "circle-open"
    # Actual line stops at 2024, the estimate line runs 2024 (joint) to 2026.
    assert [y is not None for y in actual["y"]] == [True] * 7 + [False] * 2
    assert [y is not None for y in estimate["y"]] == [False] * 6 + [True] * 3


def test_the_share_chart_labels_estimate_years_on_the_axis():
    history, summary, targets = history_of("AAA")
    chart = charts.share_over_time_chart(history, summary, targets, "Aland", SOURCE)
    ticks = dict(
        zip(
            chart.figure["layout"]["xaxis"]["tickvals"],
            chart.figure["layout"]["xaxis"]["ticktext"],
            strict=True,
        )
    )
    assert ticks[2024] == "2024"
    assert ticks[2025] == "2025 est."
    assert ticks[2035] == "2035"


def test_the_share_chart_has_a_line_and_label_for_each_gdp_target():
    history, summary, targets = history_of("AAA")
    layout = charts.share_over_time_chart(history, summary, targets, "Aland", SOURCE).figure[
        "layout"
    ]
    lines = sorted(shape["y0"] for shape in layout["shapes"])
    assert lines == [2.0, 3.5, 5.0]
    labels = {note["text"] for note in layout["annotations"]}
    assert {"2% by 2024", "3.5% by 2035", "5% in all by 2035", SOURCE} <= labels


def test_the_share_chart_draws_straight_paths_to_2035_and_the_trend():
    history, summary, targets = history_of("AAA")
    figure = charts.share_over_time_chart(history, summary, targets, "Aland", SOURCE).figure
    path = traces_named(figure, "Straight path to 3.5% by 2035")[0]
    assert path["x"][0] == 2026
    assert path["x"][-1] == 2035
    assert path["y"][0] == pytest.approx(summary["targets"]["core-3.5pct"]["s0"])
    assert path["y"][-1] == pytest.approx(3.5)
    five = traces_named(figure, "Straight path to 5% by 2035")[0]
    assert "core only" in five["name"]
    trend = traces_named(figure, "Trend 2021–2026")[0]
    assert "not a forecast" in trend["name"]
    assert trend["x"][-1] == 2035


def test_an_ally_already_past_a_target_gets_no_path_to_it():
    history, summary, targets = history_of("BBB")
    figure = charts.share_over_time_chart(history, summary, targets, "Bravia", SOURCE).figure
    assert traces_named(figure, "Straight path to 3.5%") == []


def test_the_share_chart_table_lists_every_year_it_draws():
    history, summary, targets = history_of("AAA")
    chart = charts.share_over_time_chart(history, summary, targets, "Aland", SOURCE)
    assert [row[0] for row in chart.rows] == list(range(2018, 2036))
    assert chart.columns[2] == ("Share of GDP, %", "pct")
    assert chart.rows[0][2] == pytest.approx(1.5)


def test_figures_carry_no_template_and_only_plain_json():
    history, summary, targets = history_of("AAA")
    for chart in [
        charts.share_over_time_chart(history, summary, targets, "Aland", SOURCE),
        charts.spending_usd_chart(history, "Aland", SOURCE),
        charts.equipment_chart(history, targets, "Aland", SOURCE),
        charts.breakdown_chart(history, "Aland", SOURCE),
    ]:
        assert "template" not in chart.figure["layout"]
        assert chart.figure["layout"]["title"]["text"]
        assert chart.figure["layout"]["yaxis"]["title"]["text"]
        json.dumps(chart.figure, allow_nan=False)


def test_values_are_kept_as_published_not_rounded():
    history, _, _ = history_of("AAA")
    history[0]["defence_usd_current_m"] = 1234.56789
    chart = charts.spending_usd_chart(history, "Aland", SOURCE)
    assert chart.figure["data"][0]["y"][0] == 1234.56789
    assert chart.rows[0][2] == 1234.56789


def test_the_equipment_chart_draws_the_20_percent_line():
    history, _, targets = history_of("AAA")
    layout = charts.equipment_chart(history, targets, "Aland", SOURCE).figure["layout"]
    assert [shape["y0"] for shape in layout["shapes"]] == [20.0]
    assert "20% guideline" in {note["text"] for note in layout["annotations"]}


def test_the_breakdown_stacks_four_categories_each_with_its_own_pattern():
    history, _, _ = history_of("AAA")
    figure = charts.breakdown_chart(history, "Aland", SOURCE).figure
    assert figure["layout"]["barmode"] == "stack"
    assert [trace["name"] for trace in figure["data"]] == [
        "Equipment incl. R&D",
        "Personnel",
        "Infrastructure",
        "Other",
    ]
    patterns = [trace["marker"]["pattern"]["shape"] for trace in figure["data"]]
    assert len(set(patterns)) == 4


def test_the_ranked_chart_orders_allies_and_marks_status_by_pattern_and_label():
    figures = make_figures()
    frame = progress.build_progress_frame(figures, targets_frame())
    chart = charts.ranked_share_chart(frame, MEMBERS, TARGETS, 2026, SOURCE)
    by_name = {trace["name"]: trace for trace in chart.figure["data"]}
    # Bravia 2026: 4.5% is 3.5% to under 5%; Aland: 3.1% is 2% to under 3.5%. Iceland: no bar.
    assert by_name["3.5% to under 5%"]["y"] == ["Bravia"]
    assert by_name["2% to under 3.5%"]["y"] == ["Aland"]
    assert (
        by_name["3.5% to under 5%"]["marker"]["pattern"]["shape"]
        != (by_name["2% to under 3.5%"]["marker"]["pattern"]["shape"])
    )
    assert by_name["2% to under 3.5%"]["text"] == ["3.10% est."]
    assert chart.figure["layout"]["yaxis"]["categoryarray"] == ["Aland", "Bravia"]
    assert sorted(shape["x0"] for shape in chart.figure["layout"]["shapes"]) == [2.0, 3.5, 5.0]
    assert [row[0] for row in chart.rows] == ["BBB", "AAA"]
    assert [row[-1] for row in chart.rows] == ["3.5% to under 5%", "2% to under 3.5%"]


def test_the_ranked_chart_leaves_out_members_before_they_joined():
    figures = make_figures()
    frame = progress.build_progress_frame(figures, targets_frame())
    chart = charts.ranked_share_chart(frame, MEMBERS, TARGETS, 2019, SOURCE)
    assert [row[1] for row in chart.rows] == ["Aland"]


def test_allies_meeting_shows_each_target_and_the_denominator():
    figures = make_figures()
    frame = progress.build_progress_frame(figures, targets_frame())
    counts = progress.count_allies_meeting(frame, figures, MEMBERS)
    chart = charts.allies_meeting_chart(counts, TARGETS, {2025, 2026}, SOURCE)
    names = [trace["name"] for trace in chart.figure["data"]]
    assert "Allies at 2% or more" in names
    assert "Allies at 3.5% or more (NATO estimate)" in names
    assert names[-1] == "Allies with figures (the denominator)"
    denominator = chart.figure["data"][-1]["y"]
    assert denominator[0] == 1
    assert denominator[-1] == 2
    assert chart.columns[-1] == ("Allies with figures", "count")


def test_the_us_europe_chart_plots_both_series_at_constant_prices():
    figures = make_figures()
    figures.loc[figures["iso3"] == "AAA", "iso3"] = "USA"
    members = MEMBERS.replace({"AAA": "USA"})
    alliance = progress.build_alliance_frame(figures, members)
    chart = charts.us_europe_chart(alliance, SOURCE)
    assert chart.figure["layout"]["yaxis"]["title"]["text"] == "USD million, 2021 prices"
    us = traces_named(chart.figure, "United States")[0]
    assert us["y"][0] == pytest.approx(1.5)


def test_the_heatmap_gives_every_cell_its_value_and_band():
    chart = charts.share_heatmap(make_figures(), MEMBERS, TARGETS, SOURCE)
    grid = {row["iso3"]: row for row in chart.extra["grid"]}
    first = grid["AAA"]["cells"][0]
    assert first["value"] == pytest.approx(1.5)
    assert first["band"] == "under 2%"
    assert grid["BBB"]["cells"][0]["value"] is None  # not an ally before 2020
    assert grid["ISL"]["reports"] is False
    assert chart.extra["estimate_years"] == [2025, 2026]


def test_the_map_shades_allies_by_band_and_hatches_iceland():
    panel = {"name": "europe", "x": 0, "y": 0, "width": 10, "height": 10, "background": ""}
    geometry = {
        "view_box": "0 0 10 10",
        "panels": [{**panel, "allies": {"AAA": "M0,0Z"}, "markers": {"AAA": [1, 2]}}],
    }
    frame = progress.build_progress_frame(make_figures(), targets_frame())
    chart = charts.share_map(geometry, frame, MEMBERS, TARGETS, 2026, SOURCE)
    countries = {country["iso3"]: country for country in chart.extra["countries"]}
    assert countries["AAA"]["css"] == "band-2"
    assert countries["AAA"]["label"] == "Aland: 3.10% of GDP in 2026"
    assert countries["BBB"]["css"] == "band-1"
    assert countries["ISL"]["hatched"]
    assert "not applicable" in countries["ISL"]["label"]
    assert countries["AAA"]["marker"] == [1, 2]
    [drawn] = chart.extra["panels"]
    assert [country["iso3"] for country in drawn["countries"]] == ["AAA"]


def test_the_compare_chart_draws_one_styled_series_per_ally():
    chart = charts.compare_chart(
        make_figures(), MEMBERS, ["BBB", "AAA"], "share_of_gdp_pct", 2020, 2026, SOURCE
    )
    solid = [trace for trace in chart.figure["data"] if "estimate" not in trace["name"]]
    assert [trace["name"] for trace in solid] == ["Bravia", "Aland"]
    assert solid[0]["marker"]["symbol"] != solid[1]["marker"]["symbol"]
    assert [row[0] for row in chart.rows] == list(range(2020, 2027))
    assert chart.columns[2] == ("Bravia, % of GDP", "pct")


def test_the_edition_chart_keeps_each_edition_a_separate_line():
    editions = [
        {
            "slug": slug,
            "title": slug,
            "cutoff_on": datetime.date(year, 7, 1),
            "history": [
                {"year": 2024, "status": "actual", "share_of_gdp_pct": value},
                {"year": 2025, "status": "estimate", "share_of_gdp_pct": value + 0.1},
            ],
        }
        for slug, year, value in (("nato-2026", 2026, 2.0), ("nato-2025", 2025, 1.9))
    ]
    chart = charts.edition_changes_chart(editions, "Aland", SOURCE)
    assert len(chart.figure["data"]) == 2
    assert chart.rows == [[2024, 2.0, 1.9], [2025, 2.1, 2.0]]


def test_the_csv_holds_the_chart_columns_and_rows():
    chart = charts.Chart(
        slug="x",
        title="t",
        description="d",
        columns=[("Ally", "text"), ("Share, %", "pct")],
        rows=[["=cmd", -0.5], ["Aland", None]],
    )
    assert charts.chart_csv(chart) == 'Ally,"Share, %"\r\n\'=cmd,-0.5\r\nAland,\r\n'


def test_the_source_line_names_the_edition_and_cutoff():
    line = charts.source_line(
        {"title": "Defence Expenditure", "cutoff_on": datetime.date(2026, 7, 3)}
    )
    assert line == (
        "Source: NATO, Defence Expenditure, data cut-off 3 July 2026. "
        "Shares of GDP computed at 2021 prices."
    )


def test_the_extended_trend_stops_where_it_leaves_the_charts_scale():
    # Values rising by 1 point a year; the scale's top is 1.2 x max(4.0 data, 5.0 target) = 6.0.
    points = [(2026, 4.0), (2027, 5.0), (2028, 6.0), (2029, 7.0), (2030, 8.0)]

    kept = ally.within_scale(points, [1.0, 4.0, 5.0])

    assert kept == [(2026, 4.0), (2027, 5.0), (2028, 6.0)]
    assert ally.within_scale([(2026, 1.0), (2027, -0.5), (2028, 1.0)], [1.0]) == [(2026, 1.0)]
