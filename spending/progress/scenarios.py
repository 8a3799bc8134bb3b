"""What it would take: yearly paths of an ally's (or the alliance's) defence spending to a target.

Pure functions, no Django: the API and the pages call them with frames and plain numbers. The
formulas (issue 15, published on the scenario pages):

- GDP path: GDP_t = GDP_Y0 × (1 + g)^(t − Y0), USD at constant 2021 prices;
- `linear` ramp: share_t = s0 + (T − s0) × (t − Y0) / n;
- `steady` ramp (constant real growth of defence): share_t = s0 × (T / s0)^((t − Y0) / n), whose
  real growth r = (T / s0)^(1/n) × (1 + g) − 1 is the progress answer's
  `required_real_growth_pct_per_year` (`paths.py`);
- pace mode (a chosen real growth r of defence): share_t = s0 × ((1 + r) / (1 + g))^(t − Y0);
- Defence_t = share_t / 100 × GDP_t; extra_t = Defence_t − Defence_Y0;
- an ally already at T keeps its Y0 spending in real terms: extra 0 every year.

The Hague Summit Declaration (2025), paragraph 3: "at least 3.5% of GDP annually ... by 2035"
on "a credible path of incremental progress".
"""

import pandas as pd

from spending.progress.alliance import US_ISO3
from spending.progress.paths import GROWTH_YEARS, HORIZON_YEAR, build_paths
from spending.progress.records import is_missing
from spending.progress.shares import MEASURE_COLUMNS, add_shares, round_pct

RAMPS = ("steady", "linear")
DEADLINE_RANGE = (2026, 2050)
GDP_GROWTH_RANGE_PCT = (-5.0, 10.0)
DEFENCE_GROWTH_RANGE_PCT = (-10.0, 30.0)
BASELINE_COLUMNS = [
    "iso3",
    "y0",
    "y0_status",
    "s0",
    "gdp_usd_const2021_m",
    "defence_usd_const2021_m",
    "national_currency_per_usd",
    "gdp_growth_pct",
    "gdp_growth_assumed",
    "gdp_growth_first_year",
    "gdp_growth_note",
    "required_real_growth_pct_per_year",
]
# Floats that reach the target exactly must count as reaching it.
TOLERANCE = 1e-9


def build_baselines(figures, target, deadline_year, breaks=None):
    """One row per ally with data: its newest year Y0, share s0 (%) of the target's measure,
    GDP and defence at Y0 (USD m, 2021 prices), the Table 1 / Table 2 rate at 2021 prices, and
    the default GDP growth (%/yr) and required real growth (%/yr) of `progress.build_paths`.

    `target`: a mapping with slug, threshold_pct, basis, measure, kind (a row of the targets
    frame); its deadline is replaced by `deadline_year`, so that the steady ramp and the
    progress answer share one formula and one GDP growth. `breaks`: the series breaks, which
    the growth never spans; an ally with no comparable growth gets 0%, said in
    `gdp_growth_note` and flagged by `gdp_growth_assumed`.
    """
    chosen = pd.DataFrame([{**dict(target), "deadline_year": int(deadline_year)}])
    paths = build_paths(figures, chosen, breaks=breaks).set_index("iso3")
    shared = add_shares(figures)
    measure = MEASURE_COLUMNS[target["measure"]]
    rows = []
    for iso3, own in shared.sort_values("year").groupby("iso3"):
        known = own[own[measure].notna() & own["gdp_usd_const2021_m"].notna()]
        if known.empty or iso3 not in paths.index:
            continue
        newest = known.iloc[-1]
        path = paths.loc[iso3]
        growth = path["gdp_growth_pct"]
        assumed = is_missing(growth)
        note = str(path.get("gdp_growth_note", "") or "")
        rows.append(
            {
                "iso3": iso3,
                "y0": int(newest["year"]),
                "y0_status": newest["status"],
                "s0": float(newest[measure]),
                "gdp_usd_const2021_m": float(newest["gdp_usd_const2021_m"]),
                "defence_usd_const2021_m": float(newest[measure])
                / 100
                * float(newest["gdp_usd_const2021_m"]),
                "national_currency_per_usd": _rate(newest),
                "gdp_growth_pct": 0.0 if assumed else float(growth),
                "gdp_growth_assumed": assumed,
                "gdp_growth_first_year": int(newest["year"]) - GROWTH_YEARS,
                "gdp_growth_note": f"{note}: 0% assumed" if assumed else note,
                "required_real_growth_pct_per_year": _float_or_none(
                    path["required_real_growth_pct_per_year"]
                ),
            }
        )
    return pd.DataFrame(rows, columns=BASELINE_COLUMNS)


