"""Each member-year's state against each target: value, met, gaps and the run of years met.

Sources of the rules:
- Wales Summit Declaration (2014), para 14: the Defence Investment Pledge, 2% of GDP and 20%
  of defence spending on major equipment incl. R&D "within a decade".
- The Hague Summit Declaration (2025), paras 2-4: 5% of GDP by 2035, made of at least 3.5%
  core defence (NATO's definition) and up to 1.5% defence- and security-related spending.
"""

import numpy as np
import pandas as pd

from spending.progress.records import empty_frame
from spending.progress.shares import MEASURE_COLUMNS, add_shares, round_pct

PROGRESS_COLUMNS = [
    "iso3",
    "year",
    "status",
    "target",
    "value_pct",
    "value_rounded_pct",
    "met",
    "gap_pp",
    "gap_usd_m",
    "margin_pp",
    "margin_usd_m",
    "first_year_met",
    "consecutive_years_met",
    "note",
]


CORE_ONLY = "core only: related spending not published"


def meets(rounded_pct, threshold_pct, kind="floor"):
    """Whether a value as NATO prints it (2 decimals, %) meets a threshold (%): the one verdict
    every table, card, chart, hover and CSV shows; works on numbers and Series alike."""
    if kind == "floor":
        return rounded_pct >= threshold_pct
    if kind == "ceiling":
        return rounded_pct <= threshold_pct
    raise ValueError(f"unknown target kind {kind!r}")


def gdp_bands(targets, related_known=False):
    """The bands of the share of GDP from the GDP floor targets, highest first, as
    [(lower edge %, label)]: with the Hague targets "5% or more", "3.5% to under 5%",
    "2% to under 3.5%", "under 2%". The 5% band says "core only" while related spending is
    unpublished, since only core defence is then measured against it."""
    floors = sorted(
        (t for t in _as_dicts(targets) if t["basis"] == "gdp" and t["kind"] == "floor"),
        key=lambda t: float(t["threshold_pct"]),
        reverse=True,
    )
    bands, upper = [], None
    for target in floors:
        edge = float(target["threshold_pct"])
        label = f"{edge:g}% or more" if upper is None else f"{edge:g}% to under {upper:g}%"
        if target["measure"] == "total_share_of_gdp_pct" and not related_known:
            label += f" ({CORE_ONLY})"
        bands.append((edge, label))
        upper = edge
    if upper is not None:
        bands.append((None, f"under {upper:g}%"))
    return bands


def gdp_band(rounded_pct, bands):
    """Index in `bands` of the band a share as NATO prints it (%) falls in; None when missing."""
    if rounded_pct is None or rounded_pct != rounded_pct:
        return None
    for index, (edge, _) in enumerate(bands):
        if edge is None or meets(rounded_pct, edge):
            return index
    return None


def _as_dicts(targets):
    if isinstance(targets, pd.DataFrame):
        return targets.to_dict("records")
    return list(targets)


def build_progress_frame(figures, targets):
    """One row per member, year and target: value (%), met, gaps (pp, USD m) and the run met."""
    shared = add_shares(figures)
    parts = [_measure_target(shared, target) for target in targets.itertuples(index=False)]
    if not parts:
        return empty_frame(PROGRESS_COLUMNS)
    progress = pd.concat(parts, ignore_index=True)
    progress = progress.sort_values(["iso3", "target", "year"], ignore_index=True)
    progress[["first_year_met", "consecutive_years_met"]] = _count_years_met(progress)
    progress["first_year_met"] = progress["first_year_met"].astype("Int64")
    progress["consecutive_years_met"] = progress["consecutive_years_met"].astype("Int64")
    return progress[PROGRESS_COLUMNS]


