"""The ally dashboard's figures: share of GDP with targets and paths, USD, equipment, categories,
and the series as each edition published it.
"""

from spending import progress
from spending.charts.chart import Chart, figure_dict, trace
from spending.charts.look import (
    BLUE,
    GREEN,
    MUTED,
    ORANGE,
    PURPLE,
    SERIES_STYLES,
    VERMILLION,
    base_layout,
    gdp_floor_targets,
    plain_text,
    series_traces,
    short_target_label,
    target_line,
    year_ticks,
)

BREAKDOWN = [
    ("equipment_share_pct", "Equipment incl. R&D", BLUE, ""),
    ("personnel_share_pct", "Personnel", ORANGE, "/"),
    ("infrastructure_share_pct", "Infrastructure", GREEN, "x"),
    ("other_share_pct", "Other", PURPLE, "."),
]


def share_over_time_chart(history, summary, targets, name, source):
    """The ally's share of GDP by year, target lines, straight paths to 2035 and its trend."""
    years = [row["year"] for row in history]
    shares = [row["share_of_gdp_pct"] for row in history]
    statuses = [row["status"] for row in history]
    floors = gdp_floor_targets(targets)
    traces = series_traces(
        years, shares, statuses, "Share of GDP", (BLUE, "circle"), ".2f", "% of GDP"
    )
    until = max([t["deadline_year"] for t in floors] + years) if years else None
    layout = base_layout(
        f"{name}: defence spending as a share of GDP",
        "NATO year",
        "% of GDP",
        source,
        height=440,
    )
    for target in floors:
        target_line(layout, target["threshold_pct"], short_target_label(target))

    path_columns, path_values = [], {}
    for style, target in zip(
        [(VERMILLION, "dashdot"), (PURPLE, "longdash")], floors[1:], strict=False
    ):
        state = summary["targets"].get(target["slug"], {})
        if state.get("y0") is None or state.get("required_pp_per_year") is None:
            continue
        y0, s0 = state["y0"], state["s0"]
        label = f"Straight path to {target['threshold_pct']:g}% by {target['deadline_year']}"
        if target["measure"] == "total_share_of_gdp_pct":
            label += " (core only)"
        path_years = list(range(y0, target["deadline_year"] + 1))
        step = state["required_pp_per_year"]
        values = [s0 + step * (year - y0) for year in path_years]
        traces.append(
            trace(
                "scatter",
                x=path_years,
                y=values,
                name=label,
                mode="lines",
                line={"color": style[0], "width": 2, "dash": style[1]},
                hovertemplate=f"{label}<br>%{{x}}: %{{y:.2f}}% of GDP<extra></extra>",
            )
        )
        path_columns.append((label, "pct"))
        path_values[label] = dict(zip(path_years, values, strict=True))

    # The trend never spans a break in the series (the path rows say which and why).
    break_year = next(
        (state["break_year"] for state in summary["targets"].values() if state.get("break_year")),
        None,
    )
    trend = progress.build_trend_line(years, shares, until, break_year) if until else []
    trend = within_scale(
        trend, [s for s in shares if s is not None] + [t["threshold_pct"] for t in floors]
    )
    trend_label = ""
    if trend:
        last = max(year for year, share in zip(years, shares, strict=True) if share is not None)
        trend_label = f"Trend {trend[0][0]}–{last}, extended (not a forecast)"
        traces.append(
            trace(
                "scatter",
                x=[year for year, _ in trend],
                y=[value for _, value in trend],
                name=trend_label,
                mode="lines",
                line={"color": MUTED, "width": 1.5, "dash": "dot"},
                hovertemplate="Trend<br>%{x}: %{y:.2f}% of GDP<extra></extra>",
            )
        )
    trend_values = dict(trend)
    all_years = sorted(
        set(years) | set(trend_values) | {y for v in path_values.values() for y in v}
    )
    layout["xaxis"] |= year_ticks(years, statuses, all_years)
    layout["xaxis"]["tickangle"] = -45
    by_year = {row["year"]: row for row in history}
    columns = [("Year", "year"), ("Status", "text"), ("Share of GDP, %", "pct")]
    columns += path_columns
    if trend:
        columns.append((trend_label, "pct"))
    rows = []
    for year in all_years:
        row = by_year.get(year, {})
        values = [year, row.get("status", "") or "", row.get("share_of_gdp_pct")]
        values += [path_values[label].get(year) for label, _ in path_columns]
        if trend:
            values.append(trend_values.get(year))
        rows.append(values)
    newest = next(
        ((y, s) for y, s in zip(reversed(years), reversed(shares), strict=True) if s is not None),
        None,
    )
    description = (
        f"Line chart of {name}'s defence spending as a share of GDP from {years[0]} to {years[-1]}"
        + (f", {newest[1]:.2f}% in {newest[0]}" if newest else "")
        + ", with the target lines, the straight paths to the 2035 targets and the trend."
        if years
        else f"No figures for {name}."
    )
    return Chart(
        slug="share",
        title="Share of GDP over time",
        description=description,
        columns=columns,
        rows=rows,
        figure=figure_dict(traces, layout),
    )


