"""spending.progress.scenarios on hand-made inputs; expected values are plain arithmetic."""

import math

import pandas as pd
import pytest

from spending.progress import scenarios


def baseline(iso3="AAA", s0=2.0, gdp=1000.0, growth=0.0, y0=2025, rate=2.0):
    """A hand-made ally: share s0 (%) of GDP `gdp` (USD m) in y0, growing `growth` %/yr."""
    return {
        "iso3": iso3,
        "y0": y0,
        "y0_status": "estimate",
        "s0": s0,
        "gdp_usd_const2021_m": gdp,
        "defence_usd_const2021_m": s0 / 100 * gdp,
        "national_currency_per_usd": rate,
        "gdp_growth_pct": growth,
        "gdp_growth_first_year": y0 - 5,
        "gdp_growth_note": "",
        "required_real_growth_pct_per_year": None,
    }


def by_year(scenario, name):
    return {row["year"]: row[name] for row in scenario["years"]}


def test_it_raises_the_share_by_equal_steps_on_the_linear_ramp():
    scenario = scenarios.build_scenario(baseline(s0=2.0, gdp=1000.0), 3.0, 2029, ramp="linear")

    shares = by_year(scenario, "share_of_gdp_pct")
    # From 2% in 2025 to 3% in 2029: a quarter point a year, GDP flat at 1000.
    assert shares == pytest.approx({2025: 2.0, 2026: 2.25, 2027: 2.5, 2028: 2.75, 2029: 3.0})
    extra = by_year(scenario, "extra_usd_const2021_m")
    assert extra == pytest.approx({2025: 0.0, 2026: 2.5, 2027: 5.0, 2028: 7.5, 2029: 10.0})
    assert scenario["cumulative_extra_usd_const2021_m"] == pytest.approx(2.5 + 5 + 7.5 + 10)
    # National currency at the 2021 rate of 2 per USD.
    assert scenario["cumulative_extra_nc_const2021_m"] == pytest.approx(2 * 25.0)
    assert scenario["defence_growth_pct"] is None
    assert scenario["year_reached"] == 2029


def test_it_grows_defence_at_one_rate_on_the_steady_ramp():
    # 2% to 4% over 2 years with GDP growing 10%: share x sqrt(2) a year, defence x 1.1 sqrt(2).
    scenario = scenarios.build_scenario(baseline(s0=2.0, gdp=1000.0, growth=10.0), 4.0, 2027)

    factor = math.sqrt(2) * 1.1
    assert scenario["defence_growth_pct"] == pytest.approx(100 * (factor - 1))
    defence = by_year(scenario, "defence_usd_const2021_m")
    assert defence == pytest.approx({2025: 20.0, 2026: 20 * factor, 2027: 20 * factor**2})
    assert by_year(scenario, "share_of_gdp_pct")[2027] == pytest.approx(4.0)
    assert by_year(scenario, "gdp_usd_const2021_m")[2027] == pytest.approx(1210.0)
    growth = by_year(scenario, "defence_real_growth_pct")
    assert growth[2025] is None
    assert growth[2026] == pytest.approx(growth[2027])
    # 2027: 4% of 1210 = 48.4, i.e. 28.4 more than the 20 of 2025.
    assert scenario["extra_in_deadline_year_usd_const2021_m"] == pytest.approx(28.4)


def test_the_steady_growth_is_the_progress_formula():
    # (T / s0)^(1/n) x (1 + g) - 1 with T = 3.5, s0 = 2.5, n = 10, g = 1%.
    expected = 100 * ((3.5 / 2.5) ** 0.1 * 1.01 - 1)

    assert scenarios.steady_growth_pct(2.5, 3.5, 10, 1.0) == pytest.approx(expected)


def test_it_finds_the_year_a_chosen_pace_reaches_the_target():
    # Defence +10%/yr, GDP flat, from 2%: 2.2, 2.42, 2.662, 2.928, 3.221, 3.543 -> 2031.
    scenario = scenarios.build_scenario(
        baseline(s0=2.0, gdp=1000.0, growth=0.0), 3.5, 2035, defence_growth_pct=10.0
    )

    assert scenario["mode"] == "pace"
    assert scenario["year_reached"] == 2031
    assert scenario["deadline_share_of_gdp_pct"] == pytest.approx(2.0 * 1.1**10)
    assert by_year(scenario, "defence_usd_const2021_m")[2030] == pytest.approx(20 * 1.1**5)


def test_a_pace_that_hits_the_target_exactly_reaches_it_that_year():
    # 2 x 1.25 x 1.25 = 3.125 exactly in 2027.
    assert scenarios.pace_year_reached(2.0, 3.125, 2025, 25.0, 0.0) == 2027


