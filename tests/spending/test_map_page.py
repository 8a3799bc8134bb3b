"""/map/?year=: every ally a link to its page with its share as label, the year from the URL."""

import re

import pytest

from members.models import Member

pytestmark = pytest.mark.django_db


def test_every_ally_links_to_its_page_with_its_label(client):
    body = client.get("/map/?year=2024").content.decode()
    links = re.findall(
        r'<a class="map-link" href="/members/([A-Z]{3})/" aria-label="([^"]*)"', body
    )
    assert sorted(iso3 for iso3, _ in links) == sorted(
        Member.objects.values_list("iso3", flat=True)
    )
    labels = dict(links)
    assert labels["ISL"] == "Iceland: not applicable (no armed forces)"
    assert labels["EST"].startswith("Estonia: ")
    assert labels["EST"].endswith("% of GDP in 2024")


def test_the_year_comes_from_the_url(client):
    body = client.get("/map/?year=2019").content.decode()
    assert "share of GDP in 2019" in body
    # Finland and Sweden joined after 2019: no figures that year.
    labels = dict(re.findall(r'href="/members/([A-Z]{3})/" aria-label="([^"]*)"', body))
    assert labels["FIN"] == "Finland: no figures for 2019"
    assert 'src="http://testserver/embed/charts/map/?year=2019"' in body


def test_a_bad_year_is_a_400_naming_it(client):
    response = client.get("/map/?year=1900")
    assert response.status_code == 400
    assert "year: &#x27;1900&#x27; is not a year with figures" in response.content.decode()