def spending_usd_chart(history, name, source):
    """Defence spending in USD million at current prices and at constant 2021 prices."""
    years = [row["year"] for row in history]
    statuses = [row["status"] for row in history]
    series = [
        ("defence_usd_current_m", "Current prices", (ORANGE, "square")),
        ("defence_usd_const2021_m", "Constant 2021 prices", (BLUE, "circle")),
    ]
    traces = []
    for key, label, style in series:
        values = [row[key] for row in history]
        traces += series_traces(years, values, statuses, label, style, ",.0f", "USD m")
    layout = base_layout(
        f"{name}: defence spending in US dollars", "NATO year", "USD million", source
    )
    layout["xaxis"] |= year_ticks(years, statuses)
    layout["yaxis"]["tickformat"] = ","
    rows = [
        [row["year"], row["status"], row["defence_usd_current_m"], row["defence_usd_const2021_m"]]
        for row in history
    ]
    return Chart(
        slug="spending",
        title="Defence spending in US dollars",
        description=(
            f"Line chart of {name}'s defence spending in million US dollars, at current and at "
            "constant 2021 prices, by year."
        ),
        columns=[
            ("Year", "year"),
            ("Status", "text"),
            ("Current prices, USD m", "amount"),
            ("2021 prices, USD m", "amount"),
        ],
        rows=rows,
        figure=figure_dict(traces, layout),
    )


def equipment_chart(history, targets, name, source):
    """The share of defence spending on major equipment against the equipment guideline."""
    years = [row["year"] for row in history]
    statuses = [row["status"] for row in history]
    values = [row["equipment_share_pct"] for row in history]
    traces = series_traces(
        years, values, statuses, "Equipment share", (GREEN, "diamond"), ".2f", "% of defence"
    )
    layout = base_layout(
        f"{name}: major equipment as a share of defence spending",
        "NATO year",
        "% of defence spending",
        source,
    )
    layout["xaxis"] |= year_ticks(years, statuses)
    for target in targets:
        if target["measure"] == "equipment_share_pct":
            target_line(layout, target["threshold_pct"], f"{target['threshold_pct']:g}% guideline")
    return Chart(
        slug="equipment",
        title="Equipment share against the 20% guideline",
        description=(
            f"Line chart of the share of {name}'s defence spending on major equipment including "
            "research and development, by year, with the 20% guideline."
        ),
        columns=[("Year", "year"), ("Status", "text"), ("Equipment incl. R&D, %", "pct")],
        rows=[[y, s, v] for y, s, v in zip(years, statuses, values, strict=True)],
        figure=figure_dict(traces, layout),
    )


