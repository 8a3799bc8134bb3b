"""Each member's newest year in one row: its share, rank, and each target's state and path."""

from typing import NamedTuple

import pandas as pd

from spending.progress.paths import build_paths
from spending.progress.records import to_records
from spending.progress.shares import add_shares, round_pct
from spending.progress.verdicts import build_progress_frame

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
    "margin_pp",
    "margin_usd_m",
    "first_year_met",
    "consecutive_years_met",
    "note",
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
    "path_note",
]


def describe_member(figures, members, targets, iso3, breaks=None):
    """One member's summary, rank and year-by-year history with each target's state."""
    # Targets and paths of this member only; its rank needs every ally's share.
    own = figures[figures["iso3"] == iso3]
    progress = build_progress_frame(own, targets)
    summary = summarise_members(
        own, members[members["iso3"] == iso3], targets, progress=progress, breaks=breaks
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


def summarise_members(figures, members, targets, progress=None, breaks=None):
    """Every member's newest year: share of GDP (%), rank, and each target's state and path."""
    if progress is None:
        progress = build_progress_frame(figures, targets)
    paths = build_paths(figures, targets, progress=progress, breaks=breaks)
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
    notes = [name for name in SUMMARY_TARGET_COLUMNS if name.endswith("_note")] + ["break_reason"]
    per_target[notes] = per_target[notes].fillna("")
    per_target["threshold_pct"] = per_target["target"].map(
        targets.set_index("slug")["threshold_pct"]
    )
    per_target = per_target.astype({"year": "Int64", "met": "boolean"})
    return MemberSummary(
        members=summary[SUMMARY_MEMBER_COLUMNS].reset_index(drop=True),
        targets=per_target[SUMMARY_TARGET_COLUMNS].reset_index(drop=True),
    )


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
