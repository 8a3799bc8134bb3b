import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spending.models import DataVersion, Target

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


def test_a_page_is_built_once_then_served_from_the_cache_with_one_query(
    client, django_assert_num_queries
):
    first = client.get("/members/POL/")
    with django_assert_num_queries(1):
        second = client.get("/members/POL/")
    assert second.status_code == 200
    assert second.content == first.content
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


def test_a_write_that_bumps_the_data_version_shows_at_once(client):
    before = client.get("/members/POL/").content.decode()
    target = Target.objects.get(slug="guideline-2pct")
    target.name = "Renamed floor for this test"
    target.save()
    DataVersion.bump()
    after = client.get("/members/POL/").content.decode()
    assert "Renamed floor for this test" not in before
    assert "Renamed floor for this test" in after


def test_pages_answer_304_to_a_matching_if_none_match(client):
    etag = client.get("/").headers["ETag"]
    response = client.get("/", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


@pytest.mark.parametrize("path", ["/admin/login/", "/healthz", "/readyz"])
def test_admin_and_probes_are_never_cached(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    # No data-version lookup: the page cache stayed out of the way.
    assert not any("spending_dataversion" in query["sql"] for query in queries)


def test_a_logged_in_visitor_is_never_served_a_cached_page(client, admin_user):
    client.get("/members/POL/")
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/members/POL/")
    assert response.status_code == 200
    # The page was built again (session, user and the page's own queries), not read from cache.
    assert len(queries) > 3
