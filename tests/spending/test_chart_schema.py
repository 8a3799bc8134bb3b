"""Every figure the pages draw is valid Plotly, exactly as Plotly itself would write it.

The charts are built as plain dicts (spending/charts/) to keep Plotly's per-property
validation off the request path; here each figure of every page goes through
plotly.graph_objects, which raises on any unknown or malformed property, and Plotly's own JSON
of it must equal what the page embeds.
"""

import json

import plotly.graph_objects as go
import pytest
from plotly.utils import PlotlyJSONEncoder

from members.models import Member
from tests.spending.test_chart_pages import figures_in

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/?year=2014",
    "/compare/?member=POL,DEU,FRA&metric=share_of_gdp_pct",
    "/compare/?member=USA,CAN&metric=defence_usd_const2021_m&from=2016&to=2025",
]


def as_plotly_writes_it(figure):
    plain = go.Figure(figure).to_plotly_json()
    plain["layout"].pop("template", None)
    return json.loads(json.dumps(plain, cls=PlotlyJSONEncoder))


def test_every_figure_of_every_page_is_valid_plotly_and_unchanged_by_it(client):
    paths = PAGES + [f"/members/{iso3}/" for iso3 in Member.objects.values_list("iso3", flat=True)]
    checked = 0
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        for element_id, figure in figures_in(response.content.decode()).items():
            assert as_plotly_writes_it(figure) == figure, (path, element_id)
            checked += 1

    # Overview 4 Plotly figures x 2 years (fair share included), compare 1 x 2, ally pages 4
    # each but Iceland's, plus the chart of editions on each of the 31 held by both shipped
    # editions.
    assert checked == 4 * 2 + 2 + (4 + 1) * 31


def test_a_malformed_property_would_be_caught():
    with pytest.raises(ValueError, match="markr"):
        as_plotly_writes_it({"data": [{"type": "scatter", "markr": {}}], "layout": {}})
