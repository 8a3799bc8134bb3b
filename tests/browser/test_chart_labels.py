"""Chart labels stay readable: none sits on a target line or on another label, on a laptop or a
phone (the ranking's values, the fair-share chart's ally codes, the target lines' labels)."""

from pathlib import Path

import pytest

from tests.browser.test_fit import wait_for_charts

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("nato_data")]

CHART_PAGES = [
    "/",
    "/members/POL/",
    "/members/USA/",
    "/compare/?member=POL,DEU,LTU",
    "/scenarios/",
    "/members/POL/scenario/",
]

COLLISIONS = (Path(__file__).parent / "chart_collisions.js").read_text()


def label_counts(page):
    return page.evaluate(
        "[...document.querySelectorAll('.chart.drawn')].map(chart => chart.querySelectorAll("
        "'.scatterlayer .textpoint, g.annotation').length)"
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_no_chart_label_sits_on_a_target_line_or_another_label(live_server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for path in CHART_PAGES:
        page.goto(live_server.url + path)
        wait_for_charts(page)
        assert sum(label_counts(page)) > 0, path
        assert page.evaluate(COLLISIONS) == [], (width, path)
    context.close()


def test_the_ranking_writes_every_allys_value_beside_its_bar(live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/")
    wait_for_charts(page)
    values = page.evaluate(
        "document.getElementById('chart-ranked').layout.annotations"
        ".filter(note => note.name === 'value').map(note => note.text)"
    )
    bars = page.evaluate(
        "document.getElementById('chart-ranked').data.flatMap(trace => trace.text || [])"
    )
    assert len(values) == 31
    assert sorted(values) == sorted(bars)
    context.close()


def test_the_fair_share_chart_keeps_the_largest_allies_labelled_on_a_phone(live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/")
    wait_for_charts(page)
    shown = page.evaluate(
        "[...document.querySelectorAll('#chart-fair-share .textpoint')]"
        ".filter(label => getComputedStyle(label).display !== 'none')"
        ".map(label => label.textContent)"
    )
    assert {"USA", "DEU"} <= set(shown)
    assert len(shown) >= 10
    context.close()
