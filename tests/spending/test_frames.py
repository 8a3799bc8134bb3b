"""spending/frames.py: QuerySets into frames, in the orders the models define."""

from datetime import date

import pytest

from members.models import Member
from spending import frames
from spending.models import Edition, YearlyFigure

pytestmark = pytest.mark.django_db


def test_an_allys_editions_come_newest_first_as_the_editions_order_them():
    newest = Edition.objects.newest()
    # Same cut-off as the newest, published later: newer by the one ordering.
    reprint = Edition.objects.create(
        slug="reprint",
        title="Reprint",
        publisher="NATO",
        cutoff_on=newest.cutoff_on,
        published_on=date(2099, 1, 1),
        price_base_year=2021,
    )
    YearlyFigure.objects.create(
        member=Member.objects.get(iso3="POL"), edition=reprint, year=2024, status="actual"
    )
    held = Edition.objects.filter(figures__member__iso3="POL").distinct()

    _, editions = frames.build_figures_and_member_editions(newest, "POL")

    assert [e["slug"] for e in editions] == list(held.newest_first().values_list("slug", flat=True))
    assert editions[0]["slug"] == "reprint"
