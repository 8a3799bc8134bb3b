"""The alliance overview's figures: allies ranked, allies meeting each target, US vs Europe and
Canada, and the ally-by-year heatmap (drawn as an HTML table).
"""

from spending import progress
from spending.charts.chart import Chart, figure_dict, trace
from spending.charts.look import (
    BLUE,
    GREEN,
    MUTED,
    NO_DATA_FILL,
    ORANGE,
    PURPLE,
    VERMILLION,
    band_legend,
    base_layout,
    gdp_floor_targets,
    series_traces,
    share_band,
    short_target_label,
    target_line,
    year_ticks,
)


def ranked_share_chart(progress_frame, members, targets, year, source):
    """Every ally's share of GDP in one year, highest first, bars patterned by targets met."""
    floors = gdp_floor_targets(targets)
    core = [t for t in floors if t["measure"] == "core_share_of_gdp_pct"]
    rows = progress_frame[
        (progress_frame["year"] == year) & progress_frame["target"].isin([t["slug"] for t in core])
    ]
    member_info = members.set_index("iso3")
    allies = rows[rows["year"] >= rows["iso3"].map(member_info["accession_year"])]
    allies = allies[allies["value_pct"].notna()]
    shares = allies.drop_duplicates("iso3").set_index("iso3")
    shares = shares.sort_values(["value_rounded_pct", "iso3"], ascending=[True, False])

    # One band per ally from the one verdict function (progress.gdp_band): the legend, hover,
    # CSV, map and heatmap all say the same; each band has a colour AND a pattern.
    bands = progress.gdp_bands(targets)
    styles = [(PURPLE, "."), (GREEN, ""), (BLUE, "/"), (VERMILLION, "x")]
    assigned = {
        iso3: progress.gdp_band(float(shares.loc[iso3, "value_rounded_pct"]), bands)
        for iso3 in shares.index
    }
    traces = []
    for index, ((_, label), (colour, pattern)) in enumerate(zip(bands, styles, strict=False)):
        chosen = [iso3 for iso3 in shares.index if assigned[iso3] == index]
        if not chosen:
            continue
        names = [member_info.loc[iso3, "name"] for iso3 in chosen]
        estimate = [shares.loc[iso3, "status"] == "estimate" for iso3 in chosen]
        traces.append(
            trace(
                "bar",
                x=[float(shares.loc[iso3, "value_pct"]) for iso3 in chosen],
                y=names,
                orientation="h",
                name=label,
                text=[
                    f"{shares.loc[iso3, 'value_rounded_pct']:.2f}%" + (" est." if est else "")
                    for iso3, est in zip(chosen, estimate, strict=True)
                ],
                textposition="outside",
                cliponaxis=False,
                marker={
                    "color": colour,
                    "pattern": {
                        "shape": pattern,
                        "bgcolor": colour,
                        "fgcolor": "#ffffff",
                        "fillmode": "overlay",
                        "size": 8,
                    },
                },
                hovertemplate=f"%{{y}}: %{{x:.2f}}% of GDP ({label})<extra></extra>",
            )
        )
    ordered_names = [member_info.loc[iso3, "name"] for iso3 in shares.index]
    any_estimate = bool((shares["status"] == "estimate").any())
    layout = base_layout(
        f"Share of GDP by ally, {year}"
        + (" (bars labelled est.: NATO estimates)" if any_estimate else ""),
        "% of GDP",
        "",
        source,
        height=max(360, 24 * len(ordered_names) + 170),
        barmode="overlay",
    )
    layout["yaxis"] |= {
        "categoryorder": "array",
        "categoryarray": ordered_names,
        "rangemode": "normal",
        "gridcolor": "rgba(0,0,0,0)",
        "tickfont": {"size": 12},
    }
    layout["margin"] |= {"t": 120, "r": 72}
    # Above the target labels, which sit on the top edge of the plot.
    layout["legend"]["y"] = 1 + 26 / (layout["height"] - 120 - 104)
    for target in floors:
        target_line(layout, target["threshold_pct"], short_target_label(target), axis="x")
    table_rows = [
        [
            iso3,
            member_info.loc[iso3, "name"],
            shares.loc[iso3, "status"],
            float(shares.loc[iso3, "value_pct"]),
            bands[assigned[iso3]][1],
        ]
        for iso3 in reversed(shares.index)
    ]
    return Chart(
        slug="ranked",
        title=f"Allies ranked by share of GDP, {year}",
        description=(
            f"Horizontal bar chart of {len(ordered_names)} allies' defence spending as a share of "
            f"GDP in {year}, highest first, with lines at "
            + ", ".join(short_target_label(t) for t in floors)
            + "; each bar's colour, pattern and legend tell its band ("
            + ", ".join(label for _, label in bands)
            + ")."
        ),
        columns=[
            ("ISO3", "text"),
            ("Ally", "text"),
            ("Status", "text"),
            ("Share of GDP, %", "pct"),
            ("Band", "text"),
        ],
        rows=table_rows,
        figure=figure_dict(traces, layout),
    )


