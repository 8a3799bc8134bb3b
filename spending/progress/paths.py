"""Each member's path to each target: the yearly effort still needed and the trend year.

Wales Summit Declaration (2014), para 14: allies below the guideline aim to "increase defence
expenditure in real terms as GDP grows" and to move towards 2% within a decade.
"""

import math

import numpy as np
import pandas as pd

from spending.progress.records import empty_frame, is_missing
from spending.progress.shares import round_pct
from spending.progress.verdicts import build_progress_frame

# Projections further out than this are reported as a note, not as a year.
HORIZON_YEAR = 2100
# The GDP growth behind the required-growth figure: compound rate over the last 5 years.
GROWTH_YEARS = 5
# The trend is a straight line through the last 6 years (Y0-5..Y0) that have a value.
TREND_YEARS = 6
PATH_COLUMNS = [
    "iso3",
    "target",
    "y0",
    "y0_status",
    "n_years",
    "s0",
    "threshold_pct",
    "required_pp_per_year",
    "gdp_growth_pct",
    "required_real_growth_pct_per_year",
    "trend_slope_pp_per_year",
    "projected_year",
    "note",
]


def build_paths(figures, targets, horizon_year=None, progress=None):
    """One row per member and target: the yearly effort (pp, % real growth) and trend year."""
    horizon = HORIZON_YEAR if horizon_year is None else int(horizon_year)
    if progress is None:
        progress = build_progress_frame(figures, targets)
    gdp = figures.set_index(["iso3", "year"])["gdp_usd_const2021_m"].to_dict()
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
                rows.append(
                    _build_path(
                        iso3, years[known], values[known], statuses[known], target, gdp, horizon
                    )
                )
    if not rows:
        return empty_frame(PATH_COLUMNS)
    paths = pd.DataFrame(rows, columns=PATH_COLUMNS)
    paths = paths.astype({"y0": "Int64", "n_years": "Int64", "projected_year": "Int64"})
    return paths.sort_values(["iso3", "target"], ignore_index=True)


def _build_path(iso3, years, values, statuses, target, gdp, horizon):
    """The path row of one member towards one target, from its known values sorted by year."""
    threshold = float(target.threshold_pct)
    row = dict.fromkeys(PATH_COLUMNS, np.nan)
    row.update(iso3=iso3, target=target.slug, threshold_pct=threshold, y0_status=None)
    row.update(y0=pd.NA, n_years=pd.NA, projected_year=pd.NA)
    notes = []
    if len(years) == 0:
        row["note"] = "no data"
        return row
    y0 = int(years[-1])
    s0 = float(values[-1])
    row.update(y0=y0, y0_status=statuses[-1], s0=s0)
    if target.kind != "floor":
        row["note"] = "a ceiling has no path to reach"
        return row
    if target.deadline_year < y0:
        row["note"] = f"deadline {target.deadline_year} has passed"
        return row

    n_years = int(target.deadline_year) - y0
    already_met = round_pct(s0) >= threshold
    row["n_years"] = n_years
    if n_years > 0:
        row["required_pp_per_year"] = max(0.0, threshold - s0) / n_years
    else:
        # Y0 is the deadline year (deadline_year > y0 fails, deadline_year < y0 has passed):
        # no years are left to close a gap, so only "already met" gets a number (0).
        notes.append("deadline year reached")
        if already_met:
            row["required_pp_per_year"] = 0.0

    growth = _compound_growth(gdp.get((iso3, y0 - GROWTH_YEARS)), gdp.get((iso3, y0)))
    if math.isnan(growth):
        notes.append("fewer than 6 years of data")
    else:
        row["gdp_growth_pct"] = 100 * growth

    # Wales Summit Declaration 2014, para 14: "increase defence expenditure in real terms as
    # GDP grows". This is the yearly real increase in defence spending that takes the share
    # from s0 to the target by the deadline, given the GDP growth of the last five years.
    # It has no meaning for a share of defence.
    if target.basis == "gdp" and n_years > 0 and not math.isnan(growth):
        if s0 > 0:
            row["required_real_growth_pct_per_year"] = 100 * (
                (threshold / s0) ** (1 / n_years) * (1 + growth) - 1
            )
        else:
            notes.append("share is zero: no growth rate reaches the target")

    window = years >= y0 - (TREND_YEARS - 1)
    slope, year_at_threshold = _fit_trend(years[window], values[window], threshold)
    row["trend_slope_pp_per_year"] = slope
    if already_met:
        notes.append("already met")
    elif math.isnan(slope):
        notes.append("not enough years for a trend")
    elif slope <= 0:
        notes.append("not at current trend")
    else:
        # Tolerance: a series that hits the target exactly must not slip a year on float noise.
        projected = max(y0, math.ceil(year_at_threshold - 1e-9))
        if projected > horizon:
            notes.append(f"later than {horizon}")
        else:
            row["projected_year"] = projected
    row["note"] = "; ".join(notes)
    return row


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


def build_trend_line(years, values, until_year):
    """The least-squares trend of the last TREND_YEARS years with a value, as [(year, value %)].

    The same line `build_paths` projects from, drawn from its first year to `until_year`;
    [] when fewer than two years have a value.
    """
    known = pd.DataFrame({"year": years, "value": values}).dropna().sort_values("year")
    if known.empty:
        return []
    y0 = int(known["year"].iloc[-1])
    window = known[known["year"] >= y0 - (TREND_YEARS - 1)]
    if window["year"].nunique() < 2:
        return []
    slope, _ = _fit_trend(window["year"], window["value"], 0.0)
    x_mean = float(window["year"].astype("float64").mean())
    y_mean = float(window["value"].astype("float64").mean())
    start = int(window["year"].iloc[0])
    return [(year, y_mean + slope * (year - x_mean)) for year in range(start, int(until_year) + 1)]
