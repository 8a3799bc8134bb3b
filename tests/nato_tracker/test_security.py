import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/", "/members/POL/", "/members/ISL/", "/admin/login/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_the_csrf_and_session_cookies_are_secure_with_debug_off(client, settings):
    assert settings.DEBUG is False
    response = client.get("/admin/login/")
    assert response.cookies["csrftoken"]["secure"] is True
    assert settings.SESSION_COOKIE_SECURE is True


def test_a_plain_http_request_is_redirected_to_https_when_ssl_redirect_is_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/members/POL/")
    assert response.status_code == 301
    assert response.headers["Location"] == "https://testserver/members/POL/"


def test_behind_the_proxy_a_forwarded_https_request_is_served_with_hsts(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/members/POL/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_health_checks_are_not_redirected_so_the_container_probe_works_over_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_a_body_larger_than_the_upload_limit_is_refused_with_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(
        "/admin/login/", data="x=" + "a" * 4096, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
