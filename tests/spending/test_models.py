import pytest
from django.db import IntegrityError, transaction

from members.models import Member
from spending.models import Edition, YearlyFigure

pytestmark = pytest.mark.django_db


def make_figure(**values):
    edition = values.pop("edition", None) or Edition.objects.create(
        slug="test", title="Test", publisher="T", price_base_year=2021
    )
    return YearlyFigure.objects.create(
        member=Member.objects.get(iso3="POL"),
        edition=edition,
        year=values.pop("year", 2030),
        status="estimate",
        **values,
    )


def test_a_member_year_can_appear_once_per_edition():
    edition = Edition.objects.get(slug="nato-2026")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_figure(edition=edition, year=2024)


def test_the_same_member_year_may_appear_in_another_edition():
    figure = make_figure(year=2024, nato_share_of_gdp_pct=4.1)
    # The shipped 2026 and 2025 editions' and this one's.
    assert YearlyFigure.objects.filter(member=figure.member, year=2024).count() == 3


@pytest.mark.parametrize(
    "values",
    [
        {"defence_usd_current_m": -1},
        {"gdp_usd_const2021_m": -0.5},
        {"military_personnel_k": -3},
        {"related_usd_current_m": -10},
        {"nato_share_of_gdp_pct": 100.5},
        {"equipment_share_pct": -0.1},
        {"other_share_pct": 101},
    ],
)
def test_the_database_refuses_negative_amounts_and_shares_outside_0_100(values):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_figure(**values)


def test_a_negative_real_change_is_allowed():
    figure = make_figure(nato_real_change_pct=-4.38)
    assert figure.nato_real_change_pct == -4.38
