"""The methodology page: formulas, each target's text from the database, the sources; every
page links to it, the header reaches every section of the site, and the admin is the tracker's."""

import pytest

from spending.models import Target

pytestmark = pytest.mark.django_db


def test_it_gives_the_formulas_and_every_target_held(client):
    response = client.get("/methodology/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="formulas"' in body
    assert "100 × defence (USD, constant 2021) ÷ GDP (USD, constant 2021)" in body
    for target in Target.objects.all():
        assert f'id="target-{target.slug}"' in body
        assert target.name in body
    assert "def-exp-2026-en.xlsx" in body


def test_an_admins_edit_of_a_target_shows_on_the_page(client):
    Target.objects.filter(slug="core-3.5pct").update(description="Edited wording for readers.")
    assert "Edited wording for readers." in client.get("/methodology/").content.decode()


@pytest.mark.parametrize("path", ["/", "/members/POL/", "/compare/", "/scenarios/"])
def test_every_page_links_to_the_methodology_and_the_api(client, path):
    body = client.get(path).content.decode()
    assert 'href="/methodology/' in body
    assert 'href="/api/docs/"' in body
    assert "see the README" not in body


def test_the_admin_is_branded_as_the_tracker(admin_client):
    body = admin_client.get("/admin/").content.decode()
    assert "NATO Spending Tracker administration" in body
    assert "Django administration" not in body


def test_it_defines_the_fair_share_and_says_how_iceland_is_counted(client):
    html = client.get("/methodology/").content.decode()

    assert 'id="fair-share"' in html
    assert "/api/v1/fair-share/" in html
    assert "neither sum" in html
