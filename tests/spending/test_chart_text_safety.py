"""Text from the data (an edition's title) is inert in a chart: Plotly reads <a href>, <b> and
<br> in labels, so a title with HTML must show as typed, never become a live link."""

import datetime

from spending import charts

HOSTILE = '<a href="javascript:alert(1)">NATO</a><b>x</b><br>'


def texts(node):
    """Every string in a figure (layout and traces), however deep."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from texts(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from texts(value)


def test_the_source_line_shows_an_html_title_as_text():
    line = charts.source_line({"title": HOSTILE, "cutoff_on": datetime.date(2026, 7, 3)})
    assert "<" not in line
    assert '&lt;a href="javascript:alert(1)"&gt;NATO&lt;/a&gt;' in line


def test_the_edition_chart_shows_html_titles_as_text_in_every_label():
    editions = [
        {
            "slug": "nato-2026",
            "title": HOSTILE,
            "cutoff_on": datetime.date(2026, 7, 1),
            "history": [{"year": 2024, "status": "actual", "share_of_gdp_pct": 2.0}],
        }
    ]
    source = charts.source_line({"title": HOSTILE, "cutoff_on": None})
    chart = charts.edition_changes_chart(editions, "Aland", source)
    hostile_bits = [text for text in texts(chart.figure) if "<a" in text or "<b>" in text]
    assert hostile_bits == []
    assert chart.figure["data"][0]["name"].startswith("&lt;a href=")
