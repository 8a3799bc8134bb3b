"""The query serializers of spending/api/filters.py: every fault of a query in one 400."""

import pytest
from django.db.models import Max, Min
from django.http import QueryDict
from django.urls import resolve

from spending.api.filters import FigureQuery, ProgressQuery
from spending.models import Edition, YearlyFigure

FIGURE_PARAMETERS = "member, year, year_min, year_max, status, edition, format, page, page_size"


def read(query_class, query, **context):
    """(validated values, errors) of `query` read by `query_class` with `context`."""
    serializer = query_class(data=QueryDict(query), context=context)
    serializer.is_valid()
    return serializer.validated_data, serializer.errors


def test_it_reads_good_values():
    values, errors = read(
        FigureQuery,
        "member=pol,DEU,POL&year=2025,2024&year_min=2020&status=actual&page=2",
        members={"POL", "DEU"},
        editions=["nato-2026"],
        years=[2014, 2026],
    )

    assert errors == {}
    assert values == {
        "member": ["POL", "DEU"],
        "year": [2024, 2025],
        "year_min": 2020,
        "status": "actual",
        "page": 2,
    }


def test_it_reports_a_wrong_value_an_unknown_parameter_and_a_repeated_one_together():
    _, errors = read(
        ProgressQuery,
        "year=twenty&colour=red&member=POL&member=DEU",
        members={"POL", "DEU"},
        editions=["nato-2026"],
        years=[2014, 2026],
    )

    assert list(errors) == ["colour", "member", "year"]
    assert errors["colour"]["message"] == "unknown parameter"
    assert errors["member"]["message"] == "given more than once"
    assert errors["year"] == {
        "message": "not an integer",
        "allowed": "an integer from 2014 to 2026",
        "value": "twenty",
    }


def test_the_relation_of_two_years_is_checked_once_each_is_right():
    _, errors = read(
        FigureQuery, "year_min=2020&year_max=2016", members=set(), editions=[], years=[2014, 2026]
    )

    assert errors == {
        "year_min": {"message": "after year_max", "allowed": "at most 2016", "value": "2020"}
    }


@pytest.mark.django_db
def test_the_api_answers_a_wrong_value_an_unknown_parameter_and_a_repeated_one_in_one_400(client):
    first, last = YearlyFigure.objects.aggregate(Min("year"), Max("year")).values()

    response = client.get("/api/v1/figures/?year=1990&countries=POL&member=POL&member=DEU")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Bad query parameter: countries, member, year.",
        "errors": [
            {
                "parameter": "countries",
                "value": "POL",
                "message": "unknown parameter",
                "allowed": FIGURE_PARAMETERS,
            },
            {
                "parameter": "member",
                "value": None,
                "message": "given more than once",
                "allowed": "one value (lists: comma-separated)",
            },
            {
                "parameter": "year",
                "value": "1990",
                "message": "out of range",
                "allowed": f"years from {first} to {last}",
            },
        ],
    }


@pytest.mark.django_db
def test_an_endpoint_of_stored_answers_reports_every_fault_at_once_too(client):
    held = ", ".join(Edition.objects.newest_first().values_list("slug", flat=True))

    response = client.get("/api/v1/alliance/?edition=nope&page_size=0&year=2020&year=2021&x=1")

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Bad query parameter: year, x, page_size, edition."
    assert [(e["parameter"], e["message"]) for e in body["errors"]] == [
        ("year", "given more than once"),
        ("x", "unknown parameter"),
        ("page_size", "out of range"),
        ("edition", "unknown edition"),
    ]
    assert body["errors"][-1]["allowed"] == held


@pytest.mark.django_db
def test_a_scenario_query_refuses_unknown_and_repeated_parameters(client):
    response = client.get("/api/v1/scenarios/?ramp=steady&ramp=linear&colour=red")

    assert response.status_code == 400
    assert [e["parameter"] for e in response.json()["errors"]] == ["ramp", "colour"]


@pytest.mark.django_db
def test_the_schema_documents_the_parameters_each_endpoint_reads(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    read = {}

    for path, operations in schema["paths"].items():
        view = getattr(resolve(path.replace("{iso3}", "POL")).func, "view_class", None)
        if "get" not in operations or not hasattr(view, "query_class"):
            continue
        documented = {
            p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "query"
        }
        read[path] = documented - {"format"} == set(view.query_class().fields)

    assert len(read) == 11
    assert all(read.values()), read
