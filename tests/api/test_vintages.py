"""Editions are vintages: figures/ picks the newest holding a member-year, history/ shows
revisions, progress/ and alliance/ read one edition whole."""

from datetime import date

import pytest

from members.models import Member
from spending.models import AggregateFigure, Edition, YearlyFigure
from spending.writes import record_write
from tests.api.conftest import results

pytestmark = pytest.mark.django_db


@pytest.fixture
def older_edition():
    """A 2025 edition that holds Poland 2013-2024 with 2024 as an estimate, revised since.

    Hand-made amounts in place of the shipped 2025 edition (shares only), for revisions of
    amounts; the test's transaction brings the shipped one back.
    """
    YearlyFigure.objects.filter(edition__slug="nato-2025").delete()
    AggregateFigure.objects.filter(edition__slug="nato-2025").delete()
    Edition.objects.filter(slug="nato-2025").delete()
    edition = Edition.objects.create(
        slug="nato-2025",
        title="Defence Expenditure of NATO Countries (2014-2025)",
        publisher="NATO",
        cutoff_on=date(2025, 6, 1),
        price_base_year=2021,
    )
    poland = Member.objects.get(iso3="POL")
    YearlyFigure.objects.bulk_create(
        [
            YearlyFigure(
                member=poland,
                edition=edition,
                year=2013,
                status="actual",
                defence_usd_const2021_m=9000.0,
                gdp_usd_const2021_m=600000.0,
            ),
            YearlyFigure(
                member=poland,
                edition=edition,
                year=2024,
                status="estimate",
                defence_usd_const2021_m=27000.0,
                gdp_usd_const2021_m=750000.0,
            ),
        ]
    )
    record_write()
    return edition


def test_history_shows_a_revision_between_two_editions(client, older_edition):
    rows = results(client.get("/api/v1/members/POL/history/?metric=defence_usd_const2021_m"))

    in_2024 = [row for row in rows if row["year"] == 2024]
    assert [(row["edition"], row["status"], row["value"]) for row in in_2024] == [
        ("nato-2025", "estimate", 27000.0),
        ("nato-2026", "actual", 28155.0),
    ]
    assert in_2024[1]["previous_edition"] == "nato-2025"
    assert in_2024[1]["revision"] == pytest.approx(1155.0)
    assert [row["year"] for row in rows][:1] == [2013]


def test_figures_default_to_the_newest_edition_holding_each_member_year(client, older_edition):
    rows = results(client.get("/api/v1/figures/?member=POL&year_max=2024"))

    assert [(row["year"], row["edition"]) for row in rows[:2]] == [
        (2013, "nato-2025"),
        (2014, "nato-2026"),
    ]
    assert rows[-1]["edition"] == "nato-2026"
    assert rows[-1]["defence_usd_const2021_m"] == 28155.0


def test_figures_of_one_edition_only(client, older_edition):
    rows = results(client.get("/api/v1/figures/?edition=nato-2025"))

    assert [(row["iso3"], row["year"], row["status"]) for row in rows] == [
        ("POL", 2013, "actual"),
        ("POL", 2024, "estimate"),
    ]
    assert rows[1]["share_of_gdp_pct"] == pytest.approx(3.6)


def test_progress_and_alliance_read_one_edition_never_a_splice(client, older_edition):
    newest = {row["iso3"]: row for row in results(client.get("/api/v1/progress/"))}
    older = results(client.get("/api/v1/progress/?edition=nato-2025&member=POL"))
    alliance = results(client.get("/api/v1/alliance/?edition=nato-2025"))

    assert newest["POL"]["edition"] == "nato-2026"
    assert newest["POL"]["year"] == 2026
    assert (older[0]["edition"], older[0]["year"]) == ("nato-2025", 2024)
    assert older[0]["share_of_gdp_pct"] == pytest.approx(3.6)
    assert [(row["year"], row["allies_with_data"]) for row in alliance] == [(2013, 1), (2024, 1)]


def test_editions_list_both_newest_first(client, older_edition):
    rows = results(client.get("/api/v1/editions/"))

    assert [(row["slug"], row["is_newest"], row["figure_count"]) for row in rows] == [
        ("nato-2026", True, 403),
        ("nato-2025", False, 2),
    ]
