"""Pure maths on pandas frames: shares, targets met, gaps, paths and projections.

No Django, no database, no I/O: every function takes frames and returns new frames, so the
page and the API show the same number from the same function. Frames come from
`spending.frames`; targets come from the targets frame only (admins can edit them), never
from constants here.

Sources of the rules:
- Wales Summit Declaration (2014), para 14: the Defence Investment Pledge, 2% of GDP and 20%
  of defence spending on major equipment incl. R&D "within a decade".
- The Hague Summit Declaration (2025), paras 2-4: 5% of GDP by 2035, made of at least 3.5%
  core defence (NATO's definition) and up to 1.5% defence- and security-related spending.
- NATO, "Defence Expenditure of NATO Countries (2014-2026)", Table 3 note: the share of GDP is
  based on constant 2021 prices; NATO prints it rounded to 2 decimals.
"""

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

import numpy as np
import pandas as pd

# Which column of `add_shares` holds each target measure (targets.measure).
MEASURE_COLUMNS = {
    "core_share_of_gdp_pct": "share_of_gdp_pct",
    "equipment_share_pct": "equipment_share_pct",
    "total_share_of_gdp_pct": "total_share_of_gdp_pct",
}
# NATO publishes "NATO Europe and Canada" as the alliance minus the United States.
US_ISO3 = "USA"
# Projections further out than this are reported as a note, not as a year.
HORIZON_YEAR = 2100
# The GDP growth behind the required-growth figure: compound rate over the last 5 years.
GROWTH_YEARS = 5
# The trend is a straight line through the last 6 years (Y0-5..Y0) that have a value.
TREND_YEARS = 6

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
    "first_year_met",
    "consecutive_years_met",
    "note",
]
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
ALLIANCE_COLUMNS = [
    "year",
    "allies_with_data",
    "defence_usd_current_m",
    "defence_usd_const2021_m",
    "gdp_usd_current_m",
    "gdp_usd_const2021_m",
    "share_of_gdp_pct",
    "us_defence_usd_current_m",
    "us_defence_usd_const2021_m",
    "europe_canada_defence_usd_current_m",
    "europe_canada_defence_usd_const2021_m",
    "us_share_of_alliance_defence_pct",
    "europe_canada_share_of_alliance_defence_pct",
    "us_share_of_gdp_pct",
    "europe_canada_share_of_gdp_pct",
    "military_personnel_k",
    "status",
]
COUNT_COLUMNS = ["year", "target", "allies_met", "allies_with_data", "allies_not_met"]
SUMMARY_MEMBER_COLUMNS = [
    "iso3",
    "name",
    "reports_figures",
    "year",
    "status",
    "share_of_gdp_pct",
    "share_of_gdp_rounded_pct",
    "equipment_share_pct",
    "rank",
]
SUMMARY_TARGET_COLUMNS = [
    "iso3",
    "target",
    "year",
    "value_pct",
    "value_rounded_pct",
    "met",
    "gap_pp",
    "gap_usd_m",
    "first_year_met",
    "consecutive_years_met",
    "note",
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
    "path_note",
]


def share_of_gdp_pct(defence, gdp):
    """Defence as % of GDP (same price basis for both); NaN when GDP is missing or 0."""
    # A zero GDP is a data gap, not an infinitely large share.
    if isinstance(gdp, pd.Series):
        return 100 * defence / gdp.astype("float64").where(gdp != 0)
    if _is_missing(gdp) or gdp == 0:
        gdp = math.nan
    if isinstance(defence, pd.Series):
        return 100 * defence.astype("float64") / gdp
    if _is_missing(defence) or math.isnan(gdp):
        return math.nan
    return 100 * float(defence) / float(gdp)


def share_of_figure(defence_const, gdp_const, reported):
    """One member-year's share of GDP (%) as `add_shares` computes it: from the 2021-price
    amounts, else NATO's printed share where only that was uploaded; None when neither."""
    computed = share_of_gdp_pct(defence_const, gdp_const)
    if not math.isnan(computed):
        return computed
    return None if _is_missing(reported) else float(reported)


