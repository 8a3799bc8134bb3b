import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spending.models import DataVersion, Target
from spending.writes import record_write

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


def test_a_cached_page_keeps_its_security_headers_and_gets_a_fresh_request_id(client):
    first = client.get("/")
    second = client.get("/")
    for header in ("Content-Security-Policy", "X-Frame-Options", "Referrer-Policy", "ETag"):
        assert second.headers[header] == first.headers[header], header
    assert second.headers["X-Request-ID"] != first.headers["X-Request-ID"]


def test_a_page_that_varies_on_the_cookie_is_not_stored(rf):
    from django.http import HttpResponse

    from nato_tracker.pagecache import can_store

    response = HttpResponse("<form>token</form>", headers={"Vary": "Cookie"})
    assert can_store(response) is False
    assert can_store(HttpResponse("<p>public</p>")) is True


def test_a_page_that_sets_a_cookie_is_not_stored_so_no_other_visitor_gets_it(rf):
    from django.http import HttpResponse

    from nato_tracker.pagecache import PageCacheMiddleware

    built = []

    def page_setting_a_cookie(request):
        built.append(request.path)
        response = HttpResponse("<p>for one visitor</p>")
        response.set_cookie("visitor", f"v{len(built)}")
        return response

    middleware = PageCacheMiddleware(page_setting_a_cookie)
    first = middleware(rf.get("/members/POL/"))
    second = middleware(rf.get("/members/POL/"))

    # Each request builds its own page: the first visitor's cookie never reaches the second.
    assert built == ["/members/POL/", "/members/POL/"]
    assert first.cookies["visitor"].value == "v1"
    assert second.cookies["visitor"].value == "v2"


def test_a_plain_http_request_is_redirected_before_a_cached_page_is_served(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/", headers={"X-Forwarded-Proto": "https"}).status_code == 200
    assert client.get("/").status_code == 301


def test_a_write_that_bumps_the_data_version_shows_at_once(client):
    before = client.get("/members/POL/").content.decode()
    target = Target.objects.get(slug="guideline-2pct")
    target.name = "Renamed floor for this test"
    target.save()
    record_write()
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


def test_the_page_cache_reads_the_same_version_as_the_model():
    from nato_tracker.answercache import data_stamp

    before = data_stamp()[0]
    assert before == DataVersion.current()[0]
    record_write()
    assert data_stamp()[0] == before + 1 == DataVersion.current()[0]


@pytest.mark.parametrize("path", ["/", "/members/POL/", "/tables/", "/no-such-page/"])
def test_every_page_tells_browsers_to_ask_before_reusing_it(client, path):
    # Without it a browser keeps a page for a tenth of its age by its own guess (RFC 9111
    # 4.2.2) and a returning visitor misses a new import.
    for response in (client.get(path), client.get(path)):
        assert "no-cache" in response.headers["Cache-Control"], path
        assert "max-age" not in response.headers["Cache-Control"], path
    if response.status_code == 200:
        assert "public" in response.headers["Cache-Control"]
        revalidation = client.get(path, HTTP_IF_NONE_MATCH=response.headers["ETag"])
        assert revalidation.status_code == 304
        assert "no-cache" in revalidation.headers["Cache-Control"]


def test_a_logged_in_visitors_page_is_private(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/members/POL/")
    assert response.status_code == 200
    assert "private" in response.headers["Cache-Control"]
    assert "no-cache" in response.headers["Cache-Control"]
