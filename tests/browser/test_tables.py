"""NATO's tables in a browser: the table and its downloads, at 1280 and 375 px."""

import pytest

from tests.conftest import save_screenshots

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("nato_data")]


def test_choosing_a_table_lands_on_it_and_keeps_the_choice_in_the_url(live_server, page):
    page.goto(live_server.url + "/tables/")
    page.get_by_label("Table", exact=True).select_option("defence_nc_current_m")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**measure=defence_nc_current_m**#table")
    # 31 allies; NATO prints no aggregate in national currencies.
    assert page.locator(".nato-table tbody tr").count() == 31
    first = page.locator(".nato-table tbody th").first
    assert first.evaluate("el => getComputedStyle(el).position") == "sticky"
    save_screenshots(page, "tables")
    page.goto(live_server.url + "/downloads/")
    save_screenshots(page, "downloads")
