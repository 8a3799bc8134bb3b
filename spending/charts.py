"""Answers and frames turned into chart specifications: Plotly figures as dicts plus their data.

No ORM and no Django: every builder takes frames or records (from `spending.frames` and
`spending.progress`) and returns a `Chart` holding the Plotly figure as a plain dict (template
and defaults stripped, numbers as published) and the table of exactly what the chart shows, which
the page prints under the chart and the CSV download writes. Colours are Okabe-Ito (safe for
colour-blind readers); status is always told by pattern, symbol or label as well.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from plotly.utils import PlotlyJSONEncoder

from spending import progress

BLUE, VERMILLION, GREEN, ORANGE = "#0072b2", "#d55e00", "#009e73", "#e69f00"
SKY, PURPLE, YELLOW, BLACK = "#56b4e9", "#cc79a7", "#f0e442", "#000000"
INK, MUTED, GRID = "#1b1f24", "#5a6472", "#e3e7ec"
SERIES_STYLES = [
    (BLUE, "circle"),
    (VERMILLION, "square"),
    (GREEN, "diamond"),
    (ORANGE, "triangle-up"),
    (PURPLE, "x"),
    (SKY, "star"),
    (BLACK, "cross"),
    (YELLOW, "triangle-down"),
]
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
ESTIMATE_LABEL = "NATO estimate"
# Bands of the share of GDP for the map and the heatmap: (lower bound %, label, fill, text).
SHARE_BANDS = [
    (5.0, "5% or more", "#08306b", "#ffffff"),
    (3.5, "3.5% to under 5%", "#2171b5", "#ffffff"),
    (2.0, "2% to under 3.5%", "#9ecae1", INK),
    (0.0, "under 2%", "#fdb863", INK),
]
NO_DATA_FILL = "#ffffff"
# Metrics a reader may compare: key -> (label, unit for axis and table, hover format, kind).
COMPARE_METRICS = {
    "share_of_gdp_pct": ("Defence spending as a share of GDP", "% of GDP", ".2f", "pct"),
    "equipment_share_pct": (
        "Major equipment incl. R&D as a share of defence spending",
        "% of defence spending",
        ".2f",
        "pct",
    ),
    "defence_usd_const2021_m": (
        "Defence spending at constant 2021 prices",
        "USD million, 2021 prices",
        ",.0f",
        "amount",
    ),
    "defence_usd_current_m": (
        "Defence spending at current prices",
        "USD million, current prices",
        ",.0f",
        "amount",
    ),
    "defence_per_capita_const2021_usd": (
        "Defence spending per head",
        "USD per head, 2021 prices",
        ",.0f",
        "amount",
    ),
    "nato_real_change_pct": ("Real change in defence spending", "% a year", ".2f", "pct"),
    "military_personnel_k": ("Military personnel", "thousands", ",.1f", "number"),
}
BREAKDOWN = [
    ("equipment_share_pct", "Equipment incl. R&D", BLUE, ""),
    ("personnel_share_pct", "Personnel", ORANGE, "/"),
    ("infrastructure_share_pct", "Infrastructure", GREEN, "x"),
    ("other_share_pct", "Other", PURPLE, "."),
]
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Chart:
    """One chart: its figure (a Plotly dict, None for charts drawn as HTML) and its data."""

    slug: str
    title: str
    description: str
    columns: list
    rows: list
    figure: dict | None = None
    extra: dict = field(default_factory=dict)

    @property
    def element_id(self):
        return f"chart-{self.slug}"

    @property
    def data_id(self):
        return f"chart-data-{self.slug}"

    def table(self):
        """Rows of (value, kind) pairs for the template's number formats."""
        kinds = [kind for _, kind in self.columns]
        return [list(zip(row, kinds, strict=True)) for row in self.rows]


def source_line(edition):
    """The source note every chart carries: NATO's edition, its cut-off, and our computation."""
    if not edition:
        return "Source: NATO."
    cutoff = edition.get("cutoff_on")
    when = f", data cut-off {cutoff:%-d %B %Y}" if cutoff else ""
    return f"Source: NATO, {edition['title']}{when}. Shares of GDP computed at 2021 prices."


def trace(kind, **properties):
    """One Plotly trace as a plain dict ("scatter", "bar").

    Figures are built as plain dicts, not plotly.graph_objects: those validate every property
    on each request, which cost most of a cold page. The tests validate every figure the pages
    draw against Plotly's schema instead (tests/spending/test_chart_schema.py).
    """
    return {"type": kind, **properties}


