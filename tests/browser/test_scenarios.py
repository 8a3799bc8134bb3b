"""The scenario explorer in real Chromium: the form round-trips its URL state, the charts draw."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.test_charts import save_chart_screenshots, wait_for_charts

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("nato_data")]


def test_the_scenario_form_round_trips_its_state_through_the_url(live_server, page):
    page.goto(live_server.url + "/members/DEU/scenario/")
    wait_for_charts(page, 2)

    page.select_option("#ramp", "linear")
    page.fill("#deadline", "2040")
    page.fill("#gdp_growth", "1.5")
    page.select_option("#target", "total-5pct")
    page.click("#scenario-form button[type=submit]")
    page.wait_for_url("**/members/DEU/scenario/?*")
    wait_for_charts(page, 2)

    query = parse_qs(urlsplit(page.url).query)
    assert query["ramp"] == ["linear"]
    assert query["deadline"] == ["2040"]
    assert query["gdp_growth"] == ["1.5"]
    assert query["target"] == ["total-5pct"]
    # Reloaded from its URL alone, the form shows the same choices and the answer follows them.
    page.goto(page.url)
    assert page.input_value("#ramp") == "linear"
    assert page.input_value("#deadline") == "2040"
    assert page.input_value("#gdp_growth") == "1.5"
    assert page.input_value("#target") == "total-5pct"
    assert page.input_value("#member") == "DEU"
    assert "Germany reaches 5% in 2040" in page.inner_text("#scenario-answer")
    wait_for_charts(page, 2)
    # Bars: one per year 2027-2040; lines: NATO actuals, estimates, the path.
    assert page.locator("#chart-scenario-extra .bars path").count() == 14
    assert page.locator("#chart-scenario-share .scatterlayer .trace").count() == 3
    assert page.console_errors == []
    assert page.failed_requests == []
    save_chart_screenshots(page, "scenario-member-DEU", 2)
    # At 375 px (the last screenshot) nothing widens the page past the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_choosing_an_ally_on_the_alliance_page_leads_to_its_scenario(live_server, page):
    page.goto(live_server.url + "/scenarios/")
    wait_for_charts(page, 2)
    # Alliance: stacked bars for the US and Europe + Canada, 2027-2035.
    assert page.locator("#chart-scenario-extra .bars path").count() == 18
    save_chart_screenshots(page, "scenario-alliance", 2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.select_option("#member", "POL")
    page.click("#scenario-form button[type=submit]")
    page.wait_for_url("**/members/POL/scenario/*")

    assert "Poland already meets 3.5%" in page.inner_text("#scenario-answer")
    assert page.console_errors == []


def test_the_alliance_form_round_trips_a_pace_through_the_url(live_server, page):
    page.goto(live_server.url + "/scenarios/")
    wait_for_charts(page, 2)

    page.fill("#deadline", "2040")
    page.fill("#gdp_growth", "1")
    page.fill("#defence_growth", "4")
    page.click("#scenario-form button[type=submit]")
    page.wait_for_url("**/scenarios/?*")
    wait_for_charts(page, 2)

    query = parse_qs(urlsplit(page.url).query)
    assert query["deadline"] == ["2040"]
    assert query["gdp_growth"] == ["1"]
    assert query["defence_growth"] == ["4"]
    page.goto(page.url)
    assert page.input_value("#deadline") == "2040"
    assert page.input_value("#gdp_growth") == "1"
    assert page.input_value("#defence_growth") == "4"
    assert "in every ally" in page.inner_text("#scenario-answer")
    wait_for_charts(page, 2)
    # Stacked bars of the US and Europe + Canada, 2027-2040.
    assert page.locator("#chart-scenario-extra .bars path").count() == 28
    assert page.locator("#scenario-allies tbody tr").count() == 31
    assert page.console_errors == []
    assert page.failed_requests == []
    save_chart_screenshots(page, "scenario-alliance-pace", 2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_form_works_with_javascript_off(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/members/DEU/scenario/")
    page.fill("#deadline", "2030")
    page.click("#scenario-form button[type=submit]")
    page.wait_for_url("**deadline=2030**")

    assert "Germany reaches 3.5% in 2030" in page.inner_text("#scenario-answer")
    # The path is readable as a table without the charts.
    assert page.locator("details table").first.is_visible()
    context.close()
