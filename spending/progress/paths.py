"""Each member's path to each target: the yearly effort still needed and the trend year.

Wales Summit Declaration (2014), para 14: allies below the guideline aim to "increase defence
expenditure in real terms as GDP grows" and to move towards 2% within a decade.
"""

import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from spending.progress.records import empty_frame, is_missing
from spending.progress.shares import round_pct
from spending.progress.verdicts import build_progress_frame

# Projections further out than this are reported as a note, not as a year.
HORIZON_YEAR = 2100
# The GDP growth behind the required-growth figure: compound rate over the last 5 years,
# so it needs 6 comparable years of GDP (Y0-5..Y0).
GROWTH_YEARS = 5
# The trend is a straight line through the last 6 years (Y0-5..Y0) that have a value.
TREND_YEARS = 6
# The series each measure is built on: a break in any of them cuts the measure's series.
MEASURE_SERIES = {
    "core_share_of_gdp_pct": ("gdp", "defence"),
    "total_share_of_gdp_pct": ("gdp", "defence"),
    "equipment_share_pct": ("defence", "equipment"),
}
ALREADY_MET = "already met"
PATH_COLUMNS = [
    "iso3",
    "target",
    "y0",
    "y0_status",
    "n_years",
    "s0",
    "threshold_pct",
    "already_met",
    "required_pp_per_year",
    "required_pp_note",
    "gdp_growth_pct",
    "gdp_growth_note",
    "required_real_growth_pct_per_year",
    "required_real_growth_signed_pct_per_year",
    "required_real_growth_note",
    "trend_slope_pp_per_year",
    "projected_year",
    "trend_note",
    "break_year",
    "break_reason",
    "note",
]


def build_paths(figures, targets, horizon_year=None, progress=None, breaks=None):
    """One row per member and target: the yearly effort (pp, % real growth) and trend year.

    `breaks` (iso3, series, year, reason): no growth or trend is computed across one; each
    number left out says why in its `*_note` column.
    """
    horizon = HORIZON_YEAR if horizon_year is None else int(horizon_year)
    if progress is None:
        progress = build_progress_frame(figures, targets)
    gdp = figures.set_index(["iso3", "year"])["gdp_usd_const2021_m"].to_dict()
    member_breaks = _breaks_by_member(breaks)
    # Plain arrays per (target, member): pandas indexing per group costs more than the maths.
    ordered = progress.sort_values(["target", "iso3", "year"])
    groups = {
        key: (
            group["year"].to_numpy(),
            group["value_pct"].to_numpy(dtype="float64", na_value=np.nan),
            group["status"].to_numpy(),
        )
        for key, group in ordered.groupby(["target", "iso3"], sort=False)
    }
    rows = []
    for target in targets.itertuples(index=False):
        for (slug, iso3), (years, values, statuses) in groups.items():
            if slug == target.slug:
                known = ~np.isnan(values)
                series = _Series(years[known], values[known], statuses[known])
                own_breaks = member_breaks.get(iso3, [])
                rows.append(_build_path(iso3, series, target, gdp, horizon, own_breaks))
    if not rows:
        return empty_frame(PATH_COLUMNS)
    paths = pd.DataFrame(rows, columns=PATH_COLUMNS)
    paths = paths.astype(
        {"y0": "Int64", "n_years": "Int64", "projected_year": "Int64", "break_year": "Int64"}
    )
    return paths.sort_values(["iso3", "target"], ignore_index=True)


class _Series(NamedTuple):
    years: np.ndarray
    values: np.ndarray
    statuses: np.ndarray


