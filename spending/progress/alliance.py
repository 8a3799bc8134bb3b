"""The alliance as a whole: yearly sums and shares, and how many allies meet each target."""

import numpy as np
import pandas as pd

from spending.progress.shares import add_shares, share_of_gdp_pct

# NATO publishes "NATO Europe and Canada" as the alliance minus the United States.
US_ISO3 = "USA"
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


def build_alliance_frame(figures, members):
    """One row per year: alliance and US / Europe-and-Canada sums (USD m) and shares (%)."""
    shared = add_shares(figures)
    # Table 2/3 note: "NATO Total" counts a country only from its accession year on.
    accession_year = shared["iso3"].map(members.set_index("iso3")["accession_year"])
    # Sums need the amounts: an ally known only by NATO's reported share cannot be added up.
    allied = shared[shared["year"] >= accession_year]
    counted = allied[allied["share_source"] == "computed"]
    is_us = counted["iso3"] == US_ISO3
    sums = ["defence_usd_current_m", "defence_usd_const2021_m"]

    alliance = counted.groupby("year").agg(
        allies_with_data=("iso3", "size"),
        defence_usd_current_m=("defence_usd_current_m", "sum"),
        defence_usd_const2021_m=("defence_usd_const2021_m", "sum"),
        gdp_usd_current_m=("gdp_usd_current_m", "sum"),
        gdp_usd_const2021_m=("gdp_usd_const2021_m", "sum"),
        military_personnel_k=("military_personnel_k", lambda k: k.sum(min_count=1)),
    )
    # Every year of the figures gets a row; an edition holding only NATO's shares (the 2025
    # edition here) has no sums, but its years, statuses and target counts still answer.
    years = pd.Index(sorted(shared["year"].unique()), name="year")
    alliance = alliance.reindex(years)
    alliance["allies_with_data"] = alliance["allies_with_data"].fillna(0)
    # A year's status: any estimate among the allies summed, or, in a year without sums, among
    # the allies' shares.
    summed = counted.groupby("year")["status"].agg(lambda status: (status == "estimate").any())
    shared_only = allied.groupby("year")["status"].agg(lambda status: (status == "estimate").any())
    alliance["any_estimate"] = [
        bool(summed[year]) if year in summed.index else bool(shared_only.get(year, False))
        for year in years
    ]
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
