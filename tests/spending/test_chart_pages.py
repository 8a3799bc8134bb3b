"""The pages that carry charts: queries, payload, embedded figures, CSV and the compare state."""

import csv
import io
import json
import re
from pathlib import Path

import pytest

from members.models import Member

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

pytestmark = pytest.mark.django_db

PAGE_BUDGET_BYTES = 150_000
SCRIPT_TAG = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)


def figures_in(html):
    """{element id: figure} of every embedded figure JSON block."""
    blocks = re.findall(r'<script id="([^"]+)" type="application/json">(.*?)</script>', html, re.S)
    return {element_id: json.loads(body) for element_id, body in blocks}


def inline_scripts(html):
    """Script tags with code in them (JSON data blocks are data, not code)."""
    return [
        match.group(0)
        for match in SCRIPT_TAG.finditer(html)
        if 'type="application/json"' not in match.group("attrs") and match.group("body").strip()
    ]


@pytest.mark.parametrize(
    "path", ["/", "/members/POL/", "/members/ISL/", "/compare/?member=POL,DEU&from=2014"]
)
def test_pages_run_at_most_six_queries_and_carry_no_inline_script(
    client, django_assert_max_num_queries, path
):
    # An ally's maths are stored by its first visit (tests/spending/test_page_answers.py
    # counts that one): the page as every later visitor gets it.
    client.get(path)
    with django_assert_max_num_queries(6):
        response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert inline_scripts(html) == []
    for match in SCRIPT_TAG.finditer(html):
        attrs = match.group("attrs")
        assert 'type="application/json"' in attrs or 'src="/static/' in attrs


def test_the_ally_page_with_its_figures_stays_under_150_kb(client):
    html = client.get("/members/POL/").content
    assert len(html) < PAGE_BUDGET_BYTES


def test_the_ally_page_embeds_its_five_charts_with_a_table_and_csv_each(client):
    html = client.get("/members/POL/").content.decode()
    figures = figures_in(html)
    # Four from the newest edition, one comparing the two shipped editions.
    assert set(figures) == {
        "chart-data-share",
        "chart-data-spending",
        "chart-data-equipment",
        "chart-data-breakdown",
        "chart-data-editions",
    }
    share = figures["chart-data-share"]
    assert share["layout"]["title"]["text"] == "Poland: defence spending as a share of GDP"
    assert "template" not in share["layout"]
    for slug in ("share", "spending", "equipment", "breakdown", "editions"):
        assert f'href="/members/POL/charts/{slug}.csv"' in html
    # Open, so the table stands in for the chart when scripts do not run (charts.js closes it).
    assert html.count('<details class="chart-data" open>') == 5


def test_the_share_chart_json_holds_the_shares_as_computed(client):
    html = client.get("/members/POL/").content.decode()
    share = figures_in(html)["chart-data-share"]
    actual = share["data"][0]
    assert actual["x"][0] == 2014
    assert actual["y"][0] == pytest.approx(1.8643307665149476, abs=1e-12)


def test_iceland_has_no_charts_and_says_why(client):
    html = client.get("/members/ISL/").content.decode()
    assert figures_in(html) == {}
    assert "no armed forces" in html
    assert "plotly" not in html


