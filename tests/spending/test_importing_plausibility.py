"""Plausibility before confirming: a value 3× or more off the newest other edition or its
neighbouring years is flagged, and no door applies it without an explicit acknowledgement."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from nato_tracker.tokens import create_token
from spending.importing import ImportRefused, apply_batch, choose_edition, preview_upload
from spending.models import Edition, ImportBatch, YearlyFigure
from tests.spending.import_files import EXPORT_COLUMNS, csv_bytes, dump_figures, export_rows

pytestmark = pytest.mark.django_db

NEW_EDITION = {"title": "NATO 2027", "cutoff_on": "2027-07-01"}


def stored(metric, year, iso3="POL", edition="nato-2026"):
    figure = YearlyFigure.objects.get(edition__slug=edition, member__iso3=iso3, year=year)
    return getattr(figure, metric)


def edited_rows(edits, iso3="POL"):
    """The ally's export rows with {(year, metric): value} replaced."""
    rows = export_rows(iso3=iso3)
    for row in rows[1:]:
        for (year, metric), value in edits.items():
            if row[1] == year:
                row[EXPORT_COLUMNS.index(metric)] = value
    return rows


def preview_new_edition(rows):
    choice = choose_edition("nato-2027", **NEW_EDITION)
    return preview_upload(csv_bytes(rows), "2027.csv", choice)


def factor(a, b):
    return max(a, b) / min(a, b)


def is_flagged(batch, year, metric):
    return any(
        (f["code"], f["year"], f["metric"]) == ("POL", year, metric)
        for f in batch.preview["implausible"]
    )


# (case id, metric, multiplier of the stored 2024 value)
FACTORS = [
    ("a 1000× unit slip", "defence_usd_current_m", 1000),
    ("a thousandth", "defence_usd_current_m", 1 / 1000),
    ("exactly 3× the other edition", "defence_usd_current_m", 3),
    ("twice the other edition", "defence_usd_current_m", 2),
    ("half the other edition", "defence_usd_current_m", 0.5),
    ("personnel in units, not thousands", "military_personnel_k", 1000),
    ("GDP per capita in dollars, not thousands", "gdp_per_capita_const2021_kusd", 1000),
    ("infrastructure filed as equipment", "equipment_share_pct", 1 / 9),
]


@pytest.mark.parametrize(
    ("metric", "multiplier"), [c[1:] for c in FACTORS], ids=[c[0] for c in FACTORS]
)
def test_a_value_three_times_off_the_other_edition_or_a_neighbour_is_flagged(metric, multiplier):
    old, before_year, after_year = (stored(metric, y) for y in (2024, 2023, 2025))
    value = old * multiplier
    # Table 8's category shares are compared with the other edition only.
    neighbours = [] if metric == "equipment_share_pct" else [before_year, after_year]
    expected = any(factor(value, other) >= 3 for other in (old, *neighbours))
    batch = preview_new_edition(edited_rows({(2024, metric): value}))
    assert is_flagged(batch, 2024, metric) is expected
    assert batch.counts["implausible"] == len(batch.preview["implausible"])


def test_a_flag_gives_the_row_and_both_comparison_values():
    old, before_year, after_year = (stored("defence_usd_current_m", y) for y in (2024, 2023, 2025))
    batch = preview_new_edition(edited_rows({(2024, "defence_usd_current_m"): old * 1000}))
    flag = next(f for f in batch.preview["implausible"] if f["year"] == 2024)
    assert flag["value"] == old * 1000
    assert flag["where"] == "line 12"
    assert flag["other_edition"] == {
        "edition": "nato-2026",
        "value": old,
        "factor": pytest.approx(1000),
    }
    assert [(n["year"], n["value"]) for n in flag["neighbours"]] == [
        (2023, before_year),
        (2025, after_year),
    ]
    assert "implausible" in flag["text"]
    assert f"{old:,g}" in flag["text"]


def test_a_share_filed_as_an_amount_is_flagged():
    share = stored("nato_share_of_gdp_pct", 2024)
    batch = preview_new_edition(edited_rows({(2024, "gdp_usd_current_m"): share}))
    assert is_flagged(batch, 2024, "gdp_usd_current_m")


def test_a_real_change_is_not_compared_by_factor_as_it_crosses_zero():
    change = stored("nato_real_change_pct", 2024)
    batch = preview_new_edition(edited_rows({(2024, "nato_real_change_pct"): change * 10}))
    assert not is_flagged(batch, 2024, "nato_real_change_pct")


