"""How NATO revised each ally's share of GDP between two editions that hold the same year.

Each NATO edition restates the series from 2014 (README, "Data and credit"); a revision is the
newer edition's share minus the older one's, both as NATO prints them (2 decimals), so the
numbers a reader sees add up: Poland's 2025, 4.48% estimated in the 2025 edition and 4.25% in
the 2026 edition, is revised by -0.23 points. An edition that changed the definition for every
ally (a SeriesBreak with an edition and no member, e.g. the 2026 edition's switch to "core"
defence expenditure) is named on each revision it makes: part of it is the definition.
"""

import pandas as pd

from spending.progress.records import empty_frame
from spending.progress.shares import add_shares, round_pct

REVISION_COLUMNS = [
    "iso3",
    "year",
    "edition",
    "status",
    "share_of_gdp_pct",
    "share_of_gdp_rounded_pct",
    "previous_edition",
    "previous_status",
    "previous_share_of_gdp_pct",
    "previous_share_of_gdp_rounded_pct",
    "revision_pp",
    "definition_changed",
    "definition_note",
]


def build_revisions(figures, edition_order, definition_changes=None):
    """One row per ally-year held by an edition and an older one: both shares (%) and the
    revision (points, newer minus older as printed), largest revisions first.

    `figures`: figures of several editions (iso3, year, edition, status and the amounts or
    NATO's printed share); `edition_order`: slugs newest first; `definition_changes`:
    {edition slug: reader's note} of the editions that changed a definition for every ally.
    """
    changes = definition_changes or {}
    rank = {slug: position for position, slug in enumerate(edition_order)}
    shared = add_shares(figures)
    shared = shared[shared["share_of_gdp_pct"].notna() & shared["edition"].isin(rank)]
    if shared.empty:
        return empty_frame(REVISION_COLUMNS)
    held = pd.DataFrame(
        {
            "iso3": shared["iso3"],
            "year": shared["year"].astype("int64"),
            "edition": shared["edition"],
            "status": shared["status"],
            "share_of_gdp_pct": shared["share_of_gdp_pct"].astype("float64"),
            "share_of_gdp_rounded_pct": round_pct(shared["share_of_gdp_pct"]),
            "_rank": shared["edition"].map(rank),
        }
    )
    # Oldest edition first, so each row follows the edition it revises.
    held = held.sort_values(["iso3", "year", "_rank"], ascending=[True, True, False])
    by_year = held.groupby(["iso3", "year"], sort=False)
    for column in ("edition", "status", "share_of_gdp_pct", "share_of_gdp_rounded_pct"):
        held[f"previous_{column}"] = by_year[column].shift(1)
    revised = held[held["previous_edition"].notna()].copy()
    if revised.empty:
        return empty_frame(REVISION_COLUMNS)
    revised["previous_share_of_gdp_pct"] = revised["previous_share_of_gdp_pct"].astype("float64")
    revised["previous_share_of_gdp_rounded_pct"] = revised[
        "previous_share_of_gdp_rounded_pct"
    ].astype("float64")
    # Both printed values have 2 decimals; rounding their difference drops float noise only.
    revised["revision_pp"] = (
        revised["share_of_gdp_rounded_pct"] - revised["previous_share_of_gdp_rounded_pct"]
    ).round(2)
    revised["definition_changed"] = revised["edition"].isin(changes)
    revised["definition_note"] = revised["edition"].map(changes).fillna("")
    # Largest first; ties by the unrounded revision, then by ally and year.
    revised["_size"] = revised["revision_pp"].abs()
    revised["_exact"] = (revised["share_of_gdp_pct"] - revised["previous_share_of_gdp_pct"]).abs()
    revised = revised.sort_values(
        ["_size", "_exact", "iso3", "year"], ascending=[False, False, True, True]
    )
    return revised[REVISION_COLUMNS].reset_index(drop=True)


def order_allies_by_revision(revisions):
    """The ISO3 codes in `revisions`, the ally with the largest revision (points) first."""
    if revisions.empty:
        return []
    largest = revisions.assign(_size=revisions["revision_pp"].abs()).groupby("iso3")["_size"]
    ordered = largest.max().reset_index().sort_values(["_size", "iso3"], ascending=[False, True])
    return list(ordered["iso3"])
