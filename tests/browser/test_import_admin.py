import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.conftest import save_screenshots
from tests.spending.nato_workbooks import workbook_2026

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("nato_data")]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLE_3 = (
    b"Table 3: Defence expenditure as a share of GDP (%)\n"
    b";2024\n"
    b"Poland (1);3,99\n"
    b"<b>Atlantis</b>;\n"
)


def poland_2024_table_3(page, live_server):
    page.goto(live_server.url + "/members/POL/")
    row = page.locator("#history-table tbody tr", has_text="2024").first
    return row.locator("td").nth(1).inner_text()


def test_a_staff_member_uploads_previews_confirms_and_rolls_back(live_server, page):
    User.objects.create_superuser("chief", "chief@example.org", "pw-chief-1")
    assert poland_2024_table_3(page, live_server) == "3.75%"

    page.goto(live_server.url + "/admin/login/?next=/admin/spending/importbatch/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "pw-chief-1")
    # Each click waits for the next page to load fully, so no request of it is cut short.
    with page.expect_navigation():
        page.click("input[type=submit]")
    with page.expect_navigation():
        page.get_by_role("link", name="Import figures").click()
    page.fill("#id_edition", "nato-2026")
    page.set_input_files(
        "#id_file", files=[{"name": "table3.csv", "mimeType": "text/csv", "buffer": TABLE_3}]
    )
    with page.expect_navigation():
        page.click("input[value=Preview]")

    assert page.locator("#import-counts").inner_text().startswith("0 new, 1 changed, 0 unchanged")
    assert "3.75 → 3.99" in page.locator("#import-rows").inner_text()
    assert page.locator("#import-status").inner_text() == "previewed, not applied"
    save_screenshots(page, "import-preview")
    # The confirm redirects back to the same URL: wait for the new page, not the old one.
    with page.expect_navigation():
        page.click("input[value='Confirm and apply']")
    expect(page.locator("#import-status")).to_have_text("applied")
    assert poland_2024_table_3(page, live_server) == "3.99%"

    page.go_back()
    page.reload()
    with page.expect_navigation():
        page.click("input[value='Roll back this import']")
    assert "Rolled back" in page.locator(".messagelist").inner_text()
    save_screenshots(page, "import-rolled-back")
    assert poland_2024_table_3(page, live_server) == "3.75%"
    assert page.failed_requests == []
    # The public pages have no icon yet, so Chromium's own /favicon.ico request may 404.
    errors = [m for m in page.console_errors if "favicon.ico" not in m.location.get("url", "")]
    assert errors == []
    assert page.dialogs == []


def test_nato_s_workbook_goes_in_with_one_upload_and_one_confirm(live_server, page):
    User.objects.create_superuser("chief", "chief@example.org", "pw-chief-1")
    page.goto(live_server.url + "/admin/login/?next=/admin/spending/importbatch/upload/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "pw-chief-1")
    with page.expect_navigation():
        page.click("input[type=submit]")
    page.fill("#id_edition", "nato-2026-copy")
    page.fill("#id_new_edition_title", "Copy of the 2026 edition")
    page.fill("#id_cutoff_on", "2026-07-02")
    page.set_input_files(
        "#id_file",
        files=[{"name": "def-exp-2026-en.xlsx", "mimeType": XLSX, "buffer": workbook_2026()}],
    )
    with page.expect_navigation():
        page.click("input[value=Preview]")

    assert page.locator("#import-counts").inner_text().startswith("429 new, 0 changed")
    blocks = page.locator("#import-blocks tbody tr")
    expect(blocks).to_have_count(15)
    assert "Share of real GDP (%)" in blocks.nth(4).inner_text()
    assert "nato_share_of_gdp_pct" in blocks.nth(4).inner_text()
    save_screenshots(page, "import-workbook-preview")
    # Writing a whole edition recomputes every stored answer: seconds on a busy machine.
    with page.expect_navigation(timeout=120_000):
        page.click("input[value='Confirm and apply']")
    expect(page.locator("#import-status")).to_have_text("applied")
    assert page.failed_requests == []
