"""The headline progress answer is stored with the data at each write (spending/answers.py):
it equals the answer computed per request, follows every import and rollback at once, and
a write that did not store it falls back to computing, never to a stale answer."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spending.importing import apply_batch, choose_edition, preview_upload, rollback_batch
from spending.models import AllianceAnswer, DataVersion, ProgressAnswer, YearlyFigure
from spending.writes import record_write
from tests.api.conftest import results
from tests.spending.import_files import EXPORT_COLUMNS, csv_bytes, export_rows

pytestmark = pytest.mark.django_db


def by_iso3(rows):
    return {row["iso3"]: row for row in rows}


@pytest.mark.parametrize(
    "query", ["", "&edition=nato-2026", "&year=2020", "&year=2014&edition=nato-2026"]
)
def test_the_stored_answer_equals_the_one_computed_per_request(client, query):
    stored = client.get(f"/api/v1/progress/?page_size=100{query}")
    # With no stored rows for this data version, the API computes from the figures.
    ProgressAnswer.objects.all().delete()
    DataVersion.objects.update(version=DataVersion.current()[0] + 1)
    computed = client.get(f"/api/v1/progress/?page_size=100{query}")

    assert results(stored) == results(computed)
    assert len(results(stored)) == 32


def test_progress_is_stored_for_each_year_and_each_members_newest_year_of_every_edition():
    version = DataVersion.current()[0]
    # The 2026 edition holds 2014-2026, the 2025 edition 2014-2025; each member also gets
    # its newest year (year=None) in each edition.
    years_2026, years_2025 = 2026 - 2014 + 1, 2025 - 2014 + 1

    assert ProgressAnswer.objects.filter(version=version).count() == 32 * (years_2026 + 1) + 32 * (
        years_2025 + 1
    )
    assert ProgressAnswer.objects.filter(version=version, year=None).count() == 2 * 32
    assert AllianceAnswer.objects.filter(version=version).count() == years_2026 + years_2025


def test_the_stored_answer_is_read_in_three_queries_and_paged_by_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/progress/?page_size=5&page=2&member=POL,DEU,FRA,ITA,ESP,USA")
    body = response.json()

    assert len(queries) == 3
    assert body["count"] == 6
    assert [row["iso3"] for row in body["results"]] == ["USA"]
    previous = parse_qs(urlsplit(body["previous"]).query)
    assert previous == {"member": ["POL,DEU,FRA,ITA,ESP,USA"], "page_size": ["5"]}
    assert body["next"] is None


def test_an_unknown_member_is_refused_by_the_stored_path_with_the_known_ones(client):
    response = client.get("/api/v1/progress/?member=POL,XXX")

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["parameter"], error["value"], error["message"]) == (
        "member",
        "XXX",
        "unknown member",
    )
    assert "POL" in error["allowed"]
    assert "ISL" in error["allowed"]


def test_an_import_and_its_rollback_replace_the_stored_answer_in_the_same_transaction(client):
    def poland():
        return by_iso3(results(client.get("/api/v1/progress/?member=POL")))["POL"]

    before = poland()
    rows = export_rows(iso3="POL")
    for row in rows[1:]:
        if row[1] == 2026:
            row[EXPORT_COLUMNS.index("defence_usd_const2021_m")] = 40000
    batch = preview_upload(csv_bytes(rows), "figures.csv", choose_edition("nato-2026"))
    apply_batch(batch.pk)
    version = DataVersion.current()[0]

    after = poland()
    assert after["share_of_gdp_pct"] > before["share_of_gdp_pct"]
    assert set(ProgressAnswer.objects.values_list("version", flat=True)) == {version}

    rollback_batch(batch.pk)
    assert poland() == before


def test_a_write_that_stored_no_answer_is_computed_per_request_not_served_stale(client):
    before = by_iso3(results(client.get("/api/v1/progress/?member=POL")))["POL"]
    YearlyFigure.objects.filter(edition__slug="nato-2026", member__iso3="POL", year=2026).update(
        defence_usd_const2021_m=40000
    )
    # The version moves without storing a new answer, as a write outside the app's paths would.
    DataVersion.objects.update(version=DataVersion.current()[0] + 1)

    after = by_iso3(results(client.get("/api/v1/progress/?member=POL")))["POL"]

    assert after["share_of_gdp_pct"] > before["share_of_gdp_pct"]


def test_figures_mark_the_newest_vintage_at_each_write_and_never_trust_stale_marks(client):
    from datetime import date

    from spending.models import Edition

    def poland_2026():
        rows = results(client.get("/api/v1/figures/?member=POL&year=2026"))
        return [(row["edition"], row["defence_usd_const2021_m"]) for row in rows]

    assert poland_2026() == [("nato-2026", 37515.0)]
    newer = Edition.objects.create(
        slug="nato-2027",
        title="NATO 2027",
        publisher="NATO",
        cutoff_on=date(2027, 6, 1),
        price_base_year=2021,
    )
    shipped = YearlyFigure.objects.get(edition__slug="nato-2026", member__iso3="POL", year=2026)
    YearlyFigure.objects.create(
        member=shipped.member, edition=newer, year=2026, status="actual", **{
            "defence_usd_const2021_m": 45000.0, "gdp_usd_const2021_m": 900000.0
        }
    )  # fmt: skip
    # Written without the app's write path: the marks are stale, so they are not used.
    DataVersion.objects.update(version=DataVersion.current()[0] + 1)
    assert poland_2026() == [("nato-2027", 45000.0)]

    record_write()
    assert YearlyFigure.objects.get(edition=newer).newest
    assert not YearlyFigure.objects.get(pk=shipped.pk).newest
    assert poland_2026() == [("nato-2027", 45000.0)]


def test_members_read_their_latest_share_from_the_stored_answer_as_computed(client):
    with CaptureQueriesContext(connection) as queries:
        stored = results(client.get("/api/v1/members/?page_size=100"))
    # Counted now: the next request resets the query log.
    assert len(queries) == 3
    ProgressAnswer.objects.all().delete()
    DataVersion.objects.update(version=DataVersion.current()[0] + 1)  # a fresh cache key

    computed = results(client.get("/api/v1/members/?page_size=100"))

    assert stored == computed
    poland = by_iso3(stored)["POL"]
    assert (poland["latest_year"], poland["edition"], poland["latest_rank"]) == (
        2026,
        "nato-2026",
        4,
    )
    assert by_iso3(stored)["ISL"]["edition"] is None
