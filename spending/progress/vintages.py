"""One figure across the editions that hold it: each vintage and its revision."""

from spending.progress.shares import add_shares

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
    # An edition that publishes none of this metric for the member (the 2025 edition holds
    # only shares) has no vintage of it to show; a gap inside a published series stays.
    held = history.groupby(["iso3", "edition"])["value"].transform(lambda v: v.notna().any())
    history = history[held.astype(bool)]
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
