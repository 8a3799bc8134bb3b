"""Fair share: each ally's part of the alliance's defence spending against its part of the
alliance's GDP, year by year, and the United States against Europe and Canada.

The alliance is counted as `alliance.build_alliance_frame` counts it (NATO's "NATO Total",
Table 2/3 notes): an ally from its accession year on, and only with the amounts, so an ally
known only by NATO's reported share is left out. NATO publishes no figures for Iceland (no
armed forces): its rows say "not applicable", it is in neither sum, and the shares are of the
allies with figures. NATO's own GDP aggregates seem to include Iceland's GDP (caveat C9 in
fixtures/source/): these shares do not.

For an ally i in year t, at one price basis (current, or constant 2021 prices and exchange
rates):
    share of alliance defence = 100 x defence_i / sum of defence over the allies counted,
    share of alliance GDP     = 100 x GDP_i / sum of GDP over the allies counted,
    fair-share ratio          = share of alliance defence / share of alliance GDP,
so a ratio above 1 means the ally spends more than its economy's weight in the alliance; at
constant prices it equals its share of GDP over the alliance's.
"""

import numpy as np
import pandas as pd

from spending.progress.alliance import US_ISO3
from spending.progress.shares import add_shares, round_pct, share_of_gdp_pct

GROUPS = {"united-states": "United States", "europe-canada": "Europe and Canada"}
BASES = ("current", "const2021")
FAIR_SHARE_COLUMNS = [
    "year",
    "kind",
    "iso3",
    "name",
    "group",
    "status",
    "counted",
    "allies_counted",
    "defence_usd_current_m",
    "defence_usd_const2021_m",
    "gdp_usd_current_m",
    "gdp_usd_const2021_m",
    "share_of_gdp_pct",
    *[
        f"share_of_alliance_{measure}_{basis}_{suffix}"
        for basis in BASES
        for measure in ("defence", "gdp")
        for suffix in ("pct", "rounded_pct")
    ],
    "fair_share_ratio_current",
    "fair_share_ratio_const2021",
    "defence_per_capita_const2021_usd",
    "note",
]
NOT_APPLICABLE_NOTE = (
    "Not applicable: NATO publishes no figures for {name} (no armed forces). It is in neither "
    "the alliance's defence nor its GDP sum; the shares are of the allies with figures."
)
NOT_YET_NOTE = (
    "Not an ally in {year} (joined {accession}): counted from {accession}, as NATO's totals."
)
NO_AMOUNTS_NOTE = (
    "No defence and GDP amounts at 2021 prices for {year} (NATO's reported share alone, or no "
    "figures): not in the alliance's sums."
)
GROUP_NOTE = "Sum of the {count} allies counted in this group in {year}."


def build_fair_share_frame(figures, members):
    """One row per member and year of `figures` (one edition), then one per group (the United
    States, Europe and Canada) and year: shares of the alliance's defence and GDP (%), at
    current and 2021 prices, the fair-share ratios, and NATO's defence per capita (USD, 2021)."""
    if figures.empty:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in FAIR_SHARE_COLUMNS})
    shared = add_shares(figures)
    info = members.set_index("iso3")
    years = sorted(int(year) for year in shared["year"].unique())
    # Every member every year: Iceland and an ally not yet joined get a row saying why.
    grid = pd.MultiIndex.from_product([years, list(members["iso3"])], names=["year", "iso3"])
    rows = shared.set_index(["year", "iso3"]).reindex(grid).reset_index()
    rows["name"] = rows["iso3"].map(info["name"])
    accession = rows["iso3"].map(info["accession_year"])
    reports = rows["iso3"].map(info["reports_figures"]).eq(True)
    rows["counted"] = (
        reports & (rows["year"] >= accession) & rows["share_source"].eq("computed")
    ).astype(bool)
    rows["group"] = np.where(rows["iso3"] == US_ISO3, "united-states", "europe-canada")
    rows["kind"] = "ally"
    rows["allies_counted"] = np.nan

    counted = rows[rows["counted"]]
    amounts = [f"{measure}_usd_{basis}_m" for basis in BASES for measure in ("defence", "gdp")]
    totals = counted.groupby("year")[amounts].sum().reindex(years)
    groups = _group_rows(counted, totals, years, amounts)
    rows = pd.concat([rows, groups], ignore_index=True)

    alliance = totals.reindex(rows["year"]).set_index(rows.index)
    is_counted = rows["counted"]
    for basis in BASES:
        for measure in ("defence", "gdp"):
            column = f"{measure}_usd_{basis}_m"
            share = share_of_gdp_pct(rows[column], alliance[column]).where(is_counted)
            rows[f"share_of_alliance_{measure}_{basis}_pct"] = share
            rows[f"share_of_alliance_{measure}_{basis}_rounded_pct"] = round_pct(share)
        rows[f"fair_share_ratio_{basis}"] = rows[f"share_of_alliance_defence_{basis}_pct"] / rows[
            f"share_of_alliance_gdp_{basis}_pct"
        ].where(rows[f"share_of_alliance_gdp_{basis}_pct"] != 0)
    rows["share_of_gdp_pct"] = share_of_gdp_pct(
        rows["defence_usd_const2021_m"], rows["gdp_usd_const2021_m"]
    )
    rows["note"] = [_note(row, info) for row in rows.itertuples(index=False)]
    rows = rows.sort_values(["year", "kind", "iso3", "group"], na_position="last")
    return rows[FAIR_SHARE_COLUMNS].reset_index(drop=True)


def _group_rows(counted, totals, years, amounts):
    """The United States' and Europe-and-Canada's sums per year, as rows of the frame."""
    parts = []
    for group, name in GROUPS.items():
        mine = counted[counted["group"] == group]
        sums = mine.groupby("year")[amounts].sum().reindex(years)
        sums["allies_counted"] = mine.groupby("year").size().reindex(years)
        estimate = mine["status"].eq("estimate").groupby(mine["year"]).any()
        sums["status"] = np.where(estimate.reindex(years, fill_value=False), "estimate", "actual")
        sums = sums.reset_index()
        sums["kind"], sums["group"], sums["name"], sums["iso3"] = "group", group, name, None
        sums["counted"] = sums["allies_counted"].fillna(0) > 0
        sums["defence_per_capita_const2021_usd"] = np.nan
        parts.append(sums)
    return pd.concat(parts, ignore_index=True)


def _note(row, info):
    if row.kind == "group":
        count = 0 if pd.isna(row.allies_counted) else int(row.allies_counted)
        if count == 1:
            return f"One ally counted in this group in {row.year}."
        return GROUP_NOTE.format(count=count, year=row.year)
    if not info.loc[row.iso3, "reports_figures"]:
        return NOT_APPLICABLE_NOTE.format(name=row.name)
    accession = int(info.loc[row.iso3, "accession_year"])
    if row.year < accession:
        return NOT_YET_NOTE.format(year=row.year, accession=accession)
    if not row.counted:
        return NO_AMOUNTS_NOTE.format(year=row.year)
    return ""
