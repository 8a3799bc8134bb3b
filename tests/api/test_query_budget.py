"""Every endpoint answers in at most four queries (three for the stored progress and alliance
answers and for the figures, counted from their stored summary; five for a refused edition),
data-version read included, on a cold cache, whatever the number of members, years, editions
and targets. Proved on a database with ten times the editions and over ten times the figure
rows of the shipped one (synthetic rows made here, rolled back after the test)."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from members.models import Member
from spending.models import METRIC_FIELDS, Edition, Target, YearlyFigure
from spending.writes import record_write

pytestmark = pytest.mark.django_db

EXTRA_EDITIONS = 9
EXTRA_MEMBERS = 32
EXTRA_TARGETS = 12
YEARS = range(2010, 2027)
ENDPOINTS = [
    "/api/v1/members/",
    "/api/v1/members/XAA/",
    "/api/v1/members/POL/history/?metric=gdp_usd_const2021_m",
    "/api/v1/editions/",
    "/api/v1/targets/",
    "/api/v1/figures/",
    "/api/v1/figures/?member=POL,XAB&year_min=2010&status=actual",
    "/api/v1/figures/?edition=synthetic-3&format=csv",
    "/api/v1/progress/",
    "/api/v1/progress/?year=2015&edition=synthetic-1&member=XAC",
    "/api/v1/alliance/",
    "/api/v1/alliance/?year=2020&format=csv",
    "/api/v1/fair-share/",
    "/api/v1/fair-share/?year=2020&edition=synthetic-2&format=csv",
    "/api/v1/revisions/",
    "/api/v1/revisions/?member=POL,XAB&format=csv",
    "/api/v1/figures/?member=NOPE",
    "/api/v1/progress/?edition=nope",
]


@pytest.fixture(scope="module")
def ten_times_the_data(django_db_setup, django_db_blocker):
    """Made once for the module (each write stores every answer: seconds at this size) in a
    transaction rolled back after it; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield make_ten_times_the_data()
        transaction.set_rollback(True)


def make_ten_times_the_data():
    Member.objects.bulk_create(
        [
            Member(
                iso2=f"X{chr(65 + i)}" if i < 26 else f"Q{chr(77 + i - 26)}",
                iso3=f"XA{chr(65 + i)}" if i < 26 else f"XB{chr(65 + i - 26)}",
                name=f"Synthetic ally {i}",
                accession_date=date(1990 + i % 20, 1, 1),
            )
            for i in range(EXTRA_MEMBERS)
        ]
    )
    everyone = list(Member.objects.filter(reports_figures=True))
    editions = Edition.objects.bulk_create(
        [
            Edition(
                slug=f"synthetic-{i}",
                title=f"Synthetic edition {i}",
                publisher="test",
                cutoff_on=date(2016 + i, 1, 1),
                price_base_year=2021,
            )
            for i in range(EXTRA_EDITIONS)
        ]
    )
    figures = []
    for n, edition in enumerate(editions):
        for m, member in enumerate(everyone):
            for year in YEARS:
                values = dict.fromkeys(METRIC_FIELDS, None)
                values.update(
                    defence_usd_const2021_m=100.0 + n + m + year % 7,
                    gdp_usd_const2021_m=5000.0 + 10 * (year - 2010),
                    defence_usd_current_m=110.0 + m,
                    gdp_usd_current_m=5200.0 + 10 * (year - 2010),
                    equipment_share_pct=15.0 + year % 10,
                    nato_real_change_pct=-1.5,
                )
                figures.append(
                    YearlyFigure(
                        member=member,
                        edition=edition,
                        year=year,
                        status="estimate" if year > 2024 else "actual",
                        **values,
                    )
                )
    YearlyFigure.objects.bulk_create(figures, batch_size=2000)
    Target.objects.bulk_create(
        [
            Target(
                slug=f"synthetic-{i}",
                name=f"Synthetic target {i}",
                threshold_pct=1.0 + i / 10,
                basis="gdp",
                measure="core_share_of_gdp_pct",
                kind="floor",
                adopted="test",
                adopted_year=2020,
                deadline_year=2030 + i,
                description="synthetic",
                display_order=10 + i,
            )
            for i in range(EXTRA_TARGETS)
        ]
    )
    record_write()
    return len(figures) + 403


def test_the_synthetic_database_has_ten_times_the_editions_and_figures(ten_times_the_data):
    assert Edition.objects.count() == 2 + EXTRA_EDITIONS  # the shipped 2026 and 2025 editions
    assert Target.objects.count() == 4 + EXTRA_TARGETS
    assert Member.objects.count() == 32 + EXTRA_MEMBERS
    assert ten_times_the_data >= 10 * 403


def test_every_endpoint_takes_at_most_five_queries_on_a_cold_cache(client, ten_times_the_data):
    counts = {}
    for url in ENDPOINTS:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code in (200, 400), (url, response.content[:300])
        counts[url] = len(queries)

    # A refused edition finds no stored rows, then reads what its 400 names (and the series
    # breaks, as the maths would).
    assert counts.pop("/api/v1/progress/?edition=nope") <= 5, counts
    # Progress and alliance answers are stored for every edition and year (spending/answers.py):
    # the data version, the members held, the page.
    # Figures: the data version, the stored summary (editions, members, rows to count), the page.
    stored = [
        url
        for url in counts
        if url.startswith(("/api/v1/progress/", "/api/v1/alliance/", "/api/v1/figures/"))
    ]
    assert len(stored) == 8
    assert max(counts[url] for url in stored) <= 3, counts
    assert max(counts.values()) <= 4, counts


def test_a_warm_answer_takes_one_query(client, ten_times_the_data):
    for url in ("/api/v1/figures/", "/api/v1/alliance/"):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert len(queries) == 1, url