def figure_dict(traces, layout):
    """The figure as JSON-ready plain values: lists and floats, NaN as null, dates as text.

    Empty layout lists (no shapes) are left out, as Plotly itself writes a figure.
    """
    layout = {name: value for name, value in layout.items() if value != []}
    return json.loads(json.dumps({"data": traces, "layout": layout}, cls=PlotlyJSONEncoder))


def year_ticks(years, statuses, extra_years=()):
    """A tick per year, labelled "2026 est." where the year holds NATO estimates."""
    estimate_years = {
        year for year, status in zip(years, statuses, strict=True) if status == "estimate"
    }
    ticks = sorted(set(years) | set(extra_years))
    return {
        "tickmode": "array",
        "tickvals": ticks,
        "ticktext": [f"{year} est." if year in estimate_years else str(year) for year in ticks],
    }


def series_traces(years, values, statuses, name, style, hover_format, unit, show_legend=True):
    """A series as two traces: actuals solid, NATO estimates dashed with hollow markers.

    The estimate trace starts at the last actual point so the line stays continuous.
    """
    colour, symbol = style
    actual = [v if s == "actual" else None for v, s in zip(values, statuses, strict=True)]
    estimate = []
    for index, (value, status) in enumerate(zip(values, statuses, strict=True)):
        next_is_estimate = index + 1 < len(statuses) and statuses[index + 1] == "estimate"
        keep = status == "estimate" or (next_is_estimate and value is not None)
        estimate.append(value if keep else None)
    hover = f"{name}<br>%{{x}}: %{{y:{hover_format}}} {unit}"
    traces = [
        trace(
            "scatter",
            x=list(years),
            y=actual,
            name=name,
            legendgroup=name,
            showlegend=show_legend,
            mode="lines+markers",
            line={"color": colour, "width": 2.5},
            marker={"symbol": symbol, "size": 7, "color": colour},
            hovertemplate=hover + "<extra></extra>",
        )
    ]
    if any(status == "estimate" for status in statuses):
        traces.append(
            trace(
                "scatter",
                x=list(years),
                y=estimate,
                name=f"{name} ({ESTIMATE_LABEL})",
                legendgroup=name,
                showlegend=show_legend,
                mode="lines+markers",
                line={"color": colour, "width": 2.5, "dash": "dash"},
                marker={
                    "symbol": f"{symbol}-open",
                    "size": 9,
                    "color": colour,
                    "line": {"width": 2},
                },
                hovertemplate=hover + f" ({ESTIMATE_LABEL})<extra></extra>",
            )
        )
    return traces


def base_layout(title, x_title, y_title, source, height=400, **extra):
    """Title, axis titles with units, the legend above the plot and the source line below."""
    layout = {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        "font": {"family": FONT, "size": 13, "color": INK},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "height": height,
        "margin": {"l": 64, "r": 16, "t": 90, "b": 104},
        "xaxis": {
            "title": {"text": x_title},
            "gridcolor": GRID,
            "linecolor": MUTED,
            "zeroline": False,
            "automargin": True,
        },
        "yaxis": {
            "title": {"text": y_title},
            "gridcolor": GRID,
            "linecolor": MUTED,
            "rangemode": "tozero",
            "zeroline": False,
            "automargin": True,
        },
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "font": {"size": 12}},
        "hoverlabel": {"font": {"family": FONT}},
        "annotations": [
            {
                "text": source,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "xanchor": "left",
                "yanchor": "top",
                "yshift": -74,
                "showarrow": False,
                "font": {"size": 11, "color": MUTED},
                "name": "source",
            }
        ],
        "shapes": [],
    }
    layout.update(extra)
    return layout


def target_line(layout, threshold, label, axis="y"):
    """A dotted reference line at a target, labelled at its end (horizontal on axis "y").

    The label's `name` holds its short form ("target:3.5%"), which phones show instead.
    """
    line = {"color": INK, "width": 1.5, "dash": "dot"}
    short = f"target:{threshold:g}%"
    if axis == "y":
        layout["shapes"].append(
            {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": threshold, "y1": threshold}
            | {"yref": "y", "line": line}
        )
        layout["annotations"].append(
            {
                "text": label,
                "xref": "paper",
                "x": 1,
                "xanchor": "right",
                "yref": "y",
                "y": threshold,
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 11, "color": INK},
                "bgcolor": "rgba(255,255,255,0.8)",
                "name": short,
            }
        )
    else:
        layout["shapes"].append(
            {"type": "line", "yref": "paper", "y0": 0, "y1": 1, "x0": threshold, "x1": threshold}
            | {"xref": "x", "line": line}
        )
        layout["annotations"].append(
            {
                "text": label,
                "yref": "paper",
                "y": 1,
                "yanchor": "bottom",
                "xref": "x",
                "x": threshold,
                "xanchor": "center",
                "showarrow": False,
                "font": {"size": 11, "color": INK},
                "name": short,
            }
        )


