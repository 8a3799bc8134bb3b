"""NATO's workbook through each door, as a staff member uses it: the admin (one upload, one
confirm), the API and the command, each listing the tables it recognised."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from nato_tracker.tokens import create_token
from spending.fields import METRIC_FIELDS
from spending.models import AggregateFigure, ImportBatch, YearlyFigure
from tests.spending.nato_workbooks import workbook_2026

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/admin/spending/importbatch/upload/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NEW_EDITION = {
    "edition": "nato-2026-copy",
    "new_edition_title": "Copy of the 2026 edition",
    "cutoff_on": "2026-07-02",
}


@pytest.fixture
def staff_user():
    user = User.objects.create_user("editor", password="pw-editor-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Figures importer"))
    return user


def workbook_upload():
    return SimpleUploadedFile("def-exp-2026-en.xlsx", workbook_2026(), content_type=XLSX)


def figures(slug):
    """Every value of an edition, member and aggregate rows, keyed by who and year."""
    members = YearlyFigure.objects.filter(edition__slug=slug).values_list(
        "member__iso3", "year", "status", *METRIC_FIELDS
    )
    aggregates = AggregateFigure.objects.filter(edition__slug=slug).values_list(
        "aggregate", "year", "status", *METRIC_FIELDS
    )
    return {(row[0], row[1]): row[2:] for row in [*members, *aggregates]}


def test_one_upload_and_one_confirm_in_the_admin_load_the_whole_workbook(client, staff_user):
    client.force_login(staff_user)
    response = client.post(UPLOAD_URL, {**NEW_EDITION, "file": workbook_upload()})
    batch = ImportBatch.objects.get()
    html = client.get(response["Location"]).content.decode()
    assert "Tables recognised" in html
    assert html.count('<tr><td class="nowrap">Table ') == 15
    assert 'Table 3</td><td class="nowrap">4–37</td><td>Share of real GDP (%)</td>' in html
    assert "Tables recognised: 15 blocks, 6,273 values" in html
    assert "<code>nato_share_of_gdp_pct</code>" in html
    assert "Confirm and apply" in html

    client.post(f"/admin/spending/importbatch/{batch.pk}/apply/")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.State.APPLIED
    assert figures("nato-2026-copy") == figures("nato-2026")
    assert len(figures("nato-2026-copy")) == 31 * 13 + 2 * 13


def test_the_api_lists_every_block_of_the_workbook(staff_user):
    key = create_token(staff_user)[1]
    response = Client().post(
        "/api/v1/imports/?dry_run=1",
        {"edition": "nato-2026", "file": workbook_upload()},
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["counts"]["changed"] == 0
    blocks = body["blocks"]
    assert [b["metric"] for b in blocks] == METRIC_FIELDS
    share = blocks[METRIC_FIELDS.index("nato_share_of_gdp_pct")]
    assert share == {
        "sheet": "Table 3",
        "rows": "4–37",
        "subtitle": "Share of real GDP (%)",
        "metric": "nato_share_of_gdp_pct",
        "unit": "% of GDP (constant 2021 prices)",
        "years": "2014–2026e",
        "estimates": "2025e, 2026e",
        "allies": 31,
        "aggregates": 2,
        "values": 31 * 13 + 2 * 13,
    }


def test_the_command_loads_the_workbook_without_sheet_or_metric(tmp_path, capsys):
    path = tmp_path / "def-exp-2026-en.xlsx"
    path.write_bytes(workbook_2026())
    call_command("import_figures", str(path), "--edition", "nato-2026", "--dry-run")
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("sheet ")]
    assert len(lines) == 15
    assert (
        "sheet Table 6, rows 40–73: defence_per_capita_const2021_usd (US dollars per head, "
        "constant 2021 prices), 2014–2026e (2025e, 2026e estimates), 31 allies + 2 aggregates, "
        "429 values"
    ) in lines
    assert "0 new, 0 changed, 429 unchanged, 0 errors" in out
