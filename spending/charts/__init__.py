"""Answers and frames turned into chart specifications: Plotly figures as dicts plus their data.

No ORM and no Django: every builder takes frames or records (from `spending.frames` and
`spending.progress`) and returns a `Chart` holding the Plotly figure as a plain dict (template
and defaults stripped, numbers as published) and the table of exactly what the chart shows, which
the page prints under the chart and the CSV download writes.

The steps: `chart` (what a chart is), `look` (the house look and palette), then the figures of
each page: `overview`, `fairshare`, `ally`, `alliance_map`, `compare`.
"""

from spending.charts.alliance_map import load_geometry, share_map
from spending.charts.ally import (
    breakdown_chart,
    edition_changes_chart,
    equipment_chart,
    share_over_time_chart,
    spending_usd_chart,
)
from spending.charts.chart import Chart, chart_csv
from spending.charts.compare import COMPARE_METRICS, compare_chart
from spending.charts.fairshare import fair_share_chart
from spending.charts.look import source_line
from spending.charts.overview import (
    allies_meeting_chart,
    ranked_share_chart,
    share_heatmap,
    us_europe_chart,
)

__all__ = [
    "COMPARE_METRICS",
    "Chart",
    "allies_meeting_chart",
    "breakdown_chart",
    "chart_csv",
    "compare_chart",
    "edition_changes_chart",
    "equipment_chart",
    "fair_share_chart",
    "load_geometry",
    "ranked_share_chart",
    "share_heatmap",
    "share_map",
    "share_over_time_chart",
    "source_line",
    "spending_usd_chart",
    "us_europe_chart",
]