def test_a_year_no_other_edition_holds_is_compared_with_its_neighbours_in_the_upload():
    rows = edited_rows({})
    header, last = rows[0], list(rows[-1])
    assert last[1] == 2026
    next_year = list(last)
    next_year[1] = 2027
    column = EXPORT_COLUMNS.index("defence_usd_current_m")
    next_year[column] = last[column] * 1000
    batch = preview_new_edition([header, last, next_year])
    flag = next(f for f in batch.preview["implausible"] if f["year"] == 2027)
    assert flag["metric"] == "defence_usd_current_m"
    assert flag["other_edition"] is None
    assert [(n["year"], n["value"]) for n in flag["neighbours"]] == [(2026, last[column])]


def test_a_category_share_is_not_compared_with_its_neighbouring_years():
    rows = edited_rows({})
    header, last = rows[0], list(rows[-1])
    next_year = list(last)
    next_year[1] = 2027
    column = EXPORT_COLUMNS.index("equipment_share_pct")
    # A quarter of 2026's, with no other edition holding 2027.
    next_year[column] = last[column] / 4
    assert factor(next_year[column], last[column]) >= 3
    batch = preview_new_edition([header, last, next_year])
    assert not is_flagged(batch, 2027, "equipment_share_pct")


def test_values_the_upload_leaves_unchanged_are_not_flagged():
    batch = preview_upload(csv_bytes(export_rows()), "same.csv", choose_edition("nato-2026"))
    assert batch.counts["changed"] == 0
    assert batch.preview["implausible"] == []
    assert batch.counts["implausible"] == 0


def slip_batch():
    old = stored("defence_usd_current_m", 2024)
    rows = edited_rows({(2024, "defence_usd_current_m"): old * 1000})
    batch = preview_upload(csv_bytes(rows), "slip.csv", choose_edition("nato-2026"))
    assert batch.counts["implausible"] == 1
    assert batch.status == ImportBatch.State.PREVIEWED
    return batch, old


def test_applying_flagged_values_without_acknowledgement_is_refused_and_writes_nothing():
    batch, old = slip_batch()
    before, editions = dump_figures(), Edition.objects.count()
    with pytest.raises(ImportRefused, match="implausible") as refusal:
        apply_batch(batch.pk)
    assert "POL 2024 defence_usd_current_m" in str(refusal.value)
    assert "Nothing was written" in str(refusal.value)
    assert dump_figures() == before
    assert Edition.objects.count() == editions
    batch.refresh_from_db()
    assert batch.status == ImportBatch.State.PREVIEWED

    apply_batch(batch.pk, acknowledge_implausible=True)
    assert stored("defence_usd_current_m", 2024) == old * 1000
    batch.refresh_from_db()
    assert batch.status == ImportBatch.State.APPLIED
    assert batch.preview["implausible_acknowledged"] is True


def test_a_new_edition_with_flagged_values_is_not_created_without_acknowledgement():
    old = stored("defence_usd_current_m", 2024)
    batch = preview_new_edition(edited_rows({(2024, "defence_usd_current_m"): old * 1000}))
    with pytest.raises(ImportRefused, match="implausible"):
        apply_batch(batch.pk)
    assert not Edition.objects.filter(slug="nato-2027").exists()


def test_the_command_needs_accept_implausible(tmp_path):
    old = stored("defence_usd_current_m", 2024)
    path = tmp_path / "slip.csv"
    path.write_bytes(csv_bytes(edited_rows({(2024, "defence_usd_current_m"): old * 1000})))
    before = dump_figures()
    with pytest.raises(CommandError, match="--accept-implausible"):
        call_command("import_figures", str(path), "--edition", "nato-2026")
    assert dump_figures() == before
    call_command("import_figures", str(path), "--edition", "nato-2026", "--accept-implausible")
    assert stored("defence_usd_current_m", 2024) == old * 1000


@pytest.fixture
def importer():
    user = User.objects.create_user("editor", password="pw-editor-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Figures importer"))
    return user


def test_the_api_apply_needs_acknowledge_implausible(client, importer):
    batch, old = slip_batch()
    auth = {"HTTP_AUTHORIZATION": f"Token {create_token(importer)[1]}"}
    before = dump_figures()
    response = client.post(f"/api/v1/imports/{batch.pk}/apply/", **auth)
    assert response.status_code == 409
    assert "acknowledge_implausible" in response.json()["detail"]
    assert dump_figures() == before
    response = client.post(
        f"/api/v1/imports/{batch.pk}/apply/", {"acknowledge_implausible": "true"}, **auth
    )
    assert response.status_code == 201, response.json()
    assert stored("defence_usd_current_m", 2024) == old * 1000


