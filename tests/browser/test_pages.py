import pytest

from tests.conftest import save_screenshots

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("nato_data")]


@pytest.mark.parametrize(
    ("path", "name"),
    [("/", "overview"), ("/members/POL/", "member-POL"), ("/members/ISL/", "member-ISL")],
)
def test_pages_load_without_console_errors_or_failed_requests(live_server, page, path, name):
    response = page.goto(live_server.url + path)
    assert response.status == 200
    assert page.console_errors == []
    assert page.failed_requests == []
    save_screenshots(page, name)


def test_sorting_by_share_puts_the_highest_share_first(live_server, page):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Share of GDP").click()
    page.wait_for_url("**sort=share**")
    first = page.locator("#allies tbody tr").first
    assert first.get_attribute("data-iso3") == "LTU"