def _rate(figure):
    """National currency per USD at constant 2021 prices: Table 1's constant series over
    Table 2's; None when either is missing."""
    national, usd = figure.get("defence_nc_const2021_m"), figure["defence_usd_const2021_m"]
    if is_missing(national) or is_missing(usd) or usd == 0:
        return None
    return float(national) / float(usd)


def _float_or_none(value):
    return None if is_missing(value) else float(value)


def is_already_met(s0, threshold_pct):
    """True when the share, as NATO prints it (2 decimals), is at or above the threshold."""
    return round_pct(s0) >= threshold_pct


def steady_growth_pct(s0, threshold_pct, n_years, gdp_growth_pct):
    """The constant real growth of defence (%/yr) that takes s0 to T in n years: the steady ramp."""
    g = gdp_growth_pct / 100
    return 100 * ((threshold_pct / s0) ** (1 / n_years) * (1 + g) - 1)


def ramp_share_pct(s0, threshold_pct, year, y0, deadline_year, ramp):
    """The share of GDP (%) in `year` on the chosen ramp from (Y0, s0) to (deadline, T)."""
    n_years = deadline_year - y0
    step = (year - y0) / n_years
    if ramp == "linear":
        return s0 + (threshold_pct - s0) * step
    if ramp == "steady":
        return s0 * (threshold_pct / s0) ** step
    raise ValueError(f"unknown ramp {ramp!r}: one of {', '.join(RAMPS)}")


def pace_share_pct(s0, year, y0, defence_growth_pct, gdp_growth_pct):
    """The share of GDP (%) in `year` when defence grows by r and GDP by g a year in real terms."""
    ratio = (1 + defence_growth_pct / 100) / (1 + gdp_growth_pct / 100)
    return s0 * ratio ** (year - y0)


def pace_year_reached(s0, threshold_pct, y0, defence_growth_pct, gdp_growth_pct):
    """The first year t ≥ Y0 whose share at this pace is at or above T; None before 2100."""
    for year in range(y0, HORIZON_YEAR + 1):
        if pace_share_pct(s0, year, y0, defence_growth_pct, gdp_growth_pct) >= (
            threshold_pct - TOLERANCE
        ):
            return year
    return None


