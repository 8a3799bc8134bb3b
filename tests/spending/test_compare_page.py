"""The compare page: one spelling with the API (member=POL,DEU), honest state, target lines."""

import pytest

from tests.spending.test_chart_pages import figures_in

pytestmark = pytest.mark.django_db


def line_levels(figure):
    """The heights of the horizontal reference lines drawn on a figure."""
    return sorted(shape["y0"] for shape in figure["layout"].get("shapes", []))


def test_an_old_members_link_moves_for_good_to_the_member_spelling(client):
    response = client.get("/compare/?members=POL,DEU&metric=share_of_gdp_pct&from=2016")

    assert response.status_code == 301
    assert response["Location"] == "/compare/?metric=share_of_gdp_pct&from=2016&member=POL,DEU"


def test_the_forms_repeated_member_boxes_are_joined_into_one_list(client):
    response = client.get("/compare/?member=POL&member=DEU&metric=share_of_gdp_pct")

    assert response.status_code == 302
    assert response["Location"] == "/compare/?member=POL,DEU&metric=share_of_gdp_pct"


def test_unticking_every_ally_says_none_is_chosen_instead_of_bringing_back_defaults(client):
    response = client.get("/compare/?metric=share_of_gdp_pct&from=2014&to=2026")

    assert response.status_code == 200
    html = response.content.decode()
    assert "No ally chosen." in html
    assert figures_in(html) == {}
    assert " checked" not in html


def test_a_bare_compare_page_shows_the_default_allies(client):
    html = client.get("/compare/").content.decode()

    for iso3 in ("POL", "DEU", "FRA"):
        assert f'value="{iso3}" checked' in html
    assert "No ally chosen." not in html


def test_the_share_of_gdp_comparison_draws_the_2_35_and_5_percent_lines(client):
    html = client.get("/compare/?member=POL,DEU&metric=share_of_gdp_pct").content.decode()
    figure = figures_in(html)["chart-data-compare"]

    assert line_levels(figure) == [2.0, 3.5, 5.0]
    labels = [
        a["text"] for a in figure["layout"]["annotations"] if a.get("name", "")[:7] == "target:"
    ]
    assert labels == ["2% by 2024", "3.5% by 2035", "5% in all by 2035"]


def test_the_equipment_comparison_draws_the_20_percent_guideline_and_amounts_draw_none(client):
    equipment = client.get("/compare/?member=POL&metric=equipment_share_pct").content.decode()
    amounts = client.get("/compare/?member=POL&metric=defence_usd_const2021_m").content.decode()

    assert line_levels(figures_in(equipment)["chart-data-compare"]) == [20.0]
    assert line_levels(figures_in(amounts)["chart-data-compare"]) == []


def test_the_compare_link_uses_the_apis_member_spelling(client):
    html = client.get("/compare/?member=POL,DEU&metric=share_of_gdp_pct").content.decode()

    assert (
        'href="/compare/?member=POL,DEU&amp;metric=share_of_gdp_pct&amp;from=2014&amp;to=2026"'
        in html
    )
    assert 'name="member"' in html