def _build_path(iso3, series, target, gdp, horizon, breaks):
    """The path row of one member towards one target, from its known values sorted by year."""
    years, values = series.years, series.values
    threshold = float(target.threshold_pct)
    row = dict.fromkeys(PATH_COLUMNS, np.nan)
    row.update(iso3=iso3, target=target.slug, threshold_pct=threshold, y0_status=None)
    row.update(y0=pd.NA, n_years=pd.NA, projected_year=pd.NA, break_year=pd.NA)
    row.update(already_met=None, break_reason="")
    row.update(required_pp_note="", gdp_growth_note="", required_real_growth_note="")
    row["trend_note"] = ""
    notes = []
    if len(years) == 0:
        row["note"] = "no data"
        return row
    y0 = int(years[-1])
    s0 = float(values[-1])
    row.update(y0=y0, y0_status=series.statuses[-1], s0=s0)
    measure_break = _latest_break(breaks, MEASURE_SERIES.get(target.measure, ()), y0)
    if measure_break is not None:
        row.update(break_year=measure_break[0], break_reason=measure_break[1])
    if target.kind != "floor":
        row["note"] = "a ceiling has no path to reach"
        return row
    if target.deadline_year < y0:
        row["note"] = f"deadline {target.deadline_year} has passed"
        return row

    n_years = int(target.deadline_year) - y0
    already_met = bool(round_pct(s0) >= threshold)
    row["n_years"] = n_years
    row["already_met"] = already_met
    if already_met:
        # Nothing is required of an ally at or above the target (judged on the printed share).
        row["required_pp_note"] = ALREADY_MET
    elif n_years > 0:
        row["required_pp_per_year"] = (threshold - s0) / n_years
    else:
        # Y0 is the deadline year: no years are left to close the gap.
        row["required_pp_note"] = "deadline year reached"
        notes.append("deadline year reached")

    growth, growth_note = _gdp_growth(iso3, y0, gdp, _latest_break(breaks, ("gdp",), y0))
    row["gdp_growth_note"] = growth_note
    if not math.isnan(growth):
        row["gdp_growth_pct"] = 100 * growth
    elif growth_note:
        notes.append(growth_note)

    # Wales Summit Declaration 2014, para 14: "increase defence expenditure in real terms as
    # GDP grows". This is the yearly real increase in defence spending that takes the share
    # from s0 to the target by the deadline, given the GDP growth of the last five years.
    # It has no meaning for a share of defence.
    if target.basis == "gdp":
        if n_years > 0 and not math.isnan(growth) and s0 > 0:
            signed = 100 * ((threshold / s0) ** (1 / n_years) * (1 + growth) - 1)
            row["required_real_growth_signed_pct_per_year"] = signed
            if not already_met:
                row["required_real_growth_pct_per_year"] = signed
        if already_met:
            row["required_real_growth_note"] = ALREADY_MET
        elif n_years <= 0:
            row["required_real_growth_note"] = "deadline year reached"
        elif math.isnan(growth):
            row["required_real_growth_note"] = growth_note
        elif s0 <= 0:
            row["required_real_growth_note"] = "share is zero: no growth rate reaches the target"
            notes.append(row["required_real_growth_note"])

    slope, year_at_threshold, trend_note = _trend(years, values, threshold, measure_break)
    row["trend_slope_pp_per_year"] = slope
    if already_met:
        row["trend_note"] = ALREADY_MET
        notes.append(ALREADY_MET)
    elif trend_note:
        row["trend_note"] = trend_note
    elif slope <= 0:
        row["trend_note"] = "not at current trend"
    else:
        # Tolerance: a series that hits the target exactly must not slip a year on float noise.
        projected = max(y0, math.ceil(year_at_threshold - 1e-9))
        if projected > horizon:
            row["trend_note"] = f"later than {horizon}"
        else:
            row["projected_year"] = projected
    if row["trend_note"] and row["trend_note"] != ALREADY_MET:
        notes.append(row["trend_note"])
    row["note"] = "; ".join(dict.fromkeys(notes))
    return row


def _breaks_by_member(breaks):
    """{iso3: [(first year of the new series, series, reason)]} from a breaks frame."""
    by_member = {}
    if breaks is None:
        return by_member
    sources = breaks["source"] if "source" in breaks else [""] * len(breaks)
    for iso3, series, year, reason, source in zip(
        breaks["iso3"], breaks["series"], breaks["year"], breaks["reason"], sources, strict=True
    ):
        told = f"{reason} Source: {source}." if source else reason
        by_member.setdefault(iso3, []).append((int(year), series, told))
    return by_member


