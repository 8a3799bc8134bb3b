"""The house look: palette, fonts, the layout every chart shares, target lines and bands.

Colours are Okabe-Ito (safe for colour-blind readers); status is always told by pattern, symbol
or label as well.
"""

import html

from spending import progress
from spending.charts.chart import trace

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
# Colours of the share-of-GDP bands, highest band first (the bands themselves, their edges and
# labels, come from the targets: spending.progress.gdp_bands).
BAND_COLOURS = [
    ("#08306b", "#ffffff"),
    ("#2171b5", "#ffffff"),
    ("#9ecae1", INK),
    ("#fdb863", INK),
]
NO_DATA_FILL = "#ffffff"


def plain_text(text):
    """Text from the data (an edition's title, a note) made inert for Plotly, whose labels read
    a subset of HTML (<a href>, <b>, <br>): tags are shown as typed, never followed."""
    return html.escape(str(text), quote=False)


def source_line(edition):
    """The source note every chart carries: NATO's edition, its cut-off, and our computation."""
    if not edition:
        return "Source: NATO."
    cutoff = edition.get("cutoff_on")
    when = f", data cut-off {cutoff:%-d %B %Y}" if cutoff else ""
    title = plain_text(edition["title"])
    return f"Source: NATO, {title}{when}. Shares of GDP computed at 2021 prices."


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


# Room a target's label takes right of the plot: 11 px text, about 0.6 em a character.
LABEL_CHARACTER_PX = 6.6


def target_line(layout, threshold, label, axis="y"):
    """A dotted reference line at a target (horizontal on axis "y"), labelled right of the
    plot, where no data point or line can run under the label; the right margin grows to hold
    it.

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
                "xanchor": "left",
                "xshift": 4,
                "yref": "y",
                "y": threshold,
                "yanchor": "middle",
                "showarrow": False,
                "font": {"size": 11, "color": INK},
                "name": short,
            }
        )
        room = round(len(label) * LABEL_CHARACTER_PX) + 8
        layout["margin"] = layout["margin"] | {"r": max(layout["margin"]["r"], room)}
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


def share_band(rounded_value, bands):
    """(label, fill, text colour, CSS class) of a value's band among `bands`
    (`progress.gdp_bands`); None when no value."""
    index = progress.gdp_band(rounded_value, bands)
    if index is None:
        return None
    fill, text = BAND_COLOURS[min(index, len(BAND_COLOURS) - 1)]
    return bands[index][1], fill, text, f"band-{index}"


def band_legend(bands):
    """The bands as legend entries, lowest first: {"label", "css"}."""
    return [{"label": label, "css": f"band-{index}"} for index, (_, label) in enumerate(bands)][
        ::-1
    ]
