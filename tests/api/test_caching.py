"""Conditional GET and the server-side cache, both keyed by the data version."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from spending.models import DataVersion, Target, YearlyFigure
from spending.writes import record_write

pytestmark = pytest.mark.django_db


def test_an_answer_carries_an_etag_and_last_modified_from_the_data_version(client):
    response = client.get("/api/v1/targets/")
    version, changed_at = DataVersion.current()

    assert response["ETag"].startswith(f'"{version}-')
    assert response["Last-Modified"] == http_date(changed_at.timestamp())
    assert "no-cache" in response["Cache-Control"]


def test_a_matching_if_none_match_gets_304_for_one_query(client):
    etag = client.get("/api/v1/progress/")["ETag"]

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/progress/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert len(queries) == 1


def test_if_modified_since_the_last_change_gets_304(client):
    last_modified = client.get("/api/v1/alliance/")["Last-Modified"]

    response = client.get("/api/v1/alliance/", HTTP_IF_MODIFIED_SINCE=last_modified)

    assert response.status_code == 304


def test_each_representation_has_its_own_etag(client):
    etags = {
        client.get(url)["ETag"]
        for url in (
            "/api/v1/figures/",
            "/api/v1/figures/?member=POL",
            "/api/v1/figures/?format=csv",
            "/api/v1/figures/?page=2",
        )
    }

    assert len(etags) == 4


def test_a_cached_answer_costs_one_query_and_is_the_same(client):
    first = client.get("/api/v1/progress/?member=POL")

    with CaptureQueriesContext(connection) as queries:
        second = client.get("/api/v1/progress/?member=POL")

    assert len(queries) == 1
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_cached_csv_keeps_its_type_and_file_name(client):
    client.get("/api/v1/figures/?format=csv")

    response = client.get("/api/v1/figures/?format=csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="nato-figures.csv"'


def test_a_write_that_bumps_the_data_version_is_visible_at_once(client):
    old = client.get("/api/v1/figures/?member=POL&year=2025")
    YearlyFigure.objects.filter(edition__slug="nato-2026", member__iso3="POL", year=2025).update(
        defence_usd_const2021_m=40000.0
    )
    Target.objects.filter(slug="core-3.5pct").update(threshold_pct=3.0)
    record_write()

    new = client.get("/api/v1/figures/?member=POL&year=2025", HTTP_IF_NONE_MATCH=old["ETag"])

    assert new.status_code == 200
    assert new["ETag"] != old["ETag"]
    assert new.json()["results"][0]["defence_usd_const2021_m"] == 40000.0
    targets = client.get("/api/v1/targets/").json()["results"]
    assert [t["threshold_pct"] for t in targets if t["slug"] == "core-3.5pct"] == [3.0]


def test_head_gives_the_headers_without_the_body(client):
    get = client.get("/api/v1/members/")
    head = client.head("/api/v1/members/")

    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
