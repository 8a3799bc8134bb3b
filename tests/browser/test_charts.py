"""Charts drawn in real Chromium from the app's own static files."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from members.models import Member
from spending.models import Edition, YearlyFigure
from spending.writes import record_write
from tests.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("nato_data")]

HOSTILE = "<img src=x onerror=alert(1)>"


def svg_texts(page, selector):
    return page.locator(selector).evaluate_all("nodes => nodes.map(node => node.textContent)")


def save_chart_screenshots(page, name, charts):
    """Full-page screenshots at 1280 and 375 px, each loaded at its width as a phone would."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        wait_for_charts(page, charts)
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)


def wait_for_charts(page, count):
    page.wait_for_function(
        f"document.querySelectorAll('.chart.drawn').length >= {count}", timeout=15_000
    )


@pytest.mark.parametrize(
    ("path", "name", "charts", "bars", "lines"),
    [
        # 31 ranked bars; allies meeting (4 series + denominator); US vs Europe (4 series);
        # fair share (equal-shares line, allies above it, below it, Europe and Canada).
        ("/", "charts-overview", 4, 31, 13),
        # 13 years x 4 categories; share (2, paths to 3.5% and 5%, trend), USD (4), equipment (2),
        # and the share in each of the two shipped editions (2).
        ("/members/DEU/", "charts-member-DEU", 5, 52, 13),
        ("/compare/?member=POL,DEU,FRA&metric=share_of_gdp_pct", "charts-compare", 1, 0, 6),
    ],
)
def test_charts_draw_without_console_errors_or_failed_requests(
    live_server, page, path, name, charts, bars, lines
):
    response = page.goto(live_server.url + path)
    assert response.status == 200
    wait_for_charts(page, charts)
    assert page.locator(".chart .main-svg").count() >= charts
    assert page.locator(".chart .bars path").count() == bars
    assert page.locator(".chart .scatterlayer .trace").count() == lines
    assert page.console_errors == []
    assert page.failed_requests == []
    save_chart_screenshots(page, name, charts)


def test_the_overview_map_and_heatmap_are_drawn_without_script(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert page.locator(".share-map .map-ally").count() == 32
    assert page.locator("#chart-heatmap tbody tr").count() == 32
    # The data behind each chart is readable as a table with JavaScript off: open already.
    ranked_table = page.locator("figure").first.locator("details table")
    assert ranked_table.is_visible()
    assert ranked_table.locator("tbody tr").count() == 31
    context.close()


def test_the_compare_link_round_trips_its_state(live_server, page):
    page.goto(live_server.url + "/compare/?member=POL,DEU,FRA&metric=share_of_gdp_pct")
    page.get_by_label("Italy").check()
    page.get_by_label("Measure").select_option("defence_usd_const2021_m")
    page.get_by_label("From").select_option("2018")
    page.get_by_role("button", name="Compare").press("Enter")
    page.wait_for_url("**metric=defence_usd_const2021_m**")
    link = page.locator("#compare-link").get_attribute("href")
    query = parse_qs(urlsplit(link).query)
    assert query["metric"] == ["defence_usd_const2021_m"]
    assert (query["from"], query["to"]) == (["2018"], ["2026"])
    assert set(query["member"][0].split(",")) == {"POL", "DEU", "FRA", "ITA"}
    # The address bar holds the API's spelling too: the form's ticked boxes are joined.
    assert len(parse_qs(urlsplit(page.url).query)["member"]) == 1

    fresh = page.context.new_page()
    fresh.goto(live_server.url + link)
    wait_for_charts(fresh, 1)
    checked = fresh.locator("input[name=member]:checked")
    assert sorted(checked.evaluate_all("boxes => boxes.map(box => box.value)")) == [
        "DEU",
        "FRA",
        "ITA",
        "POL",
    ]
    assert fresh.get_by_label("Measure").input_value() == "defence_usd_const2021_m"
    assert fresh.get_by_label("From").input_value() == "2018"
    legend = svg_texts(fresh, "#chart-compare .legendtext")
    assert {"Poland", "Germany", "France", "Italy"} <= set(legend)
    assert fresh.locator("#chart-compare .scatterlayer .trace").count() == 8
    ticks = svg_texts(fresh, "#chart-compare .xtick text")
    assert ticks[0] == "2018"


def test_a_bad_compare_link_shows_what_was_wrong(live_server, page):
    response = page.goto(live_server.url + "/compare/?member=POL,XYZ&metric=share_of_gdp_pct")
    assert response.status == 400
    assert (
        "'XYZ' is not the ISO3 code of a NATO member"
        in page.locator("#compare-errors").inner_text()
    )
    # The one console message is Chromium reporting the page's own 400 status.
    assert [str(error.text) for error in page.console_errors] == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]