def allies_meeting_chart(counts, targets, estimate_years, source):
    """Allies meeting each core share-of-GDP target per year, and how many allies had figures."""
    floors = [t for t in gdp_floor_targets(targets) if t["measure"] == "core_share_of_gdp_pct"]
    years = sorted(int(y) for y in counts["year"].unique())
    statuses = ["estimate" if year in estimate_years else "actual" for year in years]
    traces, columns = [], [("Year", "year"), ("Status", "text")]
    table = {year: [year, status] for year, status in zip(years, statuses, strict=True)}
    denominators = None
    for target, style in zip(floors, [(BLUE, "circle"), (GREEN, "diamond")], strict=False):
        part = counts[counts["target"] == target["slug"]].set_index("year").reindex(years)
        met = [int(v) for v in part["allies_met"]]
        with_data = [int(v) for v in part["allies_with_data"]]
        denominators = denominators or with_data
        label = f"Allies at {target['threshold_pct']:g}% or more"
        traces += series_traces(years, met, statuses, label, style, "d", "allies")
        columns.append((label, "count"))
        for year, value in zip(years, met, strict=True):
            table[year].append(value)
    if denominators:
        traces.append(
            trace(
                "scatter",
                x=years,
                y=denominators,
                name="Allies with figures (the denominator)",
                mode="lines",
                line={"color": MUTED, "width": 1.5, "dash": "dot", "shape": "hv"},
                hovertemplate="%{x}: %{y} allies with figures<extra></extra>",
            )
        )
        columns.append(("Allies with figures", "count"))
        for year, value in zip(years, denominators, strict=True):
            table[year].append(value)
    layout = base_layout(
        "Allies meeting the share-of-GDP targets, by year", "NATO year", "allies", source
    )
    layout["xaxis"] |= year_ticks(years, statuses)
    return Chart(
        slug="meeting",
        title="Allies meeting 2% and 3.5%, by year",
        description=(
            "Line chart of how many allies met each share-of-GDP target in each year since "
            f"{years[0] if years else ''}, against the number of allies with figures that year."
        ),
        columns=columns,
        rows=[table[year] for year in years],
        figure=figure_dict(traces, layout),
    )


def us_europe_chart(alliance, source):
    """US and Europe-plus-Canada defence spending at constant 2021 prices, USD million."""
    years = [int(y) for y in alliance["year"]]
    statuses = list(alliance["status"])
    series = [
        ("us_defence_usd_const2021_m", "United States", (BLUE, "circle")),
        ("europe_canada_defence_usd_const2021_m", "Europe and Canada", (ORANGE, "square")),
    ]
    traces = []
    records = progress.to_records(alliance)
    for key, label, style in series:
        values = [row[key] for row in records]
        traces += series_traces(years, values, statuses, label, style, ",.0f", "USD m")
    layout = base_layout(
        "United States vs Europe and Canada: defence spending",
        "NATO year",
        "USD million, 2021 prices",
        source,
    )
    layout["xaxis"] |= year_ticks(years, statuses)
    layout["yaxis"]["tickformat"] = ","
    return Chart(
        slug="us-europe",
        title="United States vs Europe and Canada",
        description=(
            "Line chart of defence spending by the United States and by the European allies and "
            "Canada together, in million US dollars at constant 2021 prices, by year."
        ),
        columns=[
            ("Year", "year"),
            ("Status", "text"),
            ("United States, USD m (2021 prices)", "amount"),
            ("Europe and Canada, USD m (2021 prices)", "amount"),
        ],
        rows=[
            [row["year"], row["status"], row[series[0][0]], row[series[1][0]]] for row in records
        ],
        figure=figure_dict(traces, layout),
    )


def share_heatmap(figures, members, targets, source):
    """Ally × year grid of the share of GDP, drawn as an HTML table: each cell shows its number."""
    shared = progress.add_shares(figures)
    shared["rounded"] = progress.round_pct(shared["share_of_gdp_pct"])
    member_info = members.set_index("iso3")
    bands = progress.gdp_bands(targets)
    years = sorted(int(y) for y in shared["year"].unique())
    estimate_years = sorted(
        int(y) for y in shared.loc[shared["status"] == "estimate", "year"].unique()
    )
    # A dict lookup per cell: pandas' .loc per cell costs more than everything else here.
    cells = {
        (iso3, int(year)): (value, rounded)
        for iso3, year, value, rounded in shared[
            ["iso3", "year", "share_of_gdp_pct", "rounded"]
        ].itertuples(index=False)
        if value == value
    }
    grid = []
    rows = []
    for iso3, name in members.sort_values("name")[["iso3", "name"]].itertuples(index=False):
        accession = member_info.loc[iso3, "accession_year"]
        line, raw = [], [iso3, name]
        for year in years:
            value = rounded = None
            if (iso3, year) in cells and year >= accession:
                value, rounded = (float(number) for number in cells[(iso3, year)])
            band = share_band(rounded, bands)
            line.append(
                {
                    "year": year,
                    "value": value,
                    "fill": band[1] if band else NO_DATA_FILL,
                    "ink": band[2] if band else MUTED,
                    "band": band[0] if band else "",
                    "css": band[3] if band else "band-none",
                    "estimate": year in estimate_years,
                }
            )
            raw.append(value)
        grid.append(
            {
                "iso3": iso3,
                "name": name,
                "reports": bool(member_info.loc[iso3, "reports_figures"]),
                "cells": line,
            }
        )
        rows.append(raw)
    return Chart(
        slug="heatmap",
        title="Share of GDP, ally by year",
        description=(
            "Table of every ally's defence spending as a share of GDP for each year, shaded by "
            "band ("
            + ", ".join(label for _, label in reversed(bands))
            + "); each cell gives its value."
        ),
        columns=[("ISO3", "text"), ("Ally", "text")]
        + [
            (f"{year}{' (estimate)' if year in estimate_years else ''}, % of GDP", "pct")
            for year in years
        ],
        rows=rows,
        extra={
            "years": years,
            "estimate_years": estimate_years,
            "grid": grid,
            "bands": band_legend(bands),
            "source": source,
        },
    )
