"""figures/ counts its pages from the summary stored with the answers: three queries cold
(data version, summary, page) and no count of the matching rows, with the same count as the
rows themselves, and the same answer when no summary was stored."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spending.models import FigureSummary, YearlyFigure
from spending.writes import record_write
from tests.api.conftest import results

pytestmark = pytest.mark.django_db

QUERIES = [
    "",
    "?member=POL,DEU",
    "?member=ISL",
    "?status=estimate",
    "?member=LTU&status=actual",
    "?edition=nato-2025",
    "?edition=nato-2025&member=POL,FRA&status=estimate",
    "?year_min=2020&member=POL",
    "?year=2014,2015",
]


def newest_vintages():
    """Each member-year's row from the newest edition holding it, worked out here in Python:
    {(iso3, year): (edition slug, status)}."""
    newest = {}
    rows = YearlyFigure.objects.values_list(
        "member__iso3", "year", "edition__slug", "edition__cutoff_on", "status"
    )
    for iso3, year, slug, cutoff, status in rows:
        if (iso3, year) not in newest or cutoff > newest[iso3, year][0]:
            newest[iso3, year] = (cutoff, slug, status)
    return {key: (slug, status) for key, (_, slug, status) in newest.items()}


def expected_count(query):
    """The rows figures/ should count for `query` (a dict of its parameters), independently."""
    if "edition" in query:
        rows = YearlyFigure.objects.filter(edition__slug=query["edition"])
        held = {(r.member.iso3, r.year): (r.edition.slug, r.status) for r in rows}
    else:
        held = newest_vintages()
    members = query["member"].split(",") if "member" in query else None
    years = {int(year) for year in query["year"].split(",")} if "year" in query else None
    return sum(
        1
        for (iso3, year), (_, status) in held.items()
        if (members is None or iso3 in members)
        and (years is None or year in years)
        and int(query.get("year_min", 0)) <= year
        and query.get("status", status) == status
    )


def parameters(url):
    return dict(part.split("=") for part in url.lstrip("?").split("&") if part)


def every_row(client, url):
    """The count the first page gives and every row of every page, paged 100 at a time."""
    joiner = "&" if url else "?"
    first = client.get(f"/api/v1/figures/{url}{joiner}page_size=100")
    assert first.status_code == 200, first.content
    body, rows = first.json(), []
    rows += body["results"]
    while body["next"]:
        body = client.get(body["next"]).json()
        rows += body["results"]
    return first.json()["count"], rows


@pytest.mark.parametrize("url", QUERIES)
def test_the_count_is_that_of_the_rows_and_of_an_independent_count(client, url):
    count, rows = every_row(client, url)
    assert count == len(rows) == expected_count(parameters(url))
    assert len({(row["iso3"], row["year"]) for row in rows}) == len(rows)


def test_the_shipped_figures_count_one_row_per_member_year(client):
    # 31 allies reporting (Iceland has no armed forces), 2014-2026 in the 2026 edition, which
    # holds every year the 2025 edition holds.
    count = client.get("/api/v1/figures/").json()["count"]
    assert count == len(newest_vintages()) == 31 * 13


@pytest.mark.parametrize("url", [u for u in QUERIES if "year" not in u] + ["?page_size=500"])
def test_a_cold_page_takes_three_queries_when_no_year_filters(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/figures/{url}")
    assert response.status_code == 200, response.content
    sql = [query["sql"] for query in queries]
    assert len(sql) == 3, sql
    # The page is read, not counted: no COUNT over the figures.
    assert not any("COUNT(" in statement.upper() for statement in sql), sql


def test_without_a_stored_summary_the_answer_is_the_same(client):
    before = {url: every_row(client, url) for url in QUERIES}
    FigureSummary.objects.all().delete()
    cache.clear()
    after = {url: every_row(client, url) for url in QUERIES}
    assert after == before


def test_a_write_stores_a_summary_that_counts_the_new_row(client):
    before = client.get("/api/v1/figures/?member=POL").json()["count"]
    newest = YearlyFigure.objects.filter(member__iso3="POL").order_by("-year").first()
    newest.pk, newest.year = None, newest.year + 1
    newest.save()
    record_write()
    cache.clear()

    assert client.get("/api/v1/figures/?member=POL").json()["count"] == before + 1
    assert len(results(client.get("/api/v1/figures/?member=POL&page_size=500"))) == before + 1
    assert FigureSummary.objects.count() == 1
