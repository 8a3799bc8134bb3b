"""/scenarios/ and /members/<ISO3>/scenario/: the API's numbers, a form that needs no script."""

import csv
import io

import pytest

pytestmark = pytest.mark.django_db


def csv_rows(response):
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?ramp=linear&deadline=2040&target=total-5pct",
        "?gdp_growth=-1.5&deadline=2030",
        "?defence_growth=6",
    ],
)
def test_the_page_and_the_api_give_the_same_numbers(client, query):
    api = client.get(f"/api/v1/scenarios/{query or '?'}&member=FRA").json()
    page = client.get(f"/members/FRA/scenario/{query}")
    rows = csv_rows(client.get(f"/members/FRA/scenario/{query}{'&' if query else '?'}format=csv"))

    assert page.status_code == 200
    assert api["sentence"] in page.content.decode()
    assert [int(row["Year"]) for row in rows] == [row["year"] for row in api["years"]]
    for row, year in zip(rows, api["years"], strict=True):
        assert float(row["Extra, USD m, 2021 prices"]) == year["extra_usd_const2021_m"]
        assert float(row["Defence, EUR m, 2021 prices"]) == year["defence_nc_const2021_m"]
        assert float(row["Share of GDP, %"]) == year["share_of_gdp_rounded_pct"]


def test_the_alliance_page_states_the_api_answer_and_lists_every_ally(client):
    api = client.get("/api/v1/scenarios/").json()
    page = client.get("/scenarios/").content.decode()

    assert api["sentence"] in page
    assert page.count('href="/members/') >= 31
    rows = csv_rows(client.get("/scenarios/?format=csv"))
    assert [float(row["Extra, USD m, 2021 prices"]) for row in rows] == [
        year["extra_usd_const2021_m"] for year in api["years"]
    ]


def test_each_assumption_is_printed_with_its_source(client):
    page = client.get("/members/DEU/scenario/").content.decode()

    assert "real GDP growth 0.34%/yr</strong>: NATO Table 5, 2021–2026" in page
    assert (
        "Germany reaches 3.5% in 2035 with defence growing 3.3% a year in real terms: "
        "USD 40.5 bn more in 2035 than in 2026, at 2021 prices."
    ) in page


def test_the_form_works_without_javascript_and_keeps_the_state(client):
    page = client.get("/members/DEU/scenario/?ramp=linear&deadline=2031").content.decode()

    assert '<form method="get" action="/scenarios/"' in page
    assert '<option value="linear" selected>' in page
    assert 'name="deadline" type="number"' in page
    assert 'value="2031"' in page
    assert '<option value="DEU" selected>' in page


def test_choosing_a_member_on_the_alliance_page_goes_to_its_page_with_the_state(client):
    response = client.get("/scenarios/?member=pol&ramp=linear&gdp_growth=")

    assert response.status_code == 302
    assert response["Location"] == "/members/POL/scenario/?ramp=linear"


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("/members/ISL/scenario/", "NATO publishes no figures for Iceland (no armed forces)"),
        ("/members/DEU/scenario/?gdp_growth=12", "<strong>gdp_growth</strong> “12”: out of range"),
        ("/members/DEU/scenario/?deadline=2026", "not after the newest year with data, 2026"),
        ("/scenarios/?target=6pct", "<strong>target</strong> “6pct”: unknown target"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(client, url, said):
    response = client.get(url)

    assert response.status_code == 400
    assert said in response.content.decode()


def test_the_ally_page_links_to_its_scenario(client):
    page = client.get("/members/DEU/").content.decode()

    assert 'action="/members/DEU/scenario/"' in page
    assert 'id="scenario-link" href="/members/DEU/scenario/"' in page


def test_a_pace_chosen_on_an_ally_page_reaches_that_allys_scenario(client):
    response = client.get("/scenarios/?member=DEU&defence_growth=6&ramp=steady", follow=True)

    assert response.redirect_chain[-1][0] == ("/members/DEU/scenario/?defence_growth=6&ramp=steady")
    assert "With defence growing 6.0% a year in real terms, Germany reaches" in (
        response.content.decode()
    )


def test_the_alliance_page_takes_a_pace_for_every_ally(client):
    response = client.get("/scenarios/?defence_growth=3")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="defence_growth"' in html
    assert "in every ally" in html
    assert "Year at 3.5% at this pace" in html
    assert "real growth of defence 3.00%/yr for every ally" in html