def round_pct(value):
    """A percentage rounded half-up to 2 decimals as NATO prints it (1.995 -> 2.00), in %."""
    if isinstance(value, pd.Series):
        return value.astype("float64").map(_round_half_up)
    return _round_half_up(value)


def add_shares(figures):
    """Copy of figures with core, related and total shares of GDP (%), `share_source` and
    `related_known`.

    `share_source` is "computed" where the share comes from the constant-price amounts,
    "reported" where only NATO's printed share was uploaded and is used as it is, else None.
    """
    shared = figures.copy()
    if "related_usd_current_m" not in shared:
        # NATO does not publish the Hague "up to 1.5%" spending yet; a frame may omit it.
        shared["related_usd_current_m"] = np.nan
    # Table 3 note: the share of GDP is computed at constant 2021 prices.
    computed = share_of_gdp_pct(shared["defence_usd_const2021_m"], shared["gdp_usd_const2021_m"])
    if "nato_share_of_gdp_pct" in shared:
        reported = shared["nato_share_of_gdp_pct"].astype("float64")
    else:
        reported = pd.Series(np.nan, index=shared.index)
    # An upload of Table 3 alone gives NATO's share without the amounts: use it, and say so.
    use_reported = computed.isna() & reported.notna()
    shared["share_of_gdp_pct"] = computed.where(~use_reported, reported)
    shared["share_source"] = np.where(
        computed.notna(), "computed", np.where(use_reported, "reported", None)
    )
    # No constant-price series exists for related spending, so it is taken at current prices.
    shared["related_share_of_gdp_pct"] = share_of_gdp_pct(
        shared["related_usd_current_m"].astype("float64"), shared["gdp_usd_current_m"]
    )
    shared["related_known"] = shared["related_share_of_gdp_pct"].notna()
    # The Hague Declaration, paras 2-3: 5% = core defence + defence- and security-related.
    # Until the related part is published the total can only be the core part.
    shared["total_share_of_gdp_pct"] = shared["share_of_gdp_pct"] + shared[
        "related_share_of_gdp_pct"
    ].fillna(0.0)
    return shared


def build_progress_frame(figures, targets):
    """One row per member, year and target: value (%), met, gaps (pp, USD m) and the run met."""
    shared = add_shares(figures)
    parts = [_measure_target(shared, target) for target in targets.itertuples(index=False)]
    if not parts:
        return _empty_frame(PROGRESS_COLUMNS)
    progress = pd.concat(parts, ignore_index=True)
    progress = progress.sort_values(["iso3", "target", "year"], ignore_index=True)
    progress[["first_year_met", "consecutive_years_met"]] = _count_years_met(progress)
    progress["first_year_met"] = progress["first_year_met"].astype("Int64")
    progress["consecutive_years_met"] = progress["consecutive_years_met"].astype("Int64")
    return progress[PROGRESS_COLUMNS]


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
        return _empty_frame(PATH_COLUMNS)
    paths = pd.DataFrame(rows, columns=PATH_COLUMNS)
    paths = paths.astype({"y0": "Int64", "n_years": "Int64", "projected_year": "Int64"})
    return paths.sort_values(["iso3", "target"], ignore_index=True)