def test_a_chart_csv_holds_what_the_chart_shows(client):
    response = client.get("/members/POL/charts/spending.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="POL-spending-nato-2026.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Year", "Status", "Current prices, USD m", "2021 prices, USD m"]
    assert [row[0] for row in rows[1:]] == [str(year) for year in range(2014, 2027)]
    assert rows[-1][1] == "estimate"


@pytest.mark.parametrize(
    "path", ["/members/POL/charts/nothing.csv", "/members/ISL/charts/share.csv"]
)
def test_a_csv_of_a_chart_that_does_not_exist_is_404(client, path):
    assert client.get(path).status_code == 404


def test_the_overview_embeds_its_charts_and_draws_map_and_heatmap_as_html(client):
    html = client.get("/").content.decode()
    assert set(figures_in(html)) == {
        "chart-data-ranked",
        "chart-data-meeting",
        "chart-data-us-europe",
        "chart-data-fair-share",
    }
    assert html.count('class="map-ally') == 32
    assert 'id="chart-heatmap"' in html
    assert "data cut-off 3 July 2026" in html
    assert 'id="edition-note"' in html


def test_the_overview_ranks_the_chosen_year(client):
    html = client.get("/?year=2014").content.decode()
    ranked = figures_in(html)["chart-data-ranked"]
    assert ranked["layout"]["title"]["text"] == "Share of GDP by ally, 2014"
    names = [name for trace in ranked["data"] for name in trace["y"]]
    assert "Finland" not in names  # joined in 2023


@pytest.mark.parametrize("year", ["abc", "1990", "2099"])
def test_a_bad_year_on_the_overview_is_a_400_naming_the_parameter(client, year):
    response = client.get("/", {"year": year})
    assert response.status_code == 400
    html = response.content.decode()
    assert "year: " in html
    assert "2014–2026" in html


def test_compare_draws_the_chosen_allies_and_metric(client):
    response = client.get("/compare/?member=POL,DEU,FRA&metric=share_of_gdp_pct&from=2014&to=2026")
    assert response.status_code == 200
    html = response.content.decode()
    figure = figures_in(html)["chart-data-compare"]
    names = [trace["name"] for trace in figure["data"] if "estimate" not in trace["name"]]
    assert names == ["Poland", "Germany", "France"]
    assert (
        'href="/compare/?member=POL,DEU,FRA&amp;metric=share_of_gdp_pct&amp;from=2014&amp;to=2026"'
        in html
    )
    for iso3 in ("POL", "DEU", "FRA"):
        assert f'value="{iso3}" checked' in html


def test_compare_accepts_the_checkbox_form_and_links_the_canonical_state(client):
    response = client.get(
        "/compare/", {"member": ["DEU", "POL"], "metric": "defence_usd_const2021_m", "to": "2020"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/compare/?member=DEU,POL&metric=defence_usd_const2021_m&to=2020"
    response = client.get(response["Location"])
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "/compare/?member=DEU,POL&amp;metric=defence_usd_const2021_m&amp;from=2014&amp;to=2020"
        in html
    )
    figure = figures_in(html)["chart-data-compare"]
    assert figure["data"][0]["x"] == list(range(2014, 2021))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("member=POL,XYZ", "member: &#x27;XYZ&#x27; is not the ISO3 code of a NATO member"),
        ("member=ISL", "member: NATO publishes no figures for ISL"),
        ("member=", "member: choose at least one ally."),
        (
            "member=POL,DEU,FRA,ITA,ESP,GBR,USA,CAN,NLD",
            "member: choose at most 8 allies, not 9.",
        ),
        ("metric=gdp", "metric: &#x27;gdp&#x27; is not one of share_of_gdp_pct"),
        ("from=2013", "from: &#x27;2013&#x27; is not allowed; use a year from 2014 to 2026."),
        ("to=soon", "to: &#x27;soon&#x27; is not allowed"),
        ("from=2020&to=2015", "from: 2020 is after to: 2015."),
        ("member=<script>", "&#x27;&lt;SCRIPT&gt;&#x27; is not the ISO3 code"),
    ],
)
def test_bad_compare_parameters_give_a_400_naming_the_parameter(client, query, message):
    response = client.get(f"/compare/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert figures_in(html) == {}


def test_compare_downloads_its_csv(client):
    response = client.get("/compare/?member=POL,DEU&metric=share_of_gdp_pct&format=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Year", "Status", "Poland, % of GDP", "Germany, % of GDP"]
    assert len(rows) == 1 + 13


def test_a_hostile_ally_name_is_escaped_in_the_page_and_defused_in_the_csv(client):
    member = Member.objects.get(iso3="POL")
    member.name = "=cmd|' /C calc'!A0 <img src=x onerror=alert(1)>"
    member.save()
    html = client.get("/members/POL/").content.decode()
    assert "<img src=x" not in html
    assert "\\u003Cimg src=x" in html  # inside the figure JSON, escaped by json_script
    response = client.get("/compare/?member=POL&format=csv")
    header = next(csv.reader(io.StringIO(response.content.decode())))
    assert header[2].startswith("'=cmd")


def test_the_shipped_2025_edition_adds_the_edition_chart_without_another_query(
    client, django_assert_max_num_queries
):
    with open(FIXTURES / "figures_2025_edition.csv", newline="", encoding="utf-8") as f:
        published = {
            int(row["year"]): float(row["value"])
            for row in csv.DictReader(f)
            if row["iso3"] == "POL" and row["metric"] == "nato_share_of_gdp_pct"
        }
    client.get("/members/POL/")  # stores the ally's maths, as any first visit does
    with django_assert_max_num_queries(6):
        html = client.get("/members/POL/").content.decode()
    figure = figures_in(html)["chart-data-editions"]
    assert [trace["name"].split(" (cut-off")[0] for trace in figure["data"]] == [
        "Defence Expenditure of NATO Countries (2014-2026)",
        "Defence Expenditure of NATO Countries (2014-2025)",
    ]
    older = figure["data"][1]
    # The 2025 edition holds only NATO's shares: its line is those shares as published.
    assert dict(zip(older["x"], older["y"], strict=True)) == pytest.approx(published)
    assert published[2025] == 4.48
    # The ally's other charts still come from the newest edition only.
    share = figures_in(html)["chart-data-share"]
    assert share["data"][0]["x"][0] == 2014


def test_each_overview_chart_links_its_csv_for_the_chosen_year(client):
    html = client.get("/?year=2020").content.decode()
    for slug in ("ranked", "map", "meeting", "us-europe", "heatmap"):
        assert f'href="/charts/{slug}.csv?year=2020"' in html


def test_the_ranked_csv_lists_the_allies_of_that_year_highest_first(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        response = client.get("/charts/ranked.csv?year=2020")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["ISO3", "Ally", "Status", "Share of GDP, %", "Band"]
    assert rows[1][:2] == ["USA", "United States"]
    assert len(rows) == 1 + 29  # Iceland has no figures; Finland and Sweden joined later
    assert "Finland" not in {row[1] for row in rows}


@pytest.mark.parametrize(
    ("path", "status"), [("/charts/map.csv?year=1990", 400), ("/charts/nothing.csv", 404)]
)
def test_a_bad_overview_csv_request_says_what_was_wrong(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    if status == 400:
        assert response.content.decode().startswith("year: '1990' is not a year with figures")
