"""In a browser: error pages carry the site header in production and with DEBUG on, and with
scripts off every chart's data table is open in place of the chart."""

import pytest

from tests.conftest import save_screenshots

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("nato_data")]


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_a_404_has_the_site_header_and_its_reason(live_server, page, settings, debug):
    settings.DEBUG = debug
    response = page.goto(live_server.url + "/members/XXX/")
    assert response.status == 404
    nav = page.get_by_role("navigation", name="Main")
    for name in ("All allies", "Compare allies", "Methodology", "API"):
        assert nav.get_by_role("link", name=name, exact=True).is_visible()
    assert page.get_by_text("No NATO member has the ISO3 code 'XXX'.").is_visible()
    assert "Traceback" not in page.content()
    page.goto(live_server.url + "/nowhere/")
    assert page.get_by_text("There is no page at /nowhere/.").is_visible()
    if debug:
        save_screenshots(page, "error-404")


def test_the_methodology_page_is_linked_from_the_header(live_server, page):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Methodology").click()
    page.wait_for_url("**/methodology/")
    assert page.get_by_role("heading", name="Formulas").is_visible()
    save_screenshots(page, "methodology")


def test_without_scripts_each_charts_data_table_is_open(live_server, browser):
    viewport = {"width": 1280, "height": 900}
    context = browser.new_context(java_script_enabled=False, viewport=viewport)
    page = context.new_page()
    page.goto(live_server.url + "/members/POL/")
    tables = page.locator("figure:has(.chart[data-figure]) details.chart-data")
    assert tables.count() >= 3
    for index in range(tables.count()):
        assert tables.nth(index).get_attribute("open") is not None
        assert tables.nth(index).locator("table").is_visible()
    assert page.locator(".chart[data-figure]").first.is_hidden()
    context.close()


def test_with_scripts_the_drawn_charts_close_their_tables(live_server, page):
    page.goto(live_server.url + "/members/POL/")
    page.wait_for_function(
        "[...document.querySelectorAll('.chart[data-figure]')]"
        ".every(chart => chart.classList.contains('drawn'))"
    )
    assert page.locator("figure:has(.chart.drawn) details.chart-data[open]").count() == 0
