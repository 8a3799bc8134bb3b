"""The overview table's effort columns put allies already meeting 3.5% first (ascending)."""

import re

import pytest

from spending.models import YearlyFigure

pytestmark = pytest.mark.django_db


def order(client, query):
    html = client.get(f"/?{query}").content.decode()
    return re.findall(r'<tr data-iso3="([A-Z]{3})"', html)


def met_35(iso3_list):
    """Allies whose newest 2026-edition share, rounded half-up, is at least 3.5% (by hand)."""
    met = set()
    for iso3 in iso3_list:
        row = (
            YearlyFigure.objects.filter(edition__slug="nato-2026", member__iso3=iso3)
            .exclude(defence_usd_const2021_m=None)
            .order_by("-year")
            .first()
        )
        if (
            row
            and round(100 * row.defence_usd_const2021_m / row.gdp_usd_const2021_m + 1e-9, 2) >= 3.5
        ):
            met.add(iso3)
    return met


@pytest.mark.parametrize("key", ["growth", "projected", "gap"])
def test_sorting_by_effort_puts_allies_already_at_the_target_first(client, key):
    rows = order(client, f"sort={key}&dir=asc")
    met = met_35(rows)

    assert {"EST", "LTU", "POL"} <= met
    assert set(rows[: len(met)]) == met
    descending = order(client, f"sort={key}&dir=desc")
    assert set(descending[: len(met)]).isdisjoint(met)


def test_a_met_ally_shows_no_requirement_in_the_table(client):
    html = client.get("/").content.decode()
    estonia = html[html.index('data-iso3="EST"') :].split("</tr>")[0]

    assert "already met" in estonia
    assert "-4.46" not in estonia