def test_a_pace_slower_than_gdp_never_reaches_the_target():
    scenario = scenarios.build_scenario(
        baseline(s0=2.0, growth=3.0), 3.5, 2035, defence_growth_pct=2.0
    )

    assert scenario["year_reached"] is None
    assert scenario["deadline_share_of_gdp_pct"] < 2.0


def test_a_pace_reaching_just_before_the_horizon_gives_the_year():
    # Defence +1%/yr, GDP flat, from 2% to 3.5%: log(1.75) / log(1.01) = 56.24 -> 57 years.
    assert scenarios.pace_year_reached(2.0, 3.5, 2025, 1.0, 0.0) == 2025 + 57
    # +0.5%/yr needs 113 years: after 2100.
    assert scenarios.pace_year_reached(2.0, 3.5, 2025, 0.5, 0.0) is None


def test_an_ally_already_at_the_target_stays_flat_with_no_extra():
    scenario = scenarios.build_scenario(baseline(s0=4.0, gdp=1000.0, growth=2.0), 3.5, 2030)

    assert scenario["already_met"] is True
    assert scenario["mode"] == "already met"
    assert set(by_year(scenario, "defence_usd_const2021_m").values()) == {40.0}
    assert set(by_year(scenario, "extra_usd_const2021_m").values()) == {0.0}
    assert scenario["cumulative_extra_usd_const2021_m"] == 0
    assert scenario["year_reached"] == 2025
    # Spending held while GDP grows 2% a year: 4 / 1.02^5 in 2030.
    assert scenario["deadline_share_of_gdp_pct"] == pytest.approx(4.0 / 1.02**5)


def test_a_share_printed_at_the_target_counts_as_met():
    # NATO prints 3.495 as 3.50: met, as the progress answer judges it.
    assert scenarios.is_already_met(3.495, 3.5)
    assert not scenarios.is_already_met(3.494, 3.5)


def test_negative_gdp_growth_needs_less_defence_growth_than_the_share_rise():
    # GDP -2%/yr, 2% to 3% in 5 years: (1.5)^(1/5) x 0.98 - 1.
    scenario = scenarios.build_scenario(baseline(s0=2.0, gdp=500.0, growth=-2.0), 3.0, 2030)

    assert scenario["defence_growth_pct"] == pytest.approx(100 * (1.5**0.2 * 0.98 - 1))
    assert by_year(scenario, "gdp_usd_const2021_m")[2030] == pytest.approx(500 * 0.98**5)
    assert scenario["extra_in_deadline_year_usd_const2021_m"] == pytest.approx(
        0.03 * 500 * 0.98**5 - 10.0
    )


def test_a_deadline_one_year_after_y0_takes_the_whole_step_at_once():
    scenario = scenarios.build_scenario(baseline(s0=2.0, gdp=1000.0, growth=5.0), 3.5, 2026)

    assert [row["year"] for row in scenario["years"]] == [2025, 2026]
    # 3.5% of 1050 = 36.75 against 20: 16.75 more; growth 36.75 / 20 - 1.
    assert scenario["cumulative_extra_usd_const2021_m"] == pytest.approx(16.75)
    assert scenario["defence_growth_pct"] == pytest.approx(100 * (36.75 / 20 - 1))
    linear = scenarios.build_scenario(baseline(s0=2.0, growth=5.0), 3.5, 2026, ramp="linear")
    assert linear["cumulative_extra_usd_const2021_m"] == pytest.approx(16.75)


def test_a_deadline_not_after_y0_is_refused():
    with pytest.raises(ValueError, match="not after the newest year 2025"):
        scenarios.build_scenario(baseline(), 3.5, 2025)


def test_a_chosen_gdp_growth_replaces_the_default():
    scenario = scenarios.build_scenario(baseline(growth=5.0), 3.0, 2030, gdp_growth_pct=0.0)

    assert scenario["gdp_growth_is_default"] is False
    assert set(by_year(scenario, "gdp_usd_const2021_m").values()) == {1000.0}


def alliance_baselines():
    return pd.DataFrame(
        [
            baseline("USA", s0=3.0, gdp=20000.0, growth=2.0),
            baseline("DEU", s0=2.0, gdp=4000.0, growth=0.5),
            baseline("POL", s0=4.0, gdp=800.0, growth=3.0),
            baseline("LUX", s0=1.0, gdp=60.0, growth=-1.0),
        ]
    )


