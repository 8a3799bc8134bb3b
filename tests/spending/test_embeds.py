"""/embed/…: one chart alone with its title, source and a link back, frameable by any site, while
every other page keeps refusing frames; each page offers the snippet for its charts."""

import json
import re

import pytest

pytestmark = pytest.mark.django_db

EMBEDS = [
    "/embed/charts/ranked/?year=2020",
    "/embed/charts/map/",
    "/embed/members/POL/share/",
    "/embed/compare/?member=POL,DEU&metric=share_of_gdp_pct&from=2014&to=2026",
]


def frame_ancestors(response):
    policy = response["Content-Security-Policy"]
    return re.search(r"frame-ancestors ([^;]*)", policy).group(1).strip()


@pytest.mark.parametrize("path", EMBEDS)
def test_an_embed_may_be_framed_by_any_site(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert frame_ancestors(response) == "*"
    assert "X-Frame-Options" not in response
    body = response.content.decode()
    assert "Source: NATO" in body
    assert 'class="embed-back"' in body
    assert '<header class="site-header">' not in body


@pytest.mark.parametrize("path", ["/", "/members/POL/", "/compare/", "/methodology/"])
def test_the_pages_still_refuse_every_frame(client, path):
    response = client.get(path)
    assert frame_ancestors(response) == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_the_embed_keeps_the_pages_year_and_links_back_to_it(client):
    body = client.get("/embed/charts/ranked/?year=2020").content.decode()
    figure = json.loads(re.search(r'id="chart-data-ranked"[^>]*>(.*?)</script>', body).group(1))
    assert "2020" in figure["layout"]["title"]["text"]
    assert 'href="http://testserver/?year=2020#chart-ranked"' in body
    assert 'href="/charts/ranked.csv?year=2020"' in body


def test_the_compare_embed_draws_the_chosen_allies_only(client):
    body = client.get("/embed/compare/?member=POL,LTU&metric=share_of_gdp_pct").content.decode()
    figure = json.loads(re.search(r'id="chart-data-compare"[^>]*>(.*?)</script>', body).group(1))
    names = {trace["name"] for trace in figure["data"] if trace.get("name")}
    assert {"Poland", "Lithuania"} <= names
    assert "Germany" not in names


def test_a_bad_embed_query_is_a_400_naming_the_parameter(client):
    response = client.get("/embed/compare/?member=POL,XYZ")
    assert response.status_code == 400
    assert "&#x27;XYZ&#x27; is not the ISO3 code" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/embed/charts/nothing/", "/embed/members/XXX/share/", "/embed/members/POL/x/"]
)
def test_an_unknown_chart_or_ally_is_a_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("page", "embed"),
    [
        ("/?year=2020", "http://testserver/embed/charts/ranked/?year=2020"),
        ("/members/POL/", "http://testserver/embed/members/POL/share/"),
        (
            "/compare/?member=POL,DEU&metric=share_of_gdp_pct&from=2014&to=2026",
            "http://testserver/embed/compare/?member=POL,DEU&amp;metric=share_of_gdp_pct"
            "&amp;from=2014&amp;to=2026",
        ),
    ],
)
def test_each_page_offers_the_snippet_of_its_charts(client, page, embed):
    body = client.get(page).content.decode()
    assert f'&lt;iframe src="{embed}"' in body
