"""The map of the alliance: each ally an SVG outline shaded by its band, linked to its page,
with a text label; Europe large, North America as an inset (static/geo/nato-allies.json)."""

import json
from pathlib import Path

from spending import progress
from spending.charts.chart import Chart
from spending.charts.look import NO_DATA_FILL, band_legend, gdp_floor_targets, share_band


def load_geometry(path):
    """The shipped map outlines (static/geo/nato-allies.json): view box and panels, each with
    its place, background and allies' paths."""
    return json.loads(Path(path).read_text())


def share_map(geometry, progress_frame, members, targets, year, source):
    """Allies shaded by their share of GDP in one year, as SVG paths with a text label each."""
    core = [t for t in gdp_floor_targets(targets) if t["measure"] == "core_share_of_gdp_pct"]
    rows = progress_frame[(progress_frame["year"] == year)]
    if core:
        rows = rows[rows["target"] == core[0]["slug"]]
    values = rows.set_index("iso3")
    bands = progress.gdp_bands(targets)
    where = {
        iso3: (panel["name"], path, panel["markers"].get(iso3))
        for panel in geometry["panels"]
        for iso3, path in panel["allies"].items()
    }
    countries, table = [], []
    for member in members.sort_values("name").itertuples(index=False):
        value = rounded = None
        if member.iso3 in values.index and year >= member.accession_year:
            row = values.loc[member.iso3]
            if row["value_pct"] == row["value_pct"]:
                value, rounded = float(row["value_pct"]), float(row["value_rounded_pct"])
        band = share_band(rounded, bands)
        if not member.reports_figures:
            label = f"{member.name}: not applicable (no armed forces)"
        elif value is None:
            label = f"{member.name}: no figures for {year}"
        else:
            label = f"{member.name}: {rounded:.2f}% of GDP in {year}"
        countries.append(
            {
                "iso3": member.iso3,
                "name": member.name,
                "panel": where.get(member.iso3, (None,))[0],
                "path": where.get(member.iso3, (None, ""))[1],
                "marker": where.get(member.iso3, (None, "", None))[2],
                "fill": band[1] if band else NO_DATA_FILL,
                "hatched": not member.reports_figures or value is None,
                "css": band[3] if band else "band-none",
                "label": label,
            }
        )
        status = None
        if value is not None:
            status = values.loc[member.iso3, "status"]
        verdict = band[0] if band else ("not applicable" if not member.reports_figures else "")
        table.append([member.iso3, member.name, status, value, verdict])
    return Chart(
        slug="map",
        title=f"Map: share of GDP by ally, {year}",
        description=(
            f"Map of Europe, with North America as an inset at a smaller scale, each ally shaded "
            f"by its defence spending as a share of GDP in {year} (under 2% also dotted) and "
            f"linked to its page; Iceland, which has no armed forces, is hatched."
        ),
        columns=[
            ("ISO3", "text"),
            ("Ally", "text"),
            ("Status", "text"),
            ("Share of GDP, %", "pct"),
            ("Band", "text"),
        ],
        rows=table,
        extra={
            "view_box": geometry["view_box"],
            "panels": [
                {
                    **{key: panel[key] for key in ("name", "x", "y", "width", "height")},
                    "background": panel["background"],
                    "countries": [c for c in countries if c["panel"] == panel["name"]],
                }
                for panel in geometry["panels"]
            ],
            "countries": countries,
            "bands": band_legend(bands),
            "source": source,
        },
    )
