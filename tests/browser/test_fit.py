"""Every page fits a laptop without sideways scrolling; the overview reads on a phone."""

import pytest

from tests.conftest import save_screenshots

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("nato_data")]

PAGES = [
    "/",
    "/members/POL/",
    "/members/USA/",
    "/members/ISL/",
    "/compare/?member=POL,DEU,LTU",
    "/methodology/",
    "/map/?year=2024",
    "/tables/?measure=defence_usd_current_m",
    "/tables/?measure=defence_nc_current_m",
    "/tables/?measure=military_personnel_k&edition=nato-2025",
    "/tables/?measure=gdp_per_capita_const2021_kusd",
    "/downloads/",
    "/revisions/",
    "/scenarios/",
    "/members/POL/scenario/",
    "/members/XXX/",
    "/no-such-page/",
    "/embed/members/POL/share/",
    "/embed/charts/map/",
    "/embed/charts/heatmap/",
    "/embed/compare/?member=POL,DEU",
]

# Elements that scroll sideways: their content is wider than their box and they may scroll.
SCROLLERS = """() => [...document.querySelectorAll('*')].filter(el => {
  const overflow = getComputedStyle(el).overflowX;
  return (overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 1;
}).map(el => `${el.id || el.className || el.tagName}: ${el.scrollWidth} > ${el.clientWidth}`)"""


def wait_for_charts(page):
    page.wait_for_function(
        "[...document.querySelectorAll('.chart[data-figure]')]"
        ".every(chart => chart.classList.contains('drawn'))",
        timeout=15_000,
    )


def test_no_page_needs_sideways_scrolling_at_1280_pixels(live_server, page):
    for path in PAGES:
        page.goto(live_server.url + path)
        wait_for_charts(page)
        # Open every chart's data table too: they show by default without JavaScript.
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate(SCROLLERS) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280, path


# Pages without a wide table: at 375 px nothing at all scrolls sideways.
PHONE_PAGES = [
    "/downloads/",
    "/map/",
    "/methodology/",
    "/members/XXX/",
    "/embed/members/POL/share/",
]


def test_text_pages_fit_a_phone(live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    for path in PHONE_PAGES:
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    context.close()


def test_the_overview_shows_every_allys_share_and_four_targets_on_a_phone(live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    table = page.locator("#allies")
    assert page.evaluate("el => el.scrollWidth <= el.clientWidth", table.element_handle())
    rows = table.locator("tbody tr")
    assert rows.count() == 32
    for index in range(rows.count()):
        row = rows.nth(index)
        cells = row.locator("td.share, td.target")
        assert cells.count() == 5
        for cell in cells.all():
            box = cell.bounding_box()
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= 375
            assert cell.inner_text().strip()
    save_screenshots(page, "fit-overview")
    context.close()


def test_the_wide_tables_open_on_the_newest_year_under_a_sticky_first_column(live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/members/POL/")
    first_year = page.locator("#amounts-table tbody th").first.inner_text()
    assert first_year.startswith("2026")
    page.goto(live_server.url + "/")
    heatmap_years = page.locator("#chart-heatmap thead th").all_inner_texts()
    assert heatmap_years[1].startswith("2026")
    position = page.locator("#chart-heatmap tbody th").first.evaluate(
        "el => getComputedStyle(el).position"
    )
    assert position == "sticky"
    context.close()


def test_sorting_and_changing_the_year_land_back_on_the_table_and_the_charts(live_server, page):
    page.goto(live_server.url + "/?year=2020")
    page.locator("#allies thead").get_by_role("link", name="Share of GDP").click()
    page.wait_for_url("**sort=share**")
    assert page.url.endswith("#all-allies")
    assert "year=2020" in page.url
    assert page.evaluate("window.scrollY") > 1000
    page.get_by_label("Year of the ranking, map and fair share").select_option("2019")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**year=2019**")
    assert page.url.endswith("#charts")


# Placeholders and select choices wider than their control: cut off where a reader sees them.
CUT_CONTROLS = """() => {
  const context = document.createElement('canvas').getContext('2d');
  const cut = [];
  for (const el of document.querySelectorAll('input[placeholder], select')) {
    if (!el.offsetParent) continue;
    const style = getComputedStyle(el);
    context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const isSelect = el.tagName === 'SELECT';
    const texts = isSelect ? [...el.options].map(option => option.text) : [el.placeholder];
    const arrow = isSelect ? 20 : 0;
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    for (const text of texts) {
      if (context.measureText(text).width > room - arrow) cut.push(`${el.id}: ${text}`);
    }
  }
  return cut;
}"""
FORM_PAGES = ["/scenarios/", "/members/POL/scenario/", "/members/POL/", "/", "/map/", "/tables/"]


@pytest.mark.parametrize("width", [375, 1280])
def test_no_form_control_cuts_off_its_placeholder_or_choices(live_server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for path in FORM_PAGES:
        page.goto(live_server.url + path)
        assert page.evaluate(CUT_CONTROLS) == [], (width, path)
    context.close()


# At 375 px the page itself never scrolls sideways; only a table wider than the screen scrolls,
# in its own box, under a sticky first column.
WIDE_BOXES = """() => [...document.querySelectorAll('*')].filter(el => {
  const overflow = getComputedStyle(el).overflowX;
  return (overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 1;
}).map(el => {
  const first = el.querySelector('tbody tr > :first-child');
  return {
    box: el.className,
    table: el.matches('.table-wrap') && !!el.querySelector('table'),
    sticky: !!first && getComputedStyle(first).position === 'sticky',
    // A caption as wide as its table would be cut by the box: it must stay inside it.
    captionInside: [...el.querySelectorAll('caption')].every(caption =>
      caption.getBoundingClientRect().right <= el.getBoundingClientRect().right + 1),
  };
})"""
PHONE_TABLE_PAGES = [
    "/",
    "/members/POL/",
    "/compare/?member=POL,DEU,LTU",
    "/tables/",
    "/map/",
    "/revisions/",
    "/scenarios/",
]


def test_wide_tables_scroll_in_their_own_box_on_a_phone(live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    for path in PHONE_TABLE_PAGES:
        page.goto(live_server.url + path)
        wait_for_charts(page)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        for box in page.evaluate(WIDE_BOXES):
            assert box["table"], (path, box)
            assert box["sticky"], (path, box)
            assert box["captionInside"], (path, box)
    context.close()


def test_the_map_key_fills_the_column_under_the_inset(live_server, page):
    page.goto(live_server.url + "/map/")
    europe = page.locator(".map-europe").bounding_box()
    inset = page.locator(".map-north-america").bounding_box()
    key = page.locator(".map-key").bounding_box()
    # Beside Europe, under the inset: less than a third of Europe's height is left empty.
    assert abs(key["x"] - inset["x"]) < 1
    assert key["y"] >= inset["y"] + inset["height"]
    empty = europe["y"] + europe["height"] - (key["y"] + key["height"])
    assert empty < europe["height"] / 3
