"""An edition without figures yet (created before its import) never makes a 500."""

from datetime import date

import pytest

from spending.models import Edition
from spending.writes import record_write

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_edition():
    Edition.objects.create(
        slug="nato-2027",
        title="Defence Expenditure of NATO Countries (2014-2027)",
        publisher="NATO",
        cutoff_on=date(2027, 7, 1),
        price_base_year=2021,
    )
    record_write()


@pytest.mark.parametrize(
    ("url", "count"),
    [
        ("/api/v1/figures/?edition=nato-2027", 0),
        ("/api/v1/alliance/", 0),
        ("/api/v1/progress/", 32),
        ("/api/v1/members/", 32),
        ("/api/v1/editions/", 3),
        ("/api/v1/figures/?member=POL", 13),
    ],
)
def test_an_empty_newest_edition_answers_empty_rows_not_errors(client, empty_edition, url, count):
    response = client.get(url)

    assert response.status_code == 200, response.content
    assert response.json()["count"] == count


def test_progress_of_an_empty_edition_gives_no_verdicts(client, empty_edition):
    rows = {row["iso3"]: row for row in client.get("/api/v1/progress/").json()["results"]}

    assert rows["POL"]["edition"] == "nato-2027"
    assert rows["POL"]["share_of_gdp_pct"] is None
    assert all(target["met"] is None for target in rows["POL"]["targets"].values())


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/figures/?edition=nato-2027&year=2020",
        "/api/v1/figures/?edition=nato-2027&year_min=2020",
        "/api/v1/progress/?year=2020",
        "/api/v1/alliance/?year=2020",
    ],
)
def test_a_year_in_an_empty_edition_is_a_bad_parameter(client, empty_edition, url):
    response = client.get(url)

    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"].startswith("year")
