"""The overview's fair-share figure: each ally's share of the alliance's GDP against its share of
the alliance's defence spending in one year (2021 prices), from `progress.build_fair_share_frame`.
"""

import math

from spending import progress
from spending.charts.chart import Chart, figure_dict, trace
from spending.charts.look import BLUE, INK, MUTED, VERMILLION, base_layout

# Log axes: the United States holds over half of both sums, Montenegro about a hundredth of 1%.
AXIS = {"type": "log", "tickformat": "~g", "rangemode": "normal"}


def fair_share_chart(fair_share, year, source):
    """Scatter of share of alliance GDP (x) against share of alliance defence (y), %, at 2021
    prices, for the allies counted in `year`, with the line where the two shares are equal."""
    rows = fair_share[(fair_share["year"] == year) & fair_share["counted"]]
    records = progress.to_records(rows)
    allies = [r for r in records if r["kind"] == "ally"]
    allies.sort(key=lambda r: (-r["fair_share_ratio_const2021"], r["iso3"]))
    groups = [r for r in records if r["kind"] == "group"]
    estimate = any(r["status"] == "estimate" for r in allies)
    # NATO estimates are drawn with hollow markers, as on every chart.
    hollow = "-open" if estimate else ""
    traces = []
    styles = [
        (True, "More than its share of GDP (ratio 1 or above)", BLUE, "circle"),
        (False, "Less than its share of GDP (ratio below 1)", VERMILLION, "square"),
    ]
    for above, label, colour, symbol in styles:
        chosen = [r for r in allies if (r["fair_share_ratio_const2021"] >= 1) == above]
        if chosen:
            traces.append(_points(chosen, label, colour, symbol + hollow, 9, "iso3"))
    europe = [g for g in groups if g["group"] == "europe-canada"]
    if europe:
        traces.append(_points(europe, "Europe and Canada together", INK, "diamond", 13, "name"))
        traces[-1]["textposition"] = "middle left"
    values = [
        r[name]
        for r in allies + europe
        for name in (
            "share_of_alliance_gdp_const2021_pct",
            "share_of_alliance_defence_const2021_pct",
        )
    ]
    low, high = (min(values), max(values)) if values else (0.01, 100)
    ends = [10 ** math.floor(math.log10(low)), 10 ** math.ceil(math.log10(high))]
    traces.insert(
        0,
        trace(
            "scatter",
            x=ends,
            y=ends,
            mode="lines",
            name="Equal shares (ratio 1)",
            line={"color": MUTED, "width": 1.5, "dash": "dot"},
            hoverinfo="skip",
        ),
    )
    layout = base_layout(
        f"Share of the alliance's defence spending against its GDP, {year}"
        + (" (NATO estimates: hollow markers)" if estimate else ""),
        "share of the alliance's GDP, % (log scale)",
        "share of its defence spending, % (log scale)",
        source,
        height=560,
    )
    layout["xaxis"] |= AXIS
    layout["yaxis"] |= AXIS
    layout["margin"] |= {"t": 110}
    columns = [
        ("ISO3", "text"),
        ("Ally", "text"),
        ("Status", "text"),
        ("Share of alliance GDP, % (2021 prices)", "pct"),
        ("Share of alliance defence, % (2021 prices)", "pct"),
        ("Ratio", "ratio"),
        ("Defence per capita, USD (2021 prices)", "count"),
    ]
    table = [
        [
            r["iso3"] or "",
            r["name"],
            r["status"],
            r["share_of_alliance_gdp_const2021_pct"],
            r["share_of_alliance_defence_const2021_pct"],
            r["fair_share_ratio_const2021"],
            r["defence_per_capita_const2021_usd"],
        ]
        for r in allies + sorted(groups, key=lambda g: g["group"], reverse=True)
    ]
    return Chart(
        slug="fair-share",
        title=f"Fair share: defence spending against economic weight, {year}",
        description=(
            f"Scatter chart of {len(allies)} allies in {year}: each one's share of the "
            "alliance's GDP (across) against its share of the alliance's defence spending (up), "
            "both at 2021 prices on log scales, with a dotted line where the two are equal; "
            "allies above it spend more than their economy's weight (blue circles), those below "
            "less (vermilion squares); Europe and Canada together is the black diamond. Iceland, "
            "with no figures, is in neither sum. The table gives the ratio of the two shares "
            "and NATO's defence spending per head, by ratio, highest first."
        ),
        columns=columns,
        rows=table,
        figure=figure_dict(traces, layout),
    )


def _points(rows, label, colour, symbol, size, text_field):
    return trace(
        "scatter",
        x=[r["share_of_alliance_gdp_const2021_pct"] for r in rows],
        y=[r["share_of_alliance_defence_const2021_pct"] for r in rows],
        text=[r[text_field] for r in rows],
        customdata=[[r["name"], r["fair_share_ratio_const2021"]] for r in rows],
        mode="markers+text",
        # Neighbours along the diagonal take turns above and below their points.
        textposition=_label_positions([r["share_of_alliance_gdp_const2021_pct"] for r in rows]),
        textfont={"size": 10, "color": INK},
        name=label,
        marker={
            "color": colour,
            "symbol": symbol,
            "size": size,
            "line": {"width": 1.5, "color": colour},
        },
        hovertemplate=(
            "%{customdata[0]}: %{y:.2f}% of alliance defence, %{x:.2f}% of its GDP"
            " (ratio %{customdata[1]:.2f})<extra></extra>"
        ),
    )


def _label_positions(xs):
    order = sorted(range(len(xs)), key=lambda index: xs[index])
    positions = [""] * len(xs)
    for rank, index in enumerate(order):
        positions[index] = "top center" if rank % 2 == 0 else "bottom center"
    return positions