def test_a_hostile_ally_name_renders_as_text_without_a_dialog(live_server, page):
    member = Member.objects.create(
        iso2="XX", iso3="XSS", name=HOSTILE, accession_date=datetime.date(1949, 4, 4)
    )
    edition = Edition.objects.newest()
    for year in (2025, 2026):
        YearlyFigure.objects.create(
            member=member,
            edition=edition,
            year=year,
            status="estimate",
            defence_usd_current_m=30.0,
            defence_usd_const2021_m=30.0,
            gdp_usd_current_m=1000.0,
            gdp_usd_const2021_m=1000.0,
            equipment_share_pct=25.0,
        )
    # As every write does (spending/writes.py): the stored answers now hold the new ally.
    record_write()
    for path in ("/", "/members/XSS/", "/compare/?member=XSS,POL"):
        page.goto(live_server.url + path)
        wait_for_charts(page, 1)
        assert page.locator("img[src=x]").count() == 0
        assert page.get_by_text(HOSTILE).count() >= 1
    ranked = page.context.new_page()
    ranked.goto(live_server.url + "/")
    wait_for_charts(ranked, 3)
    assert HOSTILE in svg_texts(ranked, "#chart-ranked .ytick text")
    assert page.dialogs == []
    assert page.console_errors == []
    save_chart_screenshots(page, "charts-hostile-name", 1)


def test_charts_fit_a_375_pixel_screen(live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/members/POL/")
    wait_for_charts(page, 4)
    widths = page.locator(".chart .main-svg").evaluate_all(
        "svgs => svgs.map(svg => svg.getBoundingClientRect().right)"
    )
    assert widths
    assert max(widths) <= 375
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 375
    context.close()


def test_toolbars_keep_only_the_offline_png_and_zoom_reset(live_server, page):
    for path, count in (("/", 4), ("/members/POL/", 5), ("/compare/?member=POL,DEU", 1)):
        page.goto(live_server.url + path)
        wait_for_charts(page, count)
        page.locator(".chart.drawn").first.hover()
        titles = page.locator(".chart .modebar-btn").evaluate_all(
            "buttons => [...new Set(buttons.map(b => b.getAttribute('data-title')))]"
        )
        assert sorted(titles) == ["Download plot as a PNG", "Reset axes"], path
        assert page.get_by_text("Share chart").count() == 0
        assert page.locator("a.skip-chart").count() == count


def test_compare_draws_the_target_lines_with_their_labels(live_server, page):
    page.goto(live_server.url + "/compare/?member=POL,DEU&metric=share_of_gdp_pct")
    wait_for_charts(page, 1)
    assert page.locator("#chart-compare .shapelayer path").count() == 3
    labels = svg_texts(page, "#chart-compare .annotation-text")
    assert {"2% by 2024", "3.5% by 2035", "5% in all by 2035"} <= set(labels)


def test_the_fair_share_chart_draws_every_ally_counted_and_fits_a_phone(live_server, browser):
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(live_server.url + "/?year=2026")
        wait_for_charts(page, 4)
        chart = page.locator("#chart-fair-share")
        # 31 allies with figures (not Iceland) and Europe and Canada as one more point.
        assert chart.locator(".scatterlayer .point").count() == 32
        assert chart.locator(".main-svg").first.bounding_box()["width"] <= width
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("figure:has(#chart-fair-share)").screenshot(
            path=SCREENSHOTS / f"charts-fair-share-{width}.png"
        )
        context.close()
