"""Every page passes axe-core's WCAG 2.0/2.1 A and AA rules on a laptop and on a phone, the
charts' own text reads at AA contrast, and a keyboard reaches every control and shows where it is.

axe-core is vendored for these tests only (tests/browser/vendor/README.md)."""

from pathlib import Path

import pytest

from tests.browser.test_fit import PAGES, wait_for_charts

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("nato_data")]

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(results =>
  results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
    nodes: v.nodes.slice(0, 3).map(node => ({
      target: node.target.join(' '), why: (node.failureSummary || '').split('\\n')[1] || '',
    })),
  })))"""


def describe(violations):
    """One line per violated rule, then its first few elements and why each fails."""
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}, {violation['count']} elements): "
            f"{violation['help']}"
        )
        lines += [f"    {node['target']}: {node['why'].strip()}" for node in violation["nodes"]]
    return "\n".join(lines)


@pytest.fixture
def page_for_axe(browser):
    """A page whose Content-Security-Policy lets the test add axe as an inline script."""
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("path", [*PAGES, "/api/docs/"])
def test_the_page_has_no_wcag_aa_violations(live_server, page_for_axe, path, width):
    page = page_for_axe
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + path)
    wait_for_charts(page)
    if path == "/api/docs/":
        page.locator(".opblock").first.wait_for()
    page.add_script_tag(path=AXE)
    violations = page.evaluate(AXE_RUN, WCAG_AA)
    assert violations == [], f"{path} at {width} px:\n{describe(violations)}"


# axe leaves SVG text out. Plotly writes every label of a chart as SVG text on the figure's white
# paper (no label of the house look sits inside a bar): each must reach 4.5:1, or 3:1 when large
# (24 px, or 18.67 px bold).
FAINT_CHART_TEXT = """() => {
  const luminance = ([r, g, b]) => {
    const linear = c => (c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const faint = [];
  for (const text of document.querySelectorAll('.chart.drawn svg.main-svg text')) {
    if (!text.textContent.trim() || !text.getClientRects().length) continue;
    const style = getComputedStyle(text);
    if (style.visibility === 'hidden') continue;
    const [r, g, b, a = 1] = style.fill.match(/[\\d.]+/g).map(Number);
    let alpha = a * Number(style.fillOpacity);
    for (let el = text; el && el.tagName !== 'svg'; el = el.parentElement) {
      alpha *= Number(getComputedStyle(el).opacity);
    }
    // The colour as drawn over the white paper.
    const drawn = [r, g, b].map(c => alpha * c + (1 - alpha) * 255);
    const ratio = 1.05 / (luminance(drawn) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.67 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      const chart = text.closest('.chart').id;
      faint.push(`${chart}: "${text.textContent.trim()}" ${style.fill} at ${ratio.toFixed(2)}:1`);
    }
  }
  return faint;
}"""
CHART_PAGES = ["/", "/members/POL/", "/compare/?member=POL,DEU,LTU", "/scenarios/"]


@pytest.mark.parametrize("width", [1280, 375])
def test_every_chart_label_reads_at_aa_contrast(live_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in CHART_PAGES:
        page.goto(live_server.url + path)
        wait_for_charts(page)
        assert page.locator(".chart.drawn svg.main-svg text").count() > 20, path
        assert page.evaluate(FAINT_CHART_TEXT) == [], (path, width)


# Where the focus is, and whether it shows: an outline or a box shadow on the element, or, for a
# link of the map (an SVG shape), the accent stroke the page's CSS gives its shape.
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const shape = el.querySelector('.map-ally, .map-marker');
  let opacity = 1;
  for (let up = el; up; up = up.parentElement) opacity *= Number(getComputedStyle(up).opacity);
  return {
    name: el.id || `${el.tagName.toLowerCase()}.${el.getAttribute('class') || ''}`,
    key: el.dataset.tabKey || null,
    body: el === document.body,
    modebar: el.matches('.modebar-btn'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none',
    stroke: !!shape && parseFloat(getComputedStyle(shape).strokeWidth) >= 2,
    onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth,
    opacity,
  };
}"""
# The focused element and every box around it are fully opaque.
FULLY_SHOWN = """() => {
  let opacity = 1;
  for (let up = document.activeElement; up; up = up.parentElement) {
    opacity *= Number(getComputedStyle(up).opacity);
  }
  return opacity >= 1;
}"""
# Every control a keyboard should reach, numbered so the walk can tick each off.
CONTROLS = """() => {
  const controls = [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex="0"]'
  )].filter(el => !el.disabled && el.checkVisibility({visibilityProperty: true}));
  controls.forEach((el, index) => el.dataset.tabKey = index);
  return controls.map(el => `${el.tagName.toLowerCase()}#${el.id}.${el.getAttribute('class')} `
    + (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40));
}"""


def tab_through(page):
    """Press Tab from the top of the page until the focus leaves it; what each stop showed."""
    page.evaluate("document.activeElement.blur()")
    stops = []
    for _ in range(1000):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop["opacity"] < 1:
            # A chart's toolbar fades in when it takes the focus: slower on a loaded machine,
            # so wait for the fade to end (a toolbar that never shows fails here).
            page.wait_for_function(FULLY_SHOWN, timeout=5_000)
            stop = page.evaluate(FOCUSED)
        if stop["body"] or (stops and stop["key"] == stops[0]["key"]):
            break
        stops.append(stop)
    return stops


@pytest.mark.parametrize("path", ["/", "/members/POL/"])
def test_a_keyboard_reaches_every_control_and_sees_the_focus(live_server, page, path):
    page.goto(live_server.url + path)
    wait_for_charts(page)
    controls = page.evaluate(CONTROLS)
    stops = tab_through(page)

    reached = {stop["key"] for stop in stops}
    missed = [name for index, name in enumerate(controls) if str(index) not in reached]
    assert missed == [], path
    unseen = [
        stop["name"]
        for stop in stops
        if not stop["onScreen"]
        or stop["opacity"] < 1
        or not (stop["outline"] or stop["shadow"] or stop["stroke"])
    ]
    assert unseen == [], path
    # The toolbars are reached too: two buttons a chart.
    charts = page.locator(".chart.drawn").count()
    assert sum(stop["modebar"] for stop in stops) == 2 * charts


def test_the_skip_link_passes_a_charts_toolbar(live_server, page):
    page.goto(live_server.url + "/members/POL/")
    wait_for_charts(page)
    skip = page.locator("a.skip-chart").first
    skip.focus()
    assert skip.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.modebar-btn')")

    skip.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    after = page.evaluate(
        """() => {
          const el = document.activeElement;
          const caption = document.querySelector('.chart-figure figcaption');
          return {
            modebar: el.matches('.modebar-btn'),
            afterCaption: caption.contains(el)
              || !!(caption.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING),
          };
        }"""
    )
    assert after == {"modebar": False, "afterCaption": True}