def build_scenario(
    baseline,
    threshold_pct,
    deadline_year,
    ramp="steady",
    gdp_growth_pct=None,
    defence_growth_pct=None,
):
    """One ally's scenario: the inputs used, the yearly path Y0..deadline (shares %, USD m and
    national currency m at 2021 prices) and its totals.

    `baseline`: a row of `build_baselines`. `gdp_growth_pct` None takes the ally's default;
    `defence_growth_pct` given switches to pace mode (the ramp is then not used).
    """
    y0, s0 = int(baseline["y0"]), float(baseline["s0"])
    if deadline_year <= y0:
        raise ValueError(f"deadline {deadline_year} is not after the newest year {y0}")
    growth_is_default = gdp_growth_pct is None
    g_pct = baseline["gdp_growth_pct"] if growth_is_default else float(gdp_growth_pct)
    if g_pct is None or is_missing(g_pct):
        raise ValueError(f"{baseline['iso3']} has no default GDP growth: give one")
    already_met = is_already_met(s0, threshold_pct)
    pace = defence_growth_pct is not None
    if pace:
        mode, r_pct = "pace", float(defence_growth_pct)
    elif already_met:
        mode, r_pct = "already met", 0.0
    else:
        mode = ramp
        r_pct = (
            steady_growth_pct(s0, threshold_pct, deadline_year - y0, g_pct)
            if ramp == ("steady")
            else None
        )

    g = g_pct / 100
    gdp0, defence0 = (
        float(baseline["gdp_usd_const2021_m"]),
        float(baseline["defence_usd_const2021_m"]),
    )
    rate = baseline["national_currency_per_usd"]
    years, previous = [], None
    for year in range(y0, deadline_year + 1):
        gdp = gdp0 * (1 + g) ** (year - y0)
        if pace:
            defence = defence0 * (1 + r_pct / 100) ** (year - y0)
            share = 100 * defence / gdp
        elif already_met:
            defence = defence0
            share = 100 * defence / gdp
        else:
            share = ramp_share_pct(s0, threshold_pct, year, y0, deadline_year, ramp)
            defence = share / 100 * gdp
        extra = defence - defence0
        years.append(
            {
                "year": year,
                "share_of_gdp_pct": share,
                "share_of_gdp_rounded_pct": round_pct(share),
                "meets_target": is_already_met(share, threshold_pct),
                "gdp_usd_const2021_m": gdp,
                "defence_usd_const2021_m": defence,
                "extra_usd_const2021_m": extra,
                "defence_nc_const2021_m": None if rate is None else defence * rate,
                "extra_nc_const2021_m": None if rate is None else extra * rate,
                "defence_real_growth_pct": None
                if previous is None
                else 100 * (defence / previous - 1),
            }
        )
        previous = defence

    later = years[1:]
    reached = (
        pace_year_reached(s0, threshold_pct, y0, r_pct, g_pct)
        if pace
        else (y0 if already_met else deadline_year)
    )
    cumulative_usd = sum(row["extra_usd_const2021_m"] for row in later)
    return {
        "iso3": baseline["iso3"],
        "mode": mode,
        "ramp": None if pace else ramp,
        "threshold_pct": threshold_pct,
        "deadline_year": deadline_year,
        "y0": y0,
        "y0_status": baseline["y0_status"],
        "s0": s0,
        "already_met": already_met,
        "gdp_growth_pct": g_pct,
        "gdp_growth_is_default": growth_is_default,
        "gdp_growth_first_year": baseline["gdp_growth_first_year"],
        "gdp_growth_assumed": growth_is_default and bool(baseline.get("gdp_growth_assumed")),
        "gdp_growth_note": baseline.get("gdp_growth_note", "") if growth_is_default else "",
        "defence_growth_pct": r_pct,
        "year_reached": reached,
        "deadline_share_of_gdp_pct": years[-1]["share_of_gdp_pct"],
        "national_currency_per_usd": rate,
        "extra_in_deadline_year_usd_const2021_m": years[-1]["extra_usd_const2021_m"],
        "extra_in_deadline_year_nc_const2021_m": years[-1]["extra_nc_const2021_m"],
        "cumulative_extra_usd_const2021_m": cumulative_usd,
        "cumulative_extra_nc_const2021_m": None if rate is None else cumulative_usd * rate,
        "years": years,
    }