def gdp_floor_targets(targets):
    """The targets on a share of GDP that set a floor, lowest threshold first."""
    floors = [t for t in targets if t["basis"] == "gdp" and t["kind"] == "floor"]
    return sorted(floors, key=lambda t: t["threshold_pct"])


def short_target_label(target):
    """ "3.5% by 2035" style label for a reference line."""
    threshold = f"{target['threshold_pct']:g}%"
    if target["measure"] == "total_share_of_gdp_pct":
        return f"{threshold} in all by {target['deadline_year']}"
    return f"{threshold} by {target['deadline_year']}"


def share_band(rounded_value):
    """(label, fill, text colour, CSS class) of a value's share band; None when no value."""
    if rounded_value is None:
        return None
    for index, (lower, label, fill, text) in enumerate(SHARE_BANDS):
        if rounded_value >= lower:
            return label, fill, text, f"band-{index}"
    return None


# --- the ally dashboard ---


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
        if state.get("y0") is None or state.get("n_years") in (None, 0) or state.get("met"):
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

    trend = progress.build_trend_line(years, shares, until) if until else []
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
        label = edition["title"] + (
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


# --- the alliance overview ---


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
    met = allies.pivot_table(index="iso3", columns="target", values="met", aggfunc="first")
    shares = allies.drop_duplicates("iso3").set_index("iso3")
    shares = shares.sort_values(["value_rounded_pct", "iso3"], ascending=[True, False])

    # Categories from the highest core floor met down; each has a colour AND a pattern.
    styles = [(GREEN, ""), (BLUE, "/"), (VERMILLION, "x")]
    categories = (
        [(f"meets {t['threshold_pct']:g}%", t["slug"]) for t in reversed(core)]
        + [(f"below {core[0]['threshold_pct']:g}%", None)]
        if core
        else [("share of GDP", None)]
    )
    assigned = {}
    for iso3 in shares.index:
        for label, slug in categories:
            if slug is None or (slug in met.columns and bool(met.loc[iso3, slug])):
                assigned[iso3] = label
                break
    traces = []
    for (label, _), (colour, pattern) in zip(categories, styles, strict=False):
        chosen = [iso3 for iso3 in shares.index if assigned[iso3] == label]
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
            member_info.loc[iso3, "name"],
            shares.loc[iso3, "status"],
            float(shares.loc[iso3, "value_pct"]),
            assigned[iso3],
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
            + "; each bar's pattern and legend tell which target it meets."
        ),
        columns=[
            ("Ally", "text"),
            ("Status", "text"),
            ("Share of GDP, %", "pct"),
            ("Meets", "text"),
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


def share_heatmap(figures, members, source):
    """Ally × year grid of the share of GDP, drawn as an HTML table: each cell shows its number."""
    shared = progress.add_shares(figures)
    shared["rounded"] = progress.round_pct(shared["share_of_gdp_pct"])
    member_info = members.set_index("iso3")
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
        line, raw = [], [name]
        for year in years:
            value = rounded = None
            if (iso3, year) in cells and year >= accession:
                value, rounded = (float(number) for number in cells[(iso3, year)])
            band = share_band(rounded)
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
            "band (under 2%, 2 to 3.5%, 3.5 to 5%, 5% or more); each cell gives its value."
        ),
        columns=[("Ally", "text")] + [(str(year), "pct") for year in years],
        rows=rows,
        extra={
            "years": years,
            "estimate_years": estimate_years,
            "grid": grid,
            "bands": band_legend(),
            "source": source,
        },
    )


def band_legend():
    """The share bands as legend entries, lowest first: {"label", "css"}."""
    return [
        {"label": label, "css": f"band-{index}"}
        for index, (_, label, _, _) in reversed(list(enumerate(SHARE_BANDS)))
    ]