def test_the_alliance_totals_are_the_sums_of_the_allies():
    alliance = scenarios.build_alliance_scenario(alliance_baselines(), 3.5, 2030)
    alone = {
        row["iso3"]: scenarios.build_scenario(row, 3.5, 2030)
        for row in alliance_baselines().to_dict("records")
    }

    assert alliance["allies_below_target"] == 3
    assert alliance["allies_already_met"] == 1
    for row in alliance["years"]:
        year = row["year"]
        extras = {iso3: by_year(s, "extra_usd_const2021_m")[year] for iso3, s in alone.items()}
        defence = {iso3: by_year(s, "defence_usd_const2021_m")[year] for iso3, s in alone.items()}
        gdp = {iso3: by_year(s, "gdp_usd_const2021_m")[year] for iso3, s in alone.items()}
        assert row["extra_usd_const2021_m"] == pytest.approx(sum(extras.values()))
        assert row["us_extra_usd_const2021_m"] == pytest.approx(extras["USA"])
        assert row["europe_canada_extra_usd_const2021_m"] == pytest.approx(
            extras["DEU"] + extras["POL"] + extras["LUX"]
        )
        assert row["share_of_gdp_pct"] == pytest.approx(
            100 * sum(defence.values()) / sum(gdp.values())
        )
    total = sum(s["cumulative_extra_usd_const2021_m"] for s in alone.values())
    assert alliance["cumulative_extra_usd_const2021_m"] == pytest.approx(total)
    assert alliance["us_cumulative_extra_usd_const2021_m"] == pytest.approx(
        alone["USA"]["cumulative_extra_usd_const2021_m"]
    )
    assert alliance["europe_canada_cumulative_extra_usd_const2021_m"] == pytest.approx(
        total - alone["USA"]["cumulative_extra_usd_const2021_m"]
    )
    assert alone["POL"]["cumulative_extra_usd_const2021_m"] == 0


def test_the_alliance_counts_the_allies_meeting_the_target_each_year():
    alliance = scenarios.build_alliance_scenario(alliance_baselines(), 3.5, 2030)

    counts = {row["year"]: row["allies_meeting_target"] for row in alliance["years"]}
    # Poland alone until the deadline (4% held while GDP grows 3%: 4 / 1.03^4 = 3.55 in 2029,
    # 4 / 1.03^5 = 3.45 in 2030), then the three ramps arrive and Poland has dropped below.
    assert counts[2025] == 1
    assert counts[2029] == 1
    assert counts[2030] == 3


def test_the_alliance_leaves_out_an_ally_without_growth_and_says_so():
    frame = alliance_baselines()
    frame.loc[frame["iso3"] == "LUX", "gdp_growth_pct"] = None

    alliance = scenarios.build_alliance_scenario(frame, 3.5, 2030)

    assert alliance["left_out"] == [{"iso3": "LUX", "reason": "no default GDP growth"}]
    assert all(row["allies_counted"] == 3 for row in alliance["years"])


def test_the_alliance_pace_mode_grows_every_ally_at_one_rate():
    alliance = scenarios.build_alliance_scenario(
        alliance_baselines(), 3.5, 2030, defence_growth_pct=10.0
    )

    allies = {ally["iso3"]: ally for ally in alliance["allies"]}
    # Germany: 2% x (1.10 / 1.005)^k >= 3.5% first at k = 7 (2.0 x 1.0945^6 = 3.43,
    # x 1.0945^7 = 3.75): 2032, after the deadline. The US: 3% x (1.10 / 1.02)^2 = 3.49, ^3 = 3.76.
    assert allies["DEU"]["year_reached"] == 2032
    assert allies["USA"]["year_reached"] == 2028
    assert allies["POL"]["year_reached"] == 2025
    # Luxembourg: 1% x (1.10 / 0.99)^k first reaches 3.5% at k = 12, 2037.
    assert allies["LUX"]["year_reached"] == 2037
    assert alliance["allies_reached_by_deadline"] == 2
    assert alliance["allies_not_reached"] == 0
    assert alliance["mode"] == "pace"
    assert alliance["ramp"] is None
    # Every ally's defence grows 10% a year, Poland's too though it is above the target.
    poland = {row["year"]: row for row in allies["POL"]["years"]}
    assert poland[2026]["extra_usd_const2021_m"] == pytest.approx(32.0 * 0.1)
    counts = {row["year"]: row["allies_meeting_target"] for row in alliance["years"]}
    assert counts[2027] == 1
    assert counts[2028] == 2


def test_it_states_the_answer_in_one_sentence():
    scenario = scenarios.build_scenario(baseline(s0=2.0, gdp=1_000_000.0), 3.0, 2029)

    # 3% of 1,000,000 is 30,000 against 20,000: USD 10.0 bn more, GDP flat.
    assert scenarios.describe_scenario(scenario, "Testland") == (
        "Testland reaches 3% in 2029 with defence growing "
        f"{100 * (1.5**0.25 - 1):.1f}% a year in real terms: USD 10.0 bn more in 2029 than in "
        "2025, at 2021 prices."
    )
