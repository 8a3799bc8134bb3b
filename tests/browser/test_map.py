"""The map of the alliance in a browser: every ally visible, a link to its page reachable by
keyboard with its label, the year in the URL, and a legend that reads without colour."""

import pytest

from tests.conftest import save_screenshots

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("nato_data")]

SMALLEST_ALLIES = ["EST", "LVA", "LTU", "LUX", "MNE", "MKD", "ALB", "SVN", "BEL", "NLD"]


def test_every_ally_is_a_visible_link_to_its_page(live_server, page):
    page.goto(live_server.url + "/map/?year=2024")
    links = page.locator(".share-map a.map-link")
    assert links.count() == 32
    hrefs = sorted(links.evaluate_all("links => links.map(a => a.getAttribute('href'))"))
    assert len(set(hrefs)) == 32
    assert "/members/LTU/" in hrefs
    for iso3 in SMALLEST_ALLIES:
        link = page.locator(f'.share-map a.map-link[href="/members/{iso3}/"]')
        box = link.bounding_box()
        # Big enough to see and to hit with a pointer at 1280 px.
        assert box["width"] >= 8, iso3
        assert box["height"] >= 8, iso3
    label = page.locator('.share-map a[href="/members/EST/"]').get_attribute("aria-label")
    assert label.startswith("Estonia: ")
    assert "% of GDP in 2024" in label
    page.locator('.share-map a[href="/members/LTU/"]').click()
    page.wait_for_url("**/members/LTU/")
    save_screenshots(page, "map-click-lithuania")


def test_the_keyboard_reaches_every_ally_and_opens_its_page(live_server, page):
    page.goto(live_server.url + "/map/")
    page.get_by_role("button", name="Show").focus()
    reached = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        href = page.evaluate(
            "() => document.activeElement.closest('.share-map') && "
            "document.activeElement.getAttribute('href')"
        )
        if href:
            reached.add(href)
        if len(reached) == 32:
            break
    assert len(reached) == 32
    page.keyboard.press("Enter")
    page.wait_for_url("**/members/**")


def test_the_year_is_in_the_url_and_the_legend_reads_without_colour(live_server, page):
    page.goto(live_server.url + "/map/")
    page.get_by_label("Year").select_option("2019")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/map/?year=2019#map")
    assert "2019" in page.locator("h1").inner_text()
    legend = page.locator(".band-legend").inner_text()
    for words in ("under 2%", "not applicable"):
        assert words in legend
    # Under 2% is dotted, not applicable hatched: patterns, not colour alone.
    fills = page.evaluate(
        "() => [...document.querySelectorAll('.map-ally')].map(p => getComputedStyle(p).fill)"
    )
    assert any("dots" in fill for fill in fills)
    assert any("hatch" in fill for fill in fills)
    save_screenshots(page, "map")


def test_on_a_phone_even_the_smallest_allies_can_be_seen_and_tapped(live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/map/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for iso3 in SMALLEST_ALLIES:
        box = page.locator(f'.share-map a.map-link[href="/members/{iso3}/"]').bounding_box()
        assert box["width"] >= 6, iso3
        assert box["height"] >= 6, iso3
    context.close()