def build_alliance_frame(figures, members):
    """One row per year: alliance and US / Europe-and-Canada sums (USD m) and shares (%)."""
    shared = add_shares(figures)
    # Table 2/3 note: "NATO Total" counts a country only from its accession year on.
    accession_year = shared["iso3"].map(members.set_index("iso3")["accession_year"])
    # Sums need the amounts: an ally known only by NATO's reported share cannot be added up.
    counted = shared[(shared["year"] >= accession_year) & (shared["share_source"] == "computed")]
    is_us = counted["iso3"] == US_ISO3
    sums = ["defence_usd_current_m", "defence_usd_const2021_m"]

    alliance = counted.groupby("year").agg(
        allies_with_data=("iso3", "size"),
        defence_usd_current_m=("defence_usd_current_m", "sum"),
        defence_usd_const2021_m=("defence_usd_const2021_m", "sum"),
        gdp_usd_current_m=("gdp_usd_current_m", "sum"),
        gdp_usd_const2021_m=("gdp_usd_const2021_m", "sum"),
        military_personnel_k=("military_personnel_k", lambda k: k.sum(min_count=1)),
        any_estimate=("status", lambda status: (status == "estimate").any()),
    )
    us = counted[is_us].groupby("year")[[*sums, "gdp_usd_const2021_m"]].sum()
    rest = counted[~is_us].groupby("year")[[*sums, "gdp_usd_const2021_m"]].sum()
    us, rest = us.reindex(alliance.index), rest.reindex(alliance.index)

    alliance["share_of_gdp_pct"] = share_of_gdp_pct(
        alliance["defence_usd_const2021_m"], alliance["gdp_usd_const2021_m"]
    )
    for prefix, part in (("us", us), ("europe_canada", rest)):
        alliance[f"{prefix}_defence_usd_current_m"] = part["defence_usd_current_m"]
        alliance[f"{prefix}_defence_usd_const2021_m"] = part["defence_usd_const2021_m"]
        # Split of the year's spending at that year's prices and exchange rates.
        alliance[f"{prefix}_share_of_alliance_defence_pct"] = share_of_gdp_pct(
            part["defence_usd_current_m"], alliance["defence_usd_current_m"]
        )
        alliance[f"{prefix}_share_of_gdp_pct"] = share_of_gdp_pct(
            part["defence_usd_const2021_m"], part["gdp_usd_const2021_m"]
        )
    alliance["status"] = np.where(alliance["any_estimate"], "estimate", "actual")
    alliance = alliance.reset_index()
    alliance["allies_with_data"] = alliance["allies_with_data"].astype("int64")
    return alliance[ALLIANCE_COLUMNS]


def count_allies_meeting(progress, figures, members):
    """One row per year and target: allies meeting it, allies with a value, allies short."""
    member_info = members.set_index("iso3")
    accession_year = progress["iso3"].map(member_info["accession_year"])
    reports = progress["iso3"].map(member_info["reports_figures"]).eq(True)
    # Only allies of that year count, and never a member NATO publishes no figures for
    # (Iceland has no armed forces): it is not "missing" a target.
    counted = progress[(progress["year"] >= accession_year) & reports]
    counts = (
        counted.assign(
            has_value=counted["value_pct"].notna(),
            is_met=counted["met"].fillna(False).astype(bool),
        )
        .groupby(["year", "target"])
        .agg(allies_met=("is_met", "sum"), allies_with_data=("has_value", "sum"))
    )
    # Every year of the figures gets a row for every target, even with nobody to count.
    grid = pd.MultiIndex.from_product(
        [sorted(figures["year"].unique()), sorted(progress["target"].unique())],
        names=["year", "target"],
    )
    counts = counts.reindex(grid, fill_value=0).reset_index()
    counts["allies_not_met"] = counts["allies_with_data"] - counts["allies_met"]
    counts = counts.astype(
        {
            "year": "int64",
            "allies_met": "int64",
            "allies_with_data": "int64",
            "allies_not_met": "int64",
        }
    )
    return counts[COUNT_COLUMNS]


def to_records(frame):
    """The frame as dicts of plain Python values, None where pandas holds NaN or NA.

    pandas' to_dict already gives Python scalars; the gaps are cleaned here value by value,
    which on these small frames costs a fraction of converting the whole frame to objects.
    """
    records = frame.to_dict("records")
    for record in records:
        for name, value in record.items():
            if value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
                record[name] = None
    return records