def load_geometry(path):
    """The shipped map outlines (static/geo/nato-allies.json): view box, background, allies."""
    return json.loads(Path(path).read_text())


def share_map(geometry, progress_frame, members, targets, year, source):
    """Allies shaded by their share of GDP in one year, as SVG paths with a text label each."""
    core = [t for t in gdp_floor_targets(targets) if t["measure"] == "core_share_of_gdp_pct"]
    rows = progress_frame[(progress_frame["year"] == year)]
    if core:
        rows = rows[rows["target"] == core[0]["slug"]]
    values = rows.set_index("iso3")
    countries, table = [], []
    for member in members.sort_values("name").itertuples(index=False):
        value = rounded = None
        if member.iso3 in values.index and year >= member.accession_year:
            row = values.loc[member.iso3]
            if row["value_pct"] == row["value_pct"]:
                value, rounded = float(row["value_pct"]), float(row["value_rounded_pct"])
        band = share_band(rounded)
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
                "path": geometry["allies"].get(member.iso3, ""),
                "fill": band[1] if band else NO_DATA_FILL,
                "hatched": not member.reports_figures or value is None,
                "css": band[3] if band else "band-none",
                "label": label,
            }
        )
        table.append([member.name, value, band[0] if band else "not applicable"])
    return Chart(
        slug="map",
        title=f"Map: share of GDP by ally, {year}",
        description=(
            f"Map of North America and Europe with each ally shaded by its defence spending as a "
            f"share of GDP in {year}; Iceland, which has no armed forces, is hatched."
        ),
        columns=[("Ally", "text"), ("Share of GDP, %", "pct"), ("Band", "text")],
        rows=table,
        extra={
            "view_box": geometry["view_box"],
            "background": geometry["background"],
            "countries": countries,
            "bands": band_legend(),
            "source": source,
        },
    )


# --- comparison ---


def compare_chart(figures, members, iso3s, metric, year_from, year_to, source):
    """One line per chosen ally for one metric between two years, estimates dashed."""
    label, unit, hover_format, kind = COMPARE_METRICS[metric]
    shared = progress.add_shares(figures)
    shared = shared[(shared["year"] >= year_from) & (shared["year"] <= year_to)]
    names = members.set_index("iso3")["name"]
    traces, table = [], {}
    all_statuses = {}
    for index, iso3 in enumerate(iso3s):
        part = shared[shared["iso3"] == iso3].sort_values("year")
        records = progress.to_records(part[["year", "status", metric]])
        years = [row["year"] for row in records]
        statuses = [row["status"] for row in records]
        values = [row[metric] for row in records]
        style = SERIES_STYLES[index % len(SERIES_STYLES)]
        traces += series_traces(years, values, statuses, names[iso3], style, hover_format, unit)
        for year, status, value in zip(years, statuses, values, strict=True):
            table.setdefault(year, {})[iso3] = value
            if status == "estimate":
                all_statuses[year] = "estimate"
            else:
                all_statuses.setdefault(year, "actual")
    years = sorted(table)
    layout = base_layout(label, "NATO year", unit, source, height=440)
    layout["xaxis"] |= year_ticks(years, [all_statuses[y] for y in years])
    if kind == "amount":
        layout["yaxis"]["tickformat"] = ","
    if metric == "nato_real_change_pct":
        layout["yaxis"]["rangemode"] = "normal"
        layout["yaxis"]["zeroline"] = True
    return Chart(
        slug="compare",
        title=label,
        description=(
            f"Line chart of {label[0].lower()}{label[1:]} ({unit}) for "
            + ", ".join(names[iso3] for iso3 in iso3s)
            + f", {year_from} to {year_to}; NATO estimates dashed with hollow markers."
        ),
        columns=[("Year", "year"), ("Status", "text")]
        + [(f"{names[iso3]}, {unit}", kind) for iso3 in iso3s],
        rows=[
            [year, all_statuses[year], *[table[year].get(iso3) for iso3 in iso3s]] for year in years
        ],
        figure=figure_dict(traces, layout),
    )


def chart_csv(chart):
    """The chart's table as CSV text; text cells that a spreadsheet would run are defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_csv_cell(label) for label, _ in chart.columns])
    for row in chart.rows:
        writer.writerow(["" if value is None else escape_csv_cell(value) for value in row])
    return buffer.getvalue()


def escape_csv_cell(value):
    """A text cell starting with = + - @ tab or CR gets a leading ' (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS):
        return "'" + value
    return value
