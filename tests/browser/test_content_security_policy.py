"""Every page works under the Content-Security-Policy: no violation, no blocked script or style.

The pages are found by following the overview's links, one page per URL pattern, so a page or
script added later is covered without editing this test.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.conftest import save_screenshots

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("nato_data")]

# Chromium reports violations on the console; this catches the ones it only raises as events.
REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""
EXTRA_PAGES = ["/admin/login/"]


def discover_pages(page, base_url):
    """The overview, one linked page per URL pattern (same site, not the admin) and the extras."""
    page.goto(base_url + "/")
    # getAttribute, not .href: an SVG link's href is an object (the map's allies are links).
    hrefs = page.eval_on_selector_all(
        "a[href]",
        "links => links.map(a => new URL(a.getAttribute('href'), document.baseURI).href)",
    )
    pages, patterns = ["/"], {resolve("/").route}
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc != urlsplit(base_url).netloc or parts.path.startswith("/admin/"):
            continue
        if parts.path.endswith((".csv", ".atom")) or "format=csv" in parts.query:
            continue  # downloads and feeds, not pages
        try:
            route = resolve(parts.path).route
        except Resolver404:
            continue
        if route not in patterns:
            patterns.add(route)
            pages.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages + EXTRA_PAGES


def test_every_page_loads_under_the_policy_without_violations(live_server, page):
    page.context.add_init_script(REPORT_VIOLATIONS)
    paths = discover_pages(page, live_server.url)
    assert any(path.startswith("/members/") for path in paths)
    # Discovery's own noise (the browser's favicon probe) is not part of the verdict.
    page.console_errors.clear()
    page.failed_requests.clear()
    for path in paths:
        response = page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert response.status in (200, 304), path
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy, path
        assert page.console_errors == [], (path, [str(e) for e in page.console_errors])
        assert page.failed_requests == [], (path, page.failed_requests)
    save_screenshots(page, "csp-admin-login")


def test_an_inline_script_is_blocked_by_the_policy(live_server, page):
    page.goto(live_server.url + "/")
    page.evaluate(
        """() => {
          const script = document.createElement('script');
          script.textContent = 'window.injected = true';
          document.body.appendChild(script);
        }"""
    )
    assert page.evaluate("() => window.injected === undefined")
    assert any(
        "Content Security Policy" in str(error) or "CSP" in str(error)
        for error in page.console_errors
    )
