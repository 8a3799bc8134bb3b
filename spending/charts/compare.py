"""The compare page's figure: one line per chosen ally for one metric."""

from spending import progress
from spending.charts.chart import Chart, figure_dict
from spending.charts.look import (
    SERIES_STYLES,
    base_layout,
    gdp_floor_targets,
    series_traces,
    short_target_label,
    target_line,
    year_ticks,
)

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


def compare_chart(figures, members, iso3s, metric, year_from, year_to, source, targets=()):
    """One line per chosen ally for one metric between two years, estimates dashed, with the
    target lines of that metric (2%, 3.5%, 5% for the share of GDP; 20% for equipment)."""
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
    for threshold, text in compare_target_lines(metric, targets):
        target_line(layout, threshold, text)
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


def compare_target_lines(metric, targets):
    """(threshold %, label) of the targets drawn on a metric's chart, lowest first."""
    if metric == "share_of_gdp_pct":
        return [(t["threshold_pct"], short_target_label(t)) for t in gdp_floor_targets(targets)]
    if metric == "equipment_share_pct":
        return [
            (t["threshold_pct"], f"{t['threshold_pct']:g}% guideline")
            for t in targets
            if t["measure"] == "equipment_share_pct"
        ]
    return []