def build_alliance_scenario(
    baselines,
    threshold_pct,
    deadline_year,
    ramp="steady",
    gdp_growth_pct=None,
    defence_growth_pct=None,
):
    """Every ally with data: those below T on the ramp, the others at their Y0 spending; the
    yearly and cumulative extra (USD m, 2021 prices) of the alliance, the US and Europe + Canada,
    and how many allies meet T each year. Allies without a default growth are left out, named.

    `defence_growth_pct` given switches to the alliance's pace mode: every ally's defence grows
    at that one real rate (those above T too), each ally gets its `year_reached`, and
    `allies_reached_by_deadline` / `allies_not_reached` count them."""
    allies, left_out = [], []
    for baseline in baselines.to_dict("records"):
        if gdp_growth_pct is None and is_missing(baseline["gdp_growth_pct"]):
            left_out.append({"iso3": baseline["iso3"], "reason": "no default GDP growth"})
            continue
        if deadline_year <= baseline["y0"]:
            left_out.append({"iso3": baseline["iso3"], "reason": "deadline not after its Y0"})
            continue
        allies.append(
            build_scenario(
                baseline, threshold_pct, deadline_year, ramp, gdp_growth_pct, defence_growth_pct
            )
        )
    by_year = {}
    for ally in allies:
        part = "us" if ally["iso3"] == US_ISO3 else "europe_canada"
        for row in ally["years"]:
            total = by_year.setdefault(row["year"], _empty_alliance_year(row["year"]))
            for prefix in ("", f"{part}_"):
                for name in (
                    "defence_usd_const2021_m",
                    "gdp_usd_const2021_m",
                    "extra_usd_const2021_m",
                ):
                    total[f"{prefix}{name}"] += row[name]
            total["allies_counted"] += 1
            total["allies_meeting_target"] += int(row["meets_target"])
    years = [by_year[year] for year in sorted(by_year)]
    for row in years:
        row["share_of_gdp_pct"] = 100 * row["defence_usd_const2021_m"] / row["gdp_usd_const2021_m"]
    y0 = min((ally["y0"] for ally in allies), default=None)
    later = [row for row in years if y0 is not None and row["year"] > y0]
    pace = defence_growth_pct is not None
    answer = {
        "threshold_pct": threshold_pct,
        "deadline_year": deadline_year,
        "ramp": None if pace else ramp,
        "y0": y0,
        "gdp_growth_pct": gdp_growth_pct,
        "gdp_growth_is_default": gdp_growth_pct is None,
        "allies_below_target": sum(not ally["already_met"] for ally in allies),
        "allies_already_met": sum(ally["already_met"] for ally in allies),
        "left_out": left_out,
        "cumulative_extra_usd_const2021_m": sum(r["extra_usd_const2021_m"] for r in later),
        "us_cumulative_extra_usd_const2021_m": sum(r["us_extra_usd_const2021_m"] for r in later),
        "europe_canada_cumulative_extra_usd_const2021_m": sum(
            r["europe_canada_extra_usd_const2021_m"] for r in later
        ),
        "years": years,
        "allies": allies,
    }
    if pace:
        reached = [ally["year_reached"] for ally in allies]
        answer |= {
            "mode": "pace",
            "defence_growth_pct": float(defence_growth_pct),
            "allies_reached_by_deadline": sum(
                year is not None and year <= deadline_year for year in reached
            ),
            "allies_not_reached": sum(year is None for year in reached),
        }
    else:
        # Only pace mode publishes each ally's year reached (the ramp reaches T at the deadline).
        for ally in allies:
            del ally["year_reached"]
    return answer


def _empty_alliance_year(year):
    row = {"year": year, "allies_counted": 0, "allies_meeting_target": 0}
    for prefix in ("", "us_", "europe_canada_"):
        for name in ("defence_usd_const2021_m", "gdp_usd_const2021_m", "extra_usd_const2021_m"):
            row[f"{prefix}{name}"] = 0.0
    return row


def describe_scenario(scenario, name):
    """The answer in one sentence, numbers printed as the pages print them."""
    threshold = f"{scenario['threshold_pct']:g}%"
    extra_bn = scenario["extra_in_deadline_year_usd_const2021_m"] / 1000
    deadline, y0 = scenario["deadline_year"], scenario["y0"]
    if scenario["mode"] == "already met":
        return (
            f"{name} already meets {threshold} ({scenario['s0']:.2f}% in {y0}): nothing extra is "
            f"needed; holding its {y0} spending in real terms, its share would be "
            f"{scenario['deadline_share_of_gdp_pct']:.2f}% in {deadline}."
        )
    if scenario["mode"] == "pace":
        reached = scenario["year_reached"]
        if scenario["already_met"]:
            when = f"already meets {threshold} ({scenario['s0']:.2f}% in {y0})"
        elif reached is not None:
            when = f"reaches {threshold} in {reached}"
        else:
            when = f"does not reach {threshold} by {HORIZON_YEAR}"
        return (
            f"With defence growing {scenario['defence_growth_pct']:.1f}% a year in real terms, "
            f"{name} {when}; its share in {deadline} would be "
            f"{scenario['deadline_share_of_gdp_pct']:.2f}% (USD {extra_bn:,.1f} bn more than in "
            f"{y0}, at 2021 prices)."
        )
    how = (
        f"with defence growing {scenario['defence_growth_pct']:.1f}% a year in real terms"
        if scenario["mode"] == "steady"
        else "on a straight-line rise of its share"
    )
    return (
        f"{name} reaches {threshold} in {deadline} {how}: USD {extra_bn:,.1f} bn more in "
        f"{deadline} than in {y0}, at 2021 prices."
    )