def describe_member(figures, members, targets, iso3):
    """One member's summary, rank and year-by-year history with each target's state."""
    # Targets and paths of this member only; its rank needs every ally's share.
    own = figures[figures["iso3"] == iso3]
    progress = build_progress_frame(own, targets)
    summary = summarise_members(
        own, members[members["iso3"] == iso3], targets, progress=progress
    ).to_dict()[iso3]
    every_share = add_shares(figures)
    every_share["share_of_gdp_rounded_pct"] = round_pct(every_share["share_of_gdp_pct"])
    ranks = _rank_allies(every_share, members)
    if summary["year"] is not None:
        in_year = (every_share["year"] == summary["year"]) & ranks.notna()
        summary["ranked_count"] = int(in_year.sum())
        rank = ranks[in_year & (every_share["iso3"] == iso3)]
        summary["rank"] = int(rank.iloc[0]) if len(rank) else None
    shared = every_share[every_share["iso3"] == iso3]
    states = {}
    for record in to_records(progress[progress["iso3"] == iso3]):
        states.setdefault(record["year"], {})[record["target"]] = record
    history = to_records(shared.sort_values("year"))
    for row in history:
        row["targets"] = states.get(row["year"], {})
    return {"summary": summary, "history": history, "targets": to_records(targets)}


class MemberSummary(NamedTuple):
    """Per-member table (one row per member) and per-target table (one row per member, target)."""

    members: pd.DataFrame
    targets: pd.DataFrame

    def to_dict(self):
        """{iso3: {member fields..., "targets": {slug: {fields...}}}}, None where no value."""
        by_member = {}
        for record in to_records(self.members):
            by_member[record["iso3"]] = {**record, "targets": {}}
        for record in to_records(self.targets):
            slug = record.pop("target")
            by_member[record.pop("iso3")]["targets"][slug] = record
        return by_member


def summarise_shares(figures, members):
    """One row per member: its newest year with a share of GDP (%), status and rank."""
    shared = add_shares(figures)
    shared["share_of_gdp_rounded_pct"] = round_pct(shared["share_of_gdp_pct"])
    shared["rank"] = _rank_allies(shared, members)

    with_share = shared[shared["share_of_gdp_pct"].notna()]
    newest = with_share.sort_values("year").groupby("iso3").tail(1)
    summary = members[["iso3", "name", "reports_figures"]].merge(
        newest[SUMMARY_MEMBER_COLUMNS[3:] + ["iso3"]], on="iso3", how="left"
    )
    return summary.astype({"year": "Int64", "rank": "Int64"})


def summarise_members(figures, members, targets, progress=None):
    """Every member's newest year: share of GDP (%), rank, and each target's state and path."""
    if progress is None:
        progress = build_progress_frame(figures, targets)
    paths = build_paths(figures, targets, progress=progress)
    summary = summarise_shares(figures, members)

    # Every member gets one row per target, with nulls where there is nothing to say.
    grid = members[["iso3"]].merge(
        targets[["slug"]].rename(columns={"slug": "target"}), how="cross"
    )
    grid["year"] = grid["iso3"].map(summary.set_index("iso3")["year"])
    per_target = grid.merge(
        progress.drop(columns="status"), on=["iso3", "target", "year"], how="left"
    ).merge(paths.rename(columns={"note": "path_note"}), on=["iso3", "target"], how="left")
    silent = ~per_target["iso3"].isin(members.loc[members["reports_figures"], "iso3"])
    per_target.loc[silent, "note"] = "NATO publishes no figures for this member"
    per_target["note"] = per_target["note"].fillna("no figures")
    per_target["path_note"] = per_target["path_note"].fillna("")
    per_target["threshold_pct"] = per_target["target"].map(
        targets.set_index("slug")["threshold_pct"]
    )
    per_target = per_target.astype({"year": "Int64", "met": "boolean"})
    return MemberSummary(
        members=summary[SUMMARY_MEMBER_COLUMNS].reset_index(drop=True),
        targets=per_target[SUMMARY_TARGET_COLUMNS].reset_index(drop=True),
    )


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
        met = rounded >= threshold
        gap_pp = (threshold - rounded).clip(lower=0)
    elif target.kind == "ceiling":
        met = rounded <= threshold
        gap_pp = (rounded - threshold).clip(lower=0)
    else:
        raise ValueError(f"target {target.slug}: unknown kind {target.kind!r}")

    is_gdp_floor = target.basis == "gdp" and target.kind == "floor"
    if is_gdp_floor:
        spending = shared["defence_usd_current_m"]
        if target.measure == "total_share_of_gdp_pct":
            spending = spending + shared["related_usd_current_m"].fillna(0.0)
        gdp_current = shared["gdp_usd_current_m"]
        # A USD amount needs current prices: the money missing in that year's dollars.
        gap_usd = (threshold / 100 * gdp_current.where(gdp_current != 0) - spending).clip(lower=0)
    else:
        gap_usd = pd.Series(np.nan, index=shared.index)

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
    if _is_missing(start) or _is_missing(end) or start <= 0:
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