def breakdown_chart(history, name, source):
    """Stacked bars: equipment, personnel, infrastructure and other, % of defence spending."""
    years = [row["year"] for row in history]
    statuses = [row["status"] for row in history]
    traces = []
    for key, label, colour, pattern in BREAKDOWN:
        traces.append(
            trace(
                "bar",
                x=years,
                y=[row[key] for row in history],
                name=label,
                marker={
                    "color": colour,
                    "pattern": {
                        "shape": pattern,
                        "bgcolor": colour,
                        "fgcolor": "#ffffff",
                        "fillmode": "overlay",
                        "size": 6,
                    },
                    "line": {"color": "#ffffff", "width": 0.5},
                },
                hovertemplate=f"{label}<br>%{{x}}: %{{y:.2f}}% of defence<extra></extra>",
            )
        )
    layout = base_layout(
        f"{name}: what defence spending buys",
        "NATO year (est. = NATO estimate)",
        "% of defence spending",
        source,
        barmode="stack",
    )
    layout["legend"]["traceorder"] = "normal"
    layout["xaxis"] |= year_ticks(years, statuses)
    rows = [[row["year"], row["status"], *[row[key] for key, *_ in BREAKDOWN]] for row in history]
    return Chart(
        slug="breakdown",
        title="The four spending categories",
        description=(
            f"Stacked bar chart of {name}'s defence spending split into equipment, personnel, "
            "infrastructure and other, in % of defence spending, by year."
        ),
        columns=[("Year", "year"), ("Status", "text")]
        + [(f"{label}, %", "pct") for _, label, *_ in BREAKDOWN],
        rows=rows,
        figure=figure_dict(traces, layout),
    )


def edition_changes_chart(editions, name, source):
    """The share of GDP as each edition published it, one line per edition, never spliced.

    `editions`: [{"slug", "title", "cutoff_on", "history": [{year, status, share_of_gdp_pct}]}],
    newest first.
    """
    traces, rows_by_year = [], {}
    dashes = ["solid", "dash", "dot", "dashdot", "longdash"]
    for index, edition in enumerate(editions):
        colour, symbol = SERIES_STYLES[index % len(SERIES_STYLES)]
        label = plain_text(edition["title"]) + (
            f" (cut-off {edition['cutoff_on']:%-d %b %Y})" if edition["cutoff_on"] else ""
        )
        history = edition["history"]
        traces.append(
            trace(
                "scatter",
                x=[row["year"] for row in history],
                y=[row["share_of_gdp_pct"] for row in history],
                name=label,
                mode="lines+markers",
                line={"color": colour, "dash": dashes[index % len(dashes)], "width": 2},
                marker={"symbol": symbol, "size": 7, "color": colour},
                hovertemplate=f"{edition['slug']}<br>%{{x}}: %{{y:.2f}}% of GDP<extra></extra>",
            )
        )
        for row in history:
            rows_by_year.setdefault(row["year"], {})[edition["slug"]] = row["share_of_gdp_pct"]
    layout = base_layout(
        f"{name}: share of GDP in each NATO edition", "NATO year", "% of GDP", source
    )
    years = sorted(rows_by_year)
    layout["xaxis"] |= {"tickmode": "array", "tickvals": years, "ticktext": [str(y) for y in years]}
    slugs = [edition["slug"] for edition in editions]
    return Chart(
        slug="editions",
        title="How the series changed between editions",
        description=(
            f"Line chart of {name}'s share of GDP as published in each of {len(editions)} NATO "
            "editions; each edition is its own line, never joined to another."
        ),
        columns=[("Year", "year")] + [(f"{slug}, % of GDP", "pct") for slug in slugs],
        rows=[[year, *[rows_by_year[year].get(slug) for slug in slugs]] for year in years],
        figure=figure_dict(traces, layout),
    )


def within_scale(points, scale_values, headroom=1.2):
    """The (year, value) points up to where they leave the chart's scale: 0 to 1.2 x the highest
    of the data and the target lines. An extended trend must not stretch the axis it explains."""
    if not points or not scale_values:
        return points
    ceiling = headroom * max(scale_values)
    kept = []
    for year, value in points:
        if value is None or not 0 <= value <= ceiling:
            break
        kept.append((year, value))
    return kept