def test_the_api_preview_lists_the_flags_and_a_one_step_upload_is_refused(client, importer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    old = stored("defence_usd_current_m", 2024)
    content = csv_bytes(edited_rows({(2024, "defence_usd_current_m"): old * 1000}))
    auth = {"HTTP_AUTHORIZATION": f"Token {create_token(importer)[1]}"}
    before = dump_figures()
    response = client.post(
        "/api/v1/imports/",
        {"edition": "nato-2026", "file": SimpleUploadedFile("s.csv", content)},
        **auth,
    )
    assert response.status_code == 409
    assert dump_figures() == before
    batch = ImportBatch.objects.get()
    shown = client.get(f"/api/v1/imports/{batch.pk}/", **auth).json()
    assert [(f["code"], f["year"]) for f in shown["implausible"]] == [("POL", 2024)]
    response = client.post(
        "/api/v1/imports/",
        {
            "edition": "nato-2026",
            "file": SimpleUploadedFile("s.csv", content),
            "acknowledge_implausible": "true",
        },
        **auth,
    )
    assert response.status_code == 201
    assert stored("defence_usd_current_m", 2024) == old * 1000


def test_the_admin_shows_the_flags_and_applies_only_with_the_box_ticked(client, importer):
    batch, old = slip_batch()
    client.force_login(importer)
    html = client.get(f"/admin/spending/importbatch/{batch.pk}/preview/").content.decode()
    assert 'id="import-implausible"' in html
    assert 'name="acknowledge_implausible"' in html
    before = dump_figures()
    apply_url = f"/admin/spending/importbatch/{batch.pk}/apply/"
    html = client.post(apply_url, follow=True).content.decode()
    assert "implausible" in html
    assert dump_figures() == before
    client.post(apply_url, {"acknowledge_implausible": "on"})
    assert stored("defence_usd_current_m", 2024) == old * 1000


# (case id, content, expected error fragment)
UNKNOWN = [
    (
        "misspelt wide column",
        csv_bytes(
            [["iso3", "year", "status", "defence_usd_curent_m"], ["POL", "2024", "actual", "1"]]
        ),
        "“defence_usd_curent_m” is not a known column: did you mean “defence_usd_current_m”?",
    ),
    (
        "column like no other",
        csv_bytes([["iso3", "year", "status", "colour"], ["POL", "2024", "actual", "blue"]]),
        "“colour” is not a known column",
    ),
    (
        "misspelt long metric",
        csv_bytes(
            [
                ["iso3", "year", "metric", "value", "status"],
                ["POL", "2024", "gdp_usd_curent_m", "5", "actual"],
            ]
        ),
        "“gdp_usd_curent_m” is not a metric name: did you mean “gdp_usd_current_m”?",
    ),
    (
        "NATO table column that is not a year",
        csv_bytes(
            [
                ["Table 7: Military personnel"],
                ["Thousands"],
                ["", "2024", "Total"],
                ["Poland", "216,9", "216,9"],
            ],
            delimiter=";",
        ),
        "“Total” is not a year",
    ),
    (
        "misspelt ally in a NATO table",
        csv_bytes(
            [["Table 7: Military personnel"], ["Thousands"], ["", "2024"], ["Polnad", "216.9"]]
        ),
        "“Polnad” is not a NATO member or aggregate: did you mean “Poland”?",
    ),
    (
        "misspelt ally in the wide layout",
        csv_bytes([["iso3", "year", "status"], ["Lithuana", "2024", "actual"]]),
        "“Lithuana” is not a NATO member: did you mean “Lithuania”?",
    ),
]


@pytest.mark.parametrize(
    ("content", "expected"), [c[1:] for c in UNKNOWN], ids=[c[0] for c in UNKNOWN]
)
def test_an_unknown_column_or_metric_is_an_error_with_a_suggestion(content, expected):
    before = dump_figures()
    batch = preview_upload(content, "f.csv", choose_edition("nato-2026"))
    errors = [m["message"] for m in batch.preview["messages"] if m["level"] == "error"]
    assert any(expected in error for error in errors), errors
    assert batch.status == ImportBatch.State.INVALID
    assert dump_figures() == before


def test_natos_own_workbook_as_a_new_edition_raises_no_flag():
    from tests.spending.nato_workbooks import workbook_2026

    choice = choose_edition("nato-2026-copy", title="Copy", cutoff_on="2026-07-04")
    batch = preview_upload(workbook_2026(), "def-exp-2026-en.xlsx", choice)
    assert batch.counts["errors"] == 0
    assert batch.counts["new"] == 31 * 13 + 2 * 13
    assert batch.preview["implausible"] == []