def _latest_break(breaks, series, y0):
    """(year, reason) of the newest break up to y0 in any of `series`, or None."""
    found = [(year, reason) for year, name, reason in breaks if name in series and year <= y0]
    return max(found) if found else None


def _break_note(break_year, comparable, needed, what):
    return (
        f"series break in {break_year}: not enough comparable years for {what} "
        f"({comparable} since the break, {needed} needed)"
    )


def _gdp_growth(iso3, y0, gdp, gdp_break):
    """(yearly compound real GDP growth as a fraction or NaN, the reason when NaN)."""
    start_year = y0 - GROWTH_YEARS
    if gdp_break is not None and start_year < gdp_break[0]:
        comparable = y0 - gdp_break[0] + 1
        return math.nan, _break_note(gdp_break[0], comparable, GROWTH_YEARS + 1, "GDP growth")
    growth = _compound_growth(gdp.get((iso3, start_year)), gdp.get((iso3, y0)))
    if math.isnan(growth):
        return growth, f"fewer than {GROWTH_YEARS + 1} years of data"
    return growth, ""


def _trend(years, values, threshold, measure_break):
    """(slope pp/year, fractional year at the threshold, reason when no trend) of the last
    TREND_YEARS years; no trend when that window crosses a break in the series."""
    y0 = int(years[-1])
    first = y0 - (TREND_YEARS - 1)
    if measure_break is not None and first < measure_break[0]:
        comparable = int((years >= measure_break[0]).sum())
        return math.nan, math.nan, _break_note(measure_break[0], comparable, TREND_YEARS, "a trend")
    window = years >= first
    slope, year_at_threshold = _fit_trend(years[window], values[window], threshold)
    if math.isnan(slope):
        return slope, year_at_threshold, "not enough years for a trend"
    return slope, year_at_threshold, ""


def _compound_growth(start, end):
    """Yearly compound growth (fraction) from start to end over GROWTH_YEARS; NaN if unknown."""
    if is_missing(start) or is_missing(end) or start <= 0:
        return math.nan
    return (end / start) ** (1 / GROWTH_YEARS) - 1


def _fit_trend(years, values, threshold):
    """Least-squares slope (pp/year) and the fractional year the line reaches the threshold."""
    x = np.asarray(years, dtype="float64")
    y = np.asarray(values, dtype="float64")
    if len(np.unique(x)) < 2:
        return math.nan, math.nan
    x_mean, y_mean = x.mean(), y.mean()
    slope = ((x - x_mean) * (y - y_mean)).sum() / ((x - x_mean) ** 2).sum()
    # A flat series can come out a few ulps off zero; it is flat, not rising very slowly.
    if abs(slope) < 1e-12:
        return 0.0, math.nan
    # value = a + b * year with a = y_mean - b * x_mean, solved for value = threshold.
    return slope, x_mean + (threshold - y_mean) / slope


def build_trend_line(years, values, until_year, break_year=None):
    """The least-squares trend of the last TREND_YEARS years with a value, as [(year, value %)].

    The same line `build_paths` projects from, drawn from its first year to `until_year`;
    [] when fewer than two years have a value or when the window crosses a series break.
    """
    known = pd.DataFrame({"year": years, "value": values}).dropna().sort_values("year")
    if known.empty:
        return []
    y0 = int(known["year"].iloc[-1])
    first = y0 - (TREND_YEARS - 1)
    if break_year is not None and first < break_year <= y0:
        return []
    window = known[known["year"] >= first]
    if window["year"].nunique() < 2:
        return []
    slope, _ = _fit_trend(window["year"], window["value"], 0.0)
    x_mean = float(window["year"].astype("float64").mean())
    y_mean = float(window["value"].astype("float64").mean())
    start = int(window["year"].iloc[0])
    return [(year, y_mean + slope * (year - x_mean)) for year in range(start, int(until_year) + 1)]