def _rank_allies(shared, members):
    """Rank (1 = highest) of each ally's rounded share among the allies of that year."""
    accession_year = shared["iso3"].map(members.set_index("iso3")["accession_year"])
    allies = shared["year"] >= accession_year
    # Ranked on the printed value so that equal printed shares share a rank.
    ranks = (
        shared.loc[allies]
        .groupby("year")["share_of_gdp_rounded_pct"]
        .rank(method="min", ascending=False)
    )
    return ranks.reindex(shared.index).astype("Int64")


def _join_notes(index, notes):
    """One "; "-separated note per row from (mask, text) pairs, "" where none applies."""
    # Plain lists: a few hundred rows, where pandas' masked assignment costs more than the work.
    parts = [[] for _ in range(len(index))]
    for mask, text in notes:
        flags = pd.Series(mask, index=index).fillna(False).astype(bool).to_numpy()
        for position in flags.nonzero()[0]:
            parts[position].append(text)
    return pd.Series(["; ".join(part) for part in parts], index=index, dtype=object)


def _round_half_up(value):
    if _is_missing(value):
        return math.nan
    # 15 significant digits (what a spreadsheet keeps) drop float artefacts such as
    # 1.99499999999999 for 1.995 before rounding half-up.
    return float(Decimal(format(float(value), ".15g")).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _is_missing(value):
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _empty_frame(columns):
    return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})


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


VINTAGE_COLUMNS = [
    "iso3",
    "year",
    "edition",
    "status",
    "value",
    "previous_edition",
    "previous_value",
    "revision",
]


def build_vintage_history(figures, metric, edition_order):
    """One row per year and edition holding it (oldest edition first) with one metric's value
    and its revision against the previous edition that holds that year (same unit as metric).
    """
    if metric not in figures.columns:
        figures = add_shares(figures)
    rank = {slug: position for position, slug in enumerate(edition_order)}
    history = figures[["iso3", "year", "edition", "status", metric]].rename(
        columns={metric: "value"}
    )
    # Oldest edition first, so each edition's value follows the one it revises.
    history = history.assign(_rank=history["edition"].map(rank)).sort_values(
        ["iso3", "year", "_rank"], ascending=[True, True, False], ignore_index=True
    )
    by_year = history.groupby(["iso3", "year"])
    previous_edition = by_year["edition"].shift(1)
    history["previous_edition"] = previous_edition.astype(object).where(
        previous_edition.notna(), None
    )
    history["previous_value"] = by_year["value"].shift(1).astype("float64")
    history["revision"] = history["value"].astype("float64") - history["previous_value"]
    history["value"] = history["value"].astype("float64")
    return history[VINTAGE_COLUMNS]
