"""Which metric a NATO block holds, told from its title, unit line and subtitle together: pure,
no database. Each case is written as NATO's 2025 and 2026 workbooks word their tables."""

import pytest

from spending.importing.titles import METRICS, resolve_metric

T3_2026 = "Table 3: Core defence expenditure as a share of GDP and annual real change"
T3_2025 = "Table 3: Defence expenditure as a share of GDP and annual real change"
T6 = "Table 6: GDP per capita and core defence expenditure per capita"
USD_CONSTANT = "Constant 2021 prices and exchange rates"
CATEGORIES = "Table 8a: Core defence expenditure by main category"
OF_DEFENCE = "Percentage of core defence expenditure"

NAMED = [
    # (title lines, metric)
    (["Table 1: Core defence expenditure", "Million national currency", "Current prices"],
     "defence_nc_current_m"),
    (["Table 1: Defence expenditure", "Million national currency", "Constant 2021 prices"],
     "defence_nc_const2021_m"),
    (["Table 2: Core defence expenditure", "Million US dollars",
      "Current prices and exchange rates"], "defence_usd_current_m"),
    (["Table 2: Defense expenditure", "Million US dollars", USD_CONSTANT],
     "defence_usd_const2021_m"),
    ([T3_2026, "Share of real GDP (%)"], "nato_share_of_gdp_pct"),
    ([T3_2025, "Based on 2021 prices", "Annual real change (%)"], "nato_real_change_pct"),
    (["Table 5: Gross domestic product", "Million US dollars",
      "Current prices and exchange rates"], "gdp_usd_current_m"),
    (["Table 5: GDP", "Million US dollars", USD_CONSTANT], "gdp_usd_const2021_m"),
    ([T6, USD_CONSTANT, "GDP per capita (thousand US dollars)"], "gdp_per_capita_const2021_kusd"),
    ([T6, USD_CONSTANT, "Core defence expenditure per capita (US dollars)"],
     "defence_per_capita_const2021_usd"),
    (["Table 7: Military personnel", "Thousands"], "military_personnel_k"),
    (["Table 6: Military personnel (thousands)"], "military_personnel_k"),
    ([CATEGORIES, OF_DEFENCE, "Equipment (a)"], "equipment_share_pct"),
    ([CATEGORIES, OF_DEFENCE, "Personnel (b)"], "personnel_share_pct"),
    ([CATEGORIES, OF_DEFENCE, "Infrastructure (c)"], "infrastructure_share_pct"),
    ([CATEGORIES, OF_DEFENCE, "Other (d)"], "other_share_pct"),
    (["Table 3: share of GDP (%)"], "nato_share_of_gdp_pct"),
]  # fmt: skip

UNCERTAIN = [
    # (title lines, the candidates a refusal names)
    ([T3_2026, "Based on 2021 prices"], ["nato_share_of_gdp_pct", "nato_real_change_pct"]),
    ([T6, USD_CONSTANT], ["gdp_per_capita_const2021_kusd", "defence_per_capita_const2021_usd"]),
    (["Table 5: Main economic aggregates", "Million US dollars", USD_CONSTANT],
     ["defence_usd_const2021_m", "gdp_usd_const2021_m"]),
    (["Table 9: Something"], list(METRICS)),
]  # fmt: skip


@pytest.mark.parametrize(("texts", "metric"), NAMED)
def test_the_title_lines_together_name_one_metric(texts, metric):
    assert resolve_metric(texts)[:2] == (metric, [metric])


@pytest.mark.parametrize(("texts", "candidates"), UNCERTAIN)
def test_title_lines_that_fit_several_metrics_name_none_and_list_them(texts, candidates):
    assert resolve_metric(texts) == (None, candidates, [])


def test_lines_contradicting_each_other_name_no_metric_and_say_where():
    metric, candidates, conflicts = resolve_metric(
        ["Table 2: Core defence expenditure", "GDP, current prices"]
    )
    assert (metric, candidates) == (None, [])
    assert conflicts == [
        (
            "subject",
            [("Table 2: Core defence expenditure", {"defence"}), ("GDP, current prices", {"gdp"})],
        )
    ]


def test_the_old_first_match_misfilings_are_gone():
    # The rules these replace filed all three as the metric on the right.
    assert resolve_metric([T3_2026, "Share of real GDP (%)"])[0] != "nato_real_change_pct"
    assert resolve_metric([T6, "Core defence expenditure per capita (US dollars)"])[0] != (
        "gdp_per_capita_const2021_kusd"
    )
    assert resolve_metric(["Table 5: Gross domestic product", "Million US dollars",
                           USD_CONSTANT])[0] != "defence_usd_const2021_m"  # fmt: skip
