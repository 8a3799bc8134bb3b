"""In a browser: an embed draws inside another site's iframe, and the pages refuse to be framed."""

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.conftest import save_screenshots

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("nato_data")]


@pytest.fixture
def other_site():
    """A second local server, another origin than the live server's (127.0.0.1 against
    localhost, another port): it answers any path with a news story framing ?src=."""

    class Article(BaseHTTPRequestHandler):
        def do_GET(self):
            src = parse_qs(urlsplit(self.path).query).get("src", [""])[0]
            body = (
                "<!DOCTYPE html><html><body><h1>A news story</h1>"
                f'<iframe id="chart" src="{html.escape(src)}" width="100%" height="600">'
                "</iframe></body></html>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Article)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/article.html"
    server.shutdown()
    server.server_close()


def serve_article(page, other_site, frame_url):
    """The other site's story framing a URL."""
    page.goto(other_site + "?" + urlencode({"src": frame_url}))


def test_an_embed_draws_in_another_sites_frame(live_server, page, other_site):
    serve_article(page, other_site, live_server.url + "/embed/members/POL/share/")
    frame = page.frame_locator("#chart")
    frame.locator(".chart.drawn").wait_for(timeout=15_000)
    # The drawn figure carries its title and source line (the caption's copy is for no-script).
    drawn = frame.locator(".chart.drawn").text_content()
    assert "Poland: defence spending as a share of GDP" in drawn
    assert "Source: NATO" in drawn
    back = frame.get_by_role("link", name="see this chart with its context")
    assert back.get_attribute("href") == live_server.url + "/members/POL/#chart-share"
    assert page.console_errors == []


@pytest.mark.parametrize("path", ["/", "/members/POL/"])
def test_the_pages_refuse_another_sites_frame(live_server, page, other_site, path):
    serve_article(page, other_site, live_server.url + path)
    page.wait_for_timeout(1_500)
    framed = page.frame_locator("#chart")
    assert framed.locator(".site-header").count() == 0
    assert any("frame-ancestors" in str(message.text) for message in page.console_errors)


def test_the_embed_and_its_snippet_fit_a_laptop_and_a_phone(live_server, page):
    page.goto(live_server.url + "/embed/compare/?member=POL,DEU,LTU&metric=share_of_gdp_pct")
    page.locator(".chart.drawn").wait_for(timeout=15_000)
    save_screenshots(page, "embed-compare")
    page.goto(live_server.url + "/members/POL/")
    page.locator("summary", has_text="Embed this chart").first.click()
    page.locator(".embed-code textarea").first.scroll_into_view_if_needed()
    page.screenshot(path="test-output/screenshots/embed-snippet-1280.png")
