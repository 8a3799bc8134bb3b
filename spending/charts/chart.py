"""What a chart is: its Plotly figure as a plain dict, and the table of what it shows.

Figures are built as plain dicts, not plotly.graph_objects: those validate every property on
each request, which cost most of a cold page. The tests validate every figure the pages draw
against Plotly's schema instead (tests/spending/test_chart_schema.py).
"""

import json
from dataclasses import dataclass, field

from plotly.utils import PlotlyJSONEncoder

from spending.csv import write_table
from spending.precision import round_of_kind


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


def chart_csv(chart):
    """The chart's table as CSV text, spreadsheet-safe (the writer the API's CSV uses too),
    each number rounded as the chart shows it (spending.precision)."""
    kinds = [kind for _, kind in chart.columns]
    rows = [
        [round_of_kind(kind, value) for kind, value in zip(kinds, row, strict=True)]
        for row in chart.rows
    ]
    return write_table([label for label, _ in chart.columns], rows)
