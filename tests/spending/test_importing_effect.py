"""The effect preview: each ally-year's share of GDP and target verdicts before → after, and
counts of values written that count figures only."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.auth.models import Group, User

from nato_tracker.tokens import create_token
from spending.importing import apply_batch, choose_edition, preview_upload
from spending.models import Target, YearlyFigure
from tests.spending.import_files import EXPORT_COLUMNS, csv_bytes, export_rows

pytestmark = pytest.mark.django_db

MOVES = {(True, True): "still met", (False, True): "now met", (True, False): "no longer met"}
MOVES[(False, False)] = "still not met"


def printed(pct):
    """A share rounded half-up to 2 decimals, as NATO prints it."""
    return float(Decimal(repr(pct)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def figure(iso3, year=2024):
    return YearlyFigure.objects.get(edition__slug="nato-2026", member__iso3=iso3, year=year)


def with_defence(iso3, defence, year=2024):
    rows = export_rows(iso3=iso3)
    for row in rows[1:]:
        if row[1] == year:
            row[EXPORT_COLUMNS.index("defence_usd_const2021_m")] = defence
    return csv_bytes(rows)


def expected_line(iso3, year, before_pct, after_pct, equipment_pct):
    """The line as the reviewer should read it, from the targets as stored."""
    words = [f"{iso3} {year} {printed(before_pct):.2f} → {printed(after_pct):.2f}%"]
    for target in Target.objects.order_by("display_order", "slug"):
        threshold = float(target.threshold_pct)
        if target.basis == "gdp":
            before, after = printed(before_pct), printed(after_pct)
            words.append(f"{threshold:g}% {MOVES[(before >= threshold, after >= threshold)]}")
        elif equipment_pct is not None:
            met = equipment_pct >= threshold
            words.append(f"{threshold:g}% equipment {MOVES[(met, met)]}")
    return ", ".join(words)


def share_near(low, high):
    """An ally whose 2024 share (2021 prices) lies in [low, high)."""
    for item in YearlyFigure.objects.filter(edition__slug="nato-2026", year=2024):
        defence, gdp = item.defence_usd_const2021_m, item.gdp_usd_const2021_m
        if defence and gdp and low <= printed(100 * defence / gdp) < high:
            return item
    raise AssertionError("no ally in range")


# (case id, ally chooser, new share of GDP in %, or None to keep POL's +312 m example)
CASES = [
    ("a small revision keeps every verdict", lambda: figure("POL"), None),
    ("crossing 3.5%", lambda: share_near(2.0, 3.4), 3.6),
    ("falling below 2%", lambda: share_near(2.1, 3.4), 1.9),
]


@pytest.mark.parametrize(("choose", "new_share"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_preview_shows_the_share_and_each_verdict_before_and_after(choose, new_share):
    item = choose()
    gdp, defence = item.gdp_usd_const2021_m, item.defence_usd_const2021_m
    new_defence = defence + 312 if new_share is None else new_share / 100 * gdp
    batch = preview_upload(
        with_defence(item.member.iso3, new_defence), "f.csv", choose_edition("nato-2026")
    )
    effect = batch.preview["effect"]
    assert effect["compared_with"] == "nato-2026"
    [line] = effect["lines"]
    before, after = 100 * defence / gdp, 100 * new_defence / gdp
    assert (line["before_pct"], line["after_pct"]) == (printed(before), printed(after))
    expected = expected_line(item.member.iso3, 2024, before, after, item.equipment_share_pct)
    assert line["text"] == expected
    assert line["verdict_changed"] is (new_share is not None)


def test_polands_example_reads_as_the_issue_wrote_it():
    pol = figure("POL")
    batch = preview_upload(with_defence("POL", 28467), "f.csv", choose_edition("nato-2026"))
    text = batch.preview["effect"]["lines"][0]["text"]
    assert pol.defence_usd_const2021_m == 28155
    assert text.startswith("POL 2024 3.75 → 3.79%")
    assert "3.5% still met" in text


def test_a_new_edition_is_compared_with_the_newest_edition_held():
    pol = figure("POL")
    choice = choose_edition("nato-2027", title="NATO 2027", cutoff_on="2027-07-01")
    batch = preview_upload(with_defence("POL", pol.defence_usd_const2021_m + 312), "f.csv", choice)
    effect = batch.preview["effect"]
    assert effect["compared_with"] == "nato-2026"
    assert len(effect["lines"]) == 13  # every year of the new edition is written
    line = next(x for x in effect["lines"] if x["year"] == 2024)
    gdp = pol.gdp_usd_const2021_m
    assert line["before_pct"] == printed(100 * pol.defence_usd_const2021_m / gdp)
    assert line["after_pct"] == printed(100 * (pol.defence_usd_const2021_m + 312) / gdp)


def test_the_admin_preview_and_the_api_show_the_effect(client):
    user = User.objects.create_user("editor", password="pw-editor-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Figures importer"))
    batch = preview_upload(with_defence("POL", 28467), "f.csv", choose_edition("nato-2026"))
    text = batch.preview["effect"]["lines"][0]["text"]
    client.force_login(user)
    html = client.get(f"/admin/spending/importbatch/{batch.pk}/preview/").content.decode()
    assert 'id="import-effect"' in html
    assert text in html
    client.logout()
    auth = {"HTTP_AUTHORIZATION": f"Token {create_token(user)[1]}"}
    body = client.get(f"/api/v1/imports/{batch.pk}/", **auth).json()
    assert body["effect"]["lines"][0]["text"] == text


def test_values_written_count_figures_only_not_statuses():
    rows = export_rows(iso3="POL")
    for row in rows[1:]:
        if row[1] == 2024:
            row[EXPORT_COLUMNS.index("status")] = "estimate"
            row[EXPORT_COLUMNS.index("military_personnel_k")] = 250
    batch = preview_upload(csv_bytes(rows), "f.csv", choose_edition("nato-2026"))
    assert batch.counts["changed"] == 1
    assert batch.counts["values_written"] == 1  # the personnel figure; the status is not one
    assert batch.counts["values_changed"] == 2
    apply_batch(batch.pk)
    assert figure("POL").military_personnel_k == 250


def test_the_command_reports_values_written_as_figures(tmp_path, capsys):
    from django.core.management import call_command

    rows = export_rows(iso3="POL")
    for row in rows[1:]:
        if row[1] == 2024:
            row[EXPORT_COLUMNS.index("status")] = "estimate"
            row[EXPORT_COLUMNS.index("military_personnel_k")] = 250
    path = tmp_path / "pol.csv"
    path.write_bytes(csv_bytes(rows))
    call_command("import_figures", str(path), "--edition", "nato-2026")
    assert "(1 values written)" in capsys.readouterr().out
