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


# The width each choice of each <select> needs (its text in the select's font, plus its padding
# and the arrow's room), against the select's own width.
CHOICES_CUT = """() => {
  const context = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll('select')].flatMap(select => {
    const style = getComputedStyle(select);
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - 24;
    return [...select.options].filter(option => context.measureText(option.text).width > room)
      .map(option => `${select.id}: "${option.text}" needs
        ${Math.round(context.measureText(option.text).width)} of ${Math.round(room)} px`);
  });
}"""


@pytest.mark.parametrize("width", [1280, 375])
def test_every_choice_reads_whole_in_its_closed_picker(live_server, page, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/tables/")
    assert page.locator("select").count() == 2
    assert page.evaluate(CHOICES_CUT) == []
