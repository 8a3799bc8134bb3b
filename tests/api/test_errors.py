"""Every bad parameter answers 400 JSON naming it and what is allowed; unknown things 404."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "parameter", "allowed"),
    [
        ("/api/v1/figures/?member=XXX", "member", "POL"),
        ("/api/v1/figures/?member=POL,,DEU", "member", "comma-separated ISO3 codes"),
        ("/api/v1/figures/?member=POL,X1", "member", "comma-separated ISO3 codes"),
        ("/api/v1/figures/?member=POL,", "member", "comma-separated ISO3 codes"),
        ("/api/v1/figures/?year=1990", "year", "years from 2014 to 2026"),
        ("/api/v1/figures/?year=2025,,2026", "year", "four-digit years"),
        ("/api/v1/figures/?year=twenty", "year", "four-digit years"),
        ("/api/v1/figures/?year_min=2030", "year_min", "an integer from 2014 to 2026"),
        ("/api/v1/figures/?year_max=abc", "year_max", "an integer from 2014 to 2026"),
        ("/api/v1/figures/?year_min=2020&year_max=2016", "year_min", "at most 2016"),
        ("/api/v1/figures/?status=guess", "status", "actual, estimate"),
        ("/api/v1/figures/?edition=nato-1999", "edition", "nato-2026"),
        ("/api/v1/figures/?countries=POL", "countries", "member, year"),
        ("/api/v1/figures/?member=POL&member=DEU", "member", "comma-separated"),
        ("/api/v1/figures/?page_size=5000", "page_size", "an integer from 1 to 1000"),
        ("/api/v1/figures/?page_size=0", "page_size", "an integer from 1 to 1000"),
        ("/api/v1/figures/?page=-1", "page", "an integer from 1 to 1000000"),
        ("/api/v1/figures/?format=xlsx", "format", "json, csv"),
        ("/api/v1/progress/?year=2027", "year", "an integer from 2014 to 2026"),
        ("/api/v1/progress/?member=POL,ZZZ", "member", "ALB"),
        ("/api/v1/progress/?edition=unknown", "edition", "nato-2026"),
        ("/api/v1/alliance/?year=2013", "year", "an integer from 2014 to 2026"),
        ("/api/v1/alliance/?edition=nope", "edition", "nato-2026"),
        ("/api/v1/members/POL/history/?metric=gdp", "metric", "share_of_gdp_pct"),
        ("/api/v1/members/?member=POL", "member", "format, page, page_size"),
        ("/api/v1/members/POL/?format=csv", "format", "json"),
        ("/api/v1/members/POL/?page=2", "page", "format"),
        ("/api/v1/targets/?kind=floor", "kind", "format, page, page_size"),
    ],
)
def test_a_bad_parameter_answers_400_naming_it_and_what_is_allowed(client, url, parameter, allowed):
    response = client.get(url)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert parameter in body["detail"]
    (error,) = [error for error in body["errors"] if error["parameter"] == parameter]
    assert allowed in error["allowed"]
    assert error["message"]


def test_every_bad_parameter_is_reported_at_once(client):
    body = client.get("/api/v1/figures/?member=XXX&year=1800&status=x").json()

    assert [error["parameter"] for error in body["errors"]] == ["member", "year", "status"]


def test_a_bad_parameter_in_a_csv_request_still_answers_json(client):
    response = client.get("/api/v1/figures/?format=csv&year=1990")

    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "year"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/members/XXX/",
        "/api/v1/members/POLAND/",
        "/api/v1/members/xxx/history/",
        "/api/v1/nothing/",
        "/api/v2/members/",
        "/api/",
        "/api/v1/members/POL/extra/",
    ],
)
def test_unknown_paths_and_members_answer_404_json(client, url):
    response = client.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_a_page_past_the_end_answers_400_with_the_last_page(client):
    response = client.get("/api/v1/figures/?page=99&page_size=200")

    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["parameter"], error["allowed"]) == ("page", "an integer from 1 to 3")


def test_a_missing_trailing_slash_redirects_to_the_endpoint(client):
    response = client.get("/api/v1/figures?member=POL")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/figures/?member=POL"


def test_an_empty_parameter_is_refused_rather_than_ignored(client):
    body = client.get("/api/v1/figures/?member=&year_min=2020").json()

    assert body["errors"] == [
        {
            "parameter": "member",
            "value": "",
            "message": "empty value",
            "allowed": "a value, or no parameter for no filter",
        }
    ]


def test_the_api_is_read_only(client):
    for method in (client.post, client.put, client.patch, client.delete):
        response = method("/api/v1/figures/")
        assert response.status_code == 405