def _measure_target(shared, target):
    """The progress rows of one target, before the run counts."""
    column = MEASURE_COLUMNS.get(target.measure)
    if column is None:
        raise ValueError(f"target {target.slug}: unknown measure {target.measure!r}")
    threshold = float(target.threshold_pct)
    value = shared[column].astype("float64")
    rounded = round_pct(value)
    missing = value.isna()
    # Targets are judged on the value NATO prints (Table 3: 2 decimals), so 1.996% meets 2%.
    if target.kind == "floor":
        met = meets(rounded, threshold, "floor")
        gap_pp = (threshold - rounded).clip(lower=0)
        margin_pp = (rounded - threshold).where(met)
    elif target.kind == "ceiling":
        met = meets(rounded, threshold, "ceiling")
        gap_pp = (rounded - threshold).clip(lower=0)
        margin_pp = (threshold - rounded).where(met)
    else:
        raise ValueError(f"target {target.slug}: unknown kind {target.kind!r}")

    is_gdp_floor = target.basis == "gdp" and target.kind == "floor"
    if is_gdp_floor:
        spending = shared["defence_usd_current_m"]
        if target.measure == "total_share_of_gdp_pct":
            spending = spending + shared["related_usd_current_m"].fillna(0.0)
        gdp_current = shared["gdp_usd_current_m"]
        # A USD amount needs current prices: the money missing in that year's dollars.
        needed = threshold / 100 * gdp_current.where(gdp_current != 0)
        gap_usd = (needed - spending).clip(lower=0)
        # Above the target: how much more than the threshold was spent, in that year's dollars.
        margin_usd = (spending - needed).where(met & (spending >= needed))
    else:
        gap_usd = pd.Series(np.nan, index=shared.index)
        margin_usd = pd.Series(np.nan, index=shared.index)

    gdp_missing = shared["gdp_usd_const2021_m"].isna() | (shared["gdp_usd_const2021_m"] == 0)
    notes = [
        (missing & (target.basis == "gdp") & gdp_missing, "GDP missing"),
        (
            missing & (target.basis == "gdp") & ~gdp_missing,
            "defence expenditure missing",
        ),
        (missing & (target.basis != "gdp"), f"{target.measure} missing"),
        (~missing & is_gdp_floor & gap_usd.isna(), "current-price figures missing: no USD gap"),
        # Met is judged on the constant-price share (Table 3), the USD gap on current prices;
        # they part where NATO deflates defence differently from GDP (the Netherlands) or
        # where the share only reaches the threshold once rounded.
        (
            met.fillna(False) & (gap_usd > 0),
            "met on the rounded constant-price share; current-price spending is short",
        ),
    ]
    if column in ("share_of_gdp_pct", "total_share_of_gdp_pct"):
        notes.append(
            (
                shared["share_source"] == "reported",
                "NATO's reported share used: the amounts were not uploaded",
            )
        )
    if target.measure == "total_share_of_gdp_pct":
        notes.append(
            (~shared["related_known"], "related spending not published: core defence only")
        )
    return pd.DataFrame(
        {
            "iso3": shared["iso3"],
            "year": shared["year"].astype("int64"),
            "status": shared["status"],
            "target": target.slug,
            "value_pct": value,
            "value_rounded_pct": rounded,
            "met": met.astype("boolean").mask(missing),
            "gap_pp": gap_pp,
            "gap_usd_m": gap_usd.astype("float64"),
            "margin_pp": margin_pp.astype("float64"),
            "margin_usd_m": margin_usd.astype("float64"),
            "note": _join_notes(shared.index, notes),
        }
    )


def _count_years_met(progress):
    """first_year_met and consecutive_years_met for a frame sorted by iso3, target, year."""
    first_years, runs = [], []
    previous_key, previous_year, first_year, run = None, None, pd.NA, 0
    for iso3, target, year, met in progress[["iso3", "target", "year", "met"]].itertuples(
        index=False
    ):
        key = (iso3, target)
        if key != previous_key:
            previous_year, first_year, run = None, pd.NA, 0
        if met is pd.NA:
            # No value: we cannot say it was missed, but the run is broken.
            run_now, run = pd.NA, 0
        elif met:
            run = run + 1 if previous_year == year - 1 else 1
            run_now = run
            if first_year is pd.NA:
                first_year = year
        else:
            run_now, run = 0, 0
        first_years.append(first_year)
        runs.append(run_now)
        previous_key, previous_year = key, year
    return pd.DataFrame(
        {"first_year_met": first_years, "consecutive_years_met": runs}, index=progress.index
    )


def _join_notes(index, notes):
    """One "; "-separated note per row from (mask, text) pairs, "" where none applies."""
    # Plain lists: a few hundred rows, where pandas' masked assignment costs more than the work.
    parts = [[] for _ in range(len(index))]
    for mask, text in notes:
        flags = pd.Series(mask, index=index).fillna(False).astype(bool).to_numpy()
        for position in flags.nonzero()[0]:
            parts[position].append(text)
    return pd.Series(["; ".join(part) for part in parts], index=index, dtype=object)
