"""The scenario pages' figures: the share of GDP on the chosen path against its history and the
target, and the yearly extra money as bars (answers of `spending.scenario_answers` → figures)."""

from spending.charts.chart import Chart, figure_dict, trace
from spending.charts.look import (
    BLUE,
    ORANGE,
    VERMILLION,
    base_layout,
    series_traces,
    target_line,
    year_ticks,
)

PATH_LABELS = {
    "steady": "Steady ramp (constant real growth of defence)",
    "linear": "Linear ramp (equal rise of the share each year)",
    "pace": "At the chosen pace",
    "already met": "Spending held at its newest level in real terms",
}


def scenario_share_chart(history, answer, name, source):
    """The share of GDP (%) by year: NATO's figures, then the scenario's path, and the target."""
    years = [row["year"] for row in history]
    statuses = [row["status"] for row in history]
    shares = [row["share_of_gdp_pct"] for row in history]
    traces = series_traces(years, shares, statuses, "NATO figures", (BLUE, "circle"), ".2f", "%")
    mode = answer.get("mode", answer.get("ramp"))
    label = PATH_LABELS.get(mode, PATH_LABELS.get(answer.get("ramp"), "Scenario"))
    path_years = [row["year"] for row in answer["years"]]
    path_shares = [row["share_of_gdp_pct"] for row in answer["years"]]
    traces.append(
        trace(
            "scatter",
            x=path_years,
            y=path_shares,
            name=label,
            mode="lines+markers",
            line={"color": VERMILLION, "width": 2.5, "dash": "dashdot"},
            marker={"symbol": "diamond", "size": 7, "color": VERMILLION},
            hovertemplate=f"{label}<br>%{{x}}: %{{y:.2f}}% of GDP<extra></extra>",
        )
    )
    layout = base_layout(
        f"{name}: share of GDP to {answer['deadline_year']}",
        "NATO year",
        "% of GDP",
        source,
        height=440,
    )
    threshold = answer["threshold_pct"]
    target_line(layout, threshold, f"{threshold:g}% by {answer['deadline_year']}")
    layout["xaxis"] |= year_ticks(years, statuses, extra_years=path_years)
    history_by_year = dict(zip(years, shares, strict=True))
    path_by_year = dict(zip(path_years, path_shares, strict=True))
    all_years = sorted(set(years) | set(path_years))
    status_by_year = dict(zip(years, statuses, strict=True))
    return Chart(
        slug="scenario-share",
        title=f"{name}: share of GDP to {answer['deadline_year']}",
        description=(
            f"Line chart of {name}'s defence spending as a share of GDP (%): NATO's figures "
            f"(estimates dashed) and the scenario's path from {answer['y0']} to "
            f"{answer['deadline_year']}, against the {threshold:g}% target."
        ),
        columns=[
            ("Year", "year"),
            ("Status", "text"),
            ("NATO figures, % of GDP", "pct"),
            (f"{label}, % of GDP", "pct"),
        ],
        rows=[
            [
                year,
                status_by_year.get(year, "scenario"),
                history_by_year.get(year),
                path_by_year.get(year),
            ]
            for year in all_years
        ],
        figure=figure_dict(traces, layout),
    )


def scenario_extra_chart(answer, name, source, currency=None):
    """The extra spending each year over the newest year's (USD m, 2021 prices) as bars; the
    alliance's split into the United States and Europe + Canada."""
    rows = answer["years"]
    later = rows[1:]
    years = [row["year"] for row in later]
    alliance = "us_extra_usd_const2021_m" in rows[0]
    hover = "%{x}: USD %{y:,.0f} m"
    if alliance:
        traces = [
            trace(
                "bar",
                x=years,
                y=[row["us_extra_usd_const2021_m"] for row in later],
                name="United States",
                marker={"color": BLUE},
                hovertemplate=f"United States<br>{hover}<extra></extra>",
            ),
            trace(
                "bar",
                x=years,
                y=[row["europe_canada_extra_usd_const2021_m"] for row in later],
                name="Europe and Canada",
                marker={"color": ORANGE, "pattern": {"shape": "/"}},
                hovertemplate=f"Europe and Canada<br>{hover}<extra></extra>",
            ),
        ]
    else:
        traces = [
            trace(
                "bar",
                x=years,
                y=[row["extra_usd_const2021_m"] for row in later],
                name=f"Extra over {answer['y0']}",
                marker={"color": ORANGE},
                hovertemplate=f"{hover}<extra></extra>",
            )
        ]
    title = f"{name}: extra defence spending over {answer['y0']}"
    layout = base_layout(title, "NATO year", "USD million, 2021 prices", source, height=400)
    layout["barmode"] = "stack"
    layout["yaxis"]["tickformat"] = ","
    layout["yaxis"]["rangemode"] = "normal"
    layout["xaxis"] |= {"tickmode": "array", "tickvals": years, "ticktext": [str(y) for y in years]}
    if alliance:
        columns = [
            ("Year", "year"),
            ("Allies meeting the target", "count"),
            ("Share of GDP, %", "pct"),
            ("Defence, USD m, 2021 prices", "amount"),
            ("Extra, USD m, 2021 prices", "amount"),
            ("US extra, USD m", "amount"),
            ("Europe and Canada extra, USD m", "amount"),
        ]
        table = [
            [
                row["year"],
                row["allies_meeting_target"],
                row["share_of_gdp_pct"],
                row["defence_usd_const2021_m"],
                row["extra_usd_const2021_m"],
                row["us_extra_usd_const2021_m"],
                row["europe_canada_extra_usd_const2021_m"],
            ]
            for row in rows
        ]
    else:
        unit = currency or "national currency"
        columns = [
            ("Year", "year"),
            ("Share of GDP, %", "pct"),
            ("GDP, USD m, 2021 prices", "amount"),
            ("Defence, USD m, 2021 prices", "amount"),
            ("Extra, USD m, 2021 prices", "amount"),
            (f"Defence, {unit} m, 2021 prices", "amount"),
            (f"Extra, {unit} m, 2021 prices", "amount"),
            ("Real growth of defence, %", "pct"),
        ]
        table = [
            [
                row["year"],
                row["share_of_gdp_pct"],
                row["gdp_usd_const2021_m"],
                row["defence_usd_const2021_m"],
                row["extra_usd_const2021_m"],
                row["defence_nc_const2021_m"],
                row["extra_nc_const2021_m"],
                row["defence_real_growth_pct"],
            ]
            for row in rows
        ]
    return Chart(
        slug="scenario-extra",
        title=title,
        description=(
            f"Bar chart of the extra defence spending each year from {years[0] if years else ''}"
            f" to {answer['deadline_year']} over the {answer['y0']} level, USD million at "
            "constant 2021 prices"
            + (", stacked: United States and Europe and Canada." if alliance else ".")
        ),
        columns=columns,
        rows=table,
        figure=figure_dict(traces, layout),
    )
