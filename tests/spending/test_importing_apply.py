"""Previews, applies and rollbacks: round-trips, revisions, new editions, stale previews."""

import pytest
from django.core.management import CommandError, call_command

from spending.importing import (
    FIXTURES_DIR,
    ImportRefused,
    apply_batch,
    choose_edition,
    preview_upload,
    rollback_batch,
)
from spending.models import (
    AggregateFigure,
    DataVersion,
    Edition,
    ImportBatch,
    ImportChange,
    YearlyFigure,
)
from tests.spending.import_files import (
    EXPORT_COLUMNS,
    csv_bytes,
    dump_figures,
    export_csv,
    export_rows,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


def preview(content, name="figures.csv", edition="nato-2026", **options):
    return preview_upload(content, name, choose_edition(edition), **options)


def edited_export(iso3, year, field, value):
    rows = export_rows(iso3=iso3)
    column = EXPORT_COLUMNS.index(field)
    for row in rows[1:]:
        if row[1] == year:
            row[column] = value
    return csv_bytes(rows)


def test_exporting_then_importing_the_wide_csv_changes_nothing():
    before, version = dump_figures(), DataVersion.current()[0]
    batch = preview(export_csv())
    assert batch.counts["new"] == 0
    assert batch.counts["changed"] == 0
    assert batch.counts["unchanged"] == 403
    assert batch.counts["errors"] == 0
    assert not [m for m in batch.preview["messages"] if "share_of_gdp_pct" in m["value"]]
    apply_batch(batch.pk)
    assert dump_figures() == before
    assert ImportChange.objects.filter(batch=batch).count() == 0
    assert DataVersion.current()[0] == version + 1


def test_the_same_export_as_xlsx_semicolon_latin1_or_bom_csv_changes_nothing():
    rows = export_rows(iso3="TUR")
    variants = {
        "f.xlsx": xlsx_bytes({"Figures": rows}),
        "f.csv": csv_bytes(rows, delimiter=";"),
        "g.csv": b"\xef\xbb\xbf" + csv_bytes(rows),
        "h.csv": csv_bytes(rows, encoding="latin-1"),
    }
    for name, content in variants.items():
        batch = preview(content, name)
        assert batch.counts["unchanged"] == 13, name
        assert batch.counts["changed"] == batch.counts["new"] == batch.counts["errors"] == 0


def test_text_cells_escaped_against_spreadsheet_injection_still_match():
    rows = export_rows(iso3="POL")
    for row in rows[1:]:
        row[0], row[3] = "'POL", f"'{row[3]}"
    batch = preview(csv_bytes(rows))
    assert (batch.counts["unchanged"], batch.counts["errors"]) == (13, 0)


def test_the_shipped_long_figures_import_with_no_change():
    batch = preview((FIXTURES_DIR / "figures.csv").read_bytes())
    assert batch.file_format == "long"
    assert batch.counts["unchanged"] == 403 + 26
    assert batch.counts["changed"] == batch.counts["new"] == 0


def test_a_revision_shows_old_and_new_then_writes_and_records_the_change():
    batch = preview(edited_export("POL", 2024, "defence_usd_current_m", "40000.5"))
    assert batch.counts["changed"] == 1
    row = next(r for r in batch.preview["rows"] if r["result"] == "changed")
    assert (row["code"], row["year"], row["where"]) == ("POL", 2024, "line 12")
    old = YearlyFigure.objects.get(
        edition__slug="nato-2026", member__iso3="POL", year=2024
    ).defence_usd_current_m
    assert row["fields"]["defence_usd_current_m"] == [old, 40000.5]
    assert (
        YearlyFigure.objects.get(
            edition__slug="nato-2026", member__iso3="POL", year=2024
        ).defence_usd_current_m
        == old
    )

    apply_batch(batch.pk)
    figure = YearlyFigure.objects.get(edition__slug="nato-2026", member__iso3="POL", year=2024)
    assert figure.defence_usd_current_m == 40000.5
    change = ImportChange.objects.get(batch=batch)
    assert (change.field, change.old_value, change.new_value) == (
        "defence_usd_current_m",
        old,
        40000.5,
    )
    batch.refresh_from_db()
    assert batch.status == ImportBatch.State.APPLIED
    assert len(batch.sha256) == 64


def test_an_empty_wide_cell_empties_the_value_and_rollback_restores_it_exactly():
    before = dump_figures()
    batch = preview(edited_export("DEU", 2020, "equipment_share_pct", ""))
    apply_batch(batch.pk)
    assert (
        YearlyFigure.objects.get(
            edition__slug="nato-2026", member__iso3="DEU", year=2020
        ).equipment_share_pct
        is None
    )
    version = DataVersion.current()[0]

    undo = rollback_batch(batch.pk)
    assert dump_figures() == before
    assert undo.kind == ImportBatch.Kind.ROLLBACK
    assert undo.rolls_back_id == batch.pk
    assert undo.changes.count() == 1
    assert DataVersion.current()[0] == version + 1
    batch.refresh_from_db()
    assert batch.status == ImportBatch.State.ROLLED_BACK
    with pytest.raises(ImportRefused, match="only an applied import"):
        rollback_batch(batch.pk)


def test_a_preview_is_applied_once_only():
    batch = preview(edited_export("POL", 2024, "military_personnel_k", "250"))
    apply_batch(batch.pk)
    with pytest.raises(ImportRefused, match="already applied"):
        apply_batch(batch.pk)


def test_a_preview_whose_figures_changed_since_is_refused_without_a_lost_update():
    first = preview(edited_export("POL", 2024, "military_personnel_k", "250"))
    second = preview(edited_export("POL", 2024, "military_personnel_k", "260"))
    apply_batch(second.pk)
    before = dump_figures()
    with pytest.raises(ImportRefused, match="changed since this preview") as refusal:
        apply_batch(first.pk)
    assert "POL 2024 military_personnel_k" in str(refusal.value)
    assert dump_figures() == before
    assert (
        YearlyFigure.objects.get(
            edition__slug="nato-2026", member__iso3="POL", year=2024
        ).military_personnel_k
        == 260
    )


def test_a_rollback_under_a_later_change_is_refused():
    first = preview(edited_export("POL", 2024, "military_personnel_k", "250"))
    apply_batch(first.pk)
    second = preview(edited_export("POL", 2024, "military_personnel_k", "260"))
    apply_batch(second.pk)
    with pytest.raises(ImportRefused, match="roll those back first"):
        rollback_batch(first.pk)
    rollback_batch(second.pk)
    rollback_batch(first.pk)
    assert (
        YearlyFigure.objects.get(
            edition__slug="nato-2026", member__iso3="POL", year=2024
        ).military_personnel_k
        == 216.9
    )


def test_a_new_edition_keeps_the_old_one_and_becomes_the_newest():
    old_edition = Edition.objects.get(slug="nato-2026")
    before = dump_figures()
    rows = export_rows(iso3="POL")
    rows[-1][EXPORT_COLUMNS.index("defence_usd_current_m")] = "99999"
    choice = choose_edition("nato-2027", title="NATO 2027", cutoff_on="2027-07-01")
    batch = preview_upload(csv_bytes(rows), "2027.csv", choice)
    assert batch.counts["new"] == 13
    assert any("edition column says “nato-2026”" in m["message"] for m in batch.preview["messages"])
    apply_batch(batch.pk)

    new_edition = Edition.objects.get(slug="nato-2027")
    assert Edition.objects.newest() == new_edition
    assert new_edition.figures.count() == 13
    assert old_edition.figures.count() == 403
    assert (
        YearlyFigure.objects.get(
            edition=old_edition, member__iso3="POL", year=2026
        ).defence_usd_current_m
        != 99999
    )
    assert (
        YearlyFigure.objects.get(
            edition=new_edition, member__iso3="POL", year=2026
        ).defence_usd_current_m
        == 99999
    )

    rollback_batch(batch.pk)
    assert not Edition.objects.filter(slug="nato-2027").exists()
    assert dump_figures() == before


def test_a_new_edition_needs_a_title_and_a_cutoff_date():
    with pytest.raises(ValueError, match="give a title"):
        choose_edition("nato-2030")
    with pytest.raises(ValueError, match="cut-off"):
        choose_edition("nato-2030", title="NATO 2030")
    with pytest.raises(ValueError, match="exists already"):
        choose_edition("nato-2026", title="again")


NATO_TABLE = [
    ["Table 3: Defence expenditure as a share of GDP (%)"],
    ["Based on 2021 prices"],
    [],
    ["", "2024", "2025e"],
    ["Türkiye (1)", "2,1", "2,3"],
    ["EL", "3,1", "3,2"],
    ["UK*", "2,3", "2,4"],
    ["slovak republic", "2,0", "2,1"],
    [],
    ["NATO Europe and Canada", "2,0", "2,2"],
    ["NATO Total", "2,7", "2,9"],
    ["(1) Footnote text: not a row of figures"],
]


def test_a_nato_table_sheet_matches_names_reads_estimates_and_keeps_aggregates_apart():
    content = xlsx_bytes({"Cover": [["NATO"]], "Table 3": NATO_TABLE})
    batch = preview(content, "nato.xlsx", edition="nato-2026", sheet="Table 3")
    assert batch.file_format == "nato-table"
    assert batch.metric == "nato_share_of_gdp_pct"
    assert batch.counts["errors"] == 0, batch.preview["messages"]
    keys = {(r["kind"], r["code"], r["year"]) for r in batch.preview["rows"]}
    assert ("member", "TUR", 2025) in keys
    assert ("member", "GRC", 2024) in keys
    assert ("member", "GBR", 2024) in keys
    assert ("member", "SVK", 2025) in keys
    assert ("aggregate", "NATO_EUR_CAN", 2024) in keys
    assert ("aggregate", "NATO_TOTAL", 2025) in keys
    assert len(keys) == 12
    apply_batch(batch.pk)
    assert (
        YearlyFigure.objects.get(
            edition__slug="nato-2026", member__iso3="TUR", year=2025
        ).nato_share_of_gdp_pct
        == 2.3
    )
    assert (
        AggregateFigure.objects.get(
            edition__slug="nato-2026", aggregate="NATO_TOTAL", year=2024
        ).nato_share_of_gdp_pct
        == 2.7
    )


def test_a_nato_table_without_a_title_takes_the_chosen_metric_and_marks_estimates():
    content = csv_bytes([["Country", "2024", "2025e"], ["POLAND", "500", "510.5"]])
    batch = preview(content, metric="military_personnel_k")
    assert batch.counts["errors"] == 0
    rows = {r["year"]: r for r in batch.preview["rows"]}
    assert rows[2024]["fields"]["military_personnel_k"][1] == 500
    assert rows[2025]["fields"]["status"][1] == "estimate"
    assert rows[2024]["fields"]["status"][1] == "actual"


def test_a_reported_share_far_from_the_computed_one_is_a_warning():
    content = csv_bytes([["Table 3: share of GDP (%)"], ["", "2024"], ["Poland", "4.5"]])
    batch = preview(content)
    warnings = [m["message"] for m in batch.preview["messages"] if m["level"] == "warning"]
    assert any("POL 2024: NATO's reported share 4.5% differs from the 3.75%" in w for w in warnings)
    assert batch.status == ImportBatch.State.PREVIEWED


@pytest.mark.parametrize(("offset_pp", "warned"), [(0.03, False), (0.10, True)])
def test_a_reported_share_warns_once_it_is_more_than_005_points_from_the_computed_one(
    offset_pp, warned
):
    poland = YearlyFigure.objects.get(edition__slug="nato-2026", member__iso3="POL", year=2024)
    computed = 100 * poland.defence_usd_const2021_m / poland.gdp_usd_const2021_m
    reported = f"{computed + offset_pp:.2f}"
    content = csv_bytes([["Table 3: share of GDP (%)"], ["", "2024"], ["Poland", reported]])

    batch = preview(content)

    warnings = [m["message"] for m in batch.preview["messages"] if m["level"] == "warning"]
    assert any("POL 2024: NATO's reported share" in w for w in warnings) is warned


def test_the_command_previews_applies_and_refuses(tmp_path, capsys):
    path = tmp_path / "pol.csv"
    path.write_bytes(edited_export("POL", 2024, "military_personnel_k", "250"))
    call_command("import_figures", str(path), "--edition", "nato-2026", "--dry-run")
    assert "1 changed" in capsys.readouterr().out
    assert (
        YearlyFigure.objects.get(
            edition__slug="nato-2026", member__iso3="POL", year=2024
        ).military_personnel_k
        == 216.9
    )
    call_command("import_figures", str(path), "--edition", "nato-2026")
    assert (
        YearlyFigure.objects.get(
            edition__slug="nato-2026", member__iso3="POL", year=2024
        ).military_personnel_k
        == 250
    )

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["iso3", "year", "status"], ["XXX", "2024", "actual"]]))
    with pytest.raises(CommandError, match="refused, nothing written"):
        call_command("import_figures", str(bad), "--edition", "nato-2026")
    assert "“XXX” is not a NATO member" in capsys.readouterr().err
    with pytest.raises(CommandError, match="give a title"):
        call_command("import_figures", str(path), "--edition", "nato-2099")


def test_an_edition_of_reported_shares_only_is_shown_with_that_share_and_says_so(client):
    content = csv_bytes(
        [["Table 3: Defence expenditure as a share of GDP (%)"], ["", "2027e"], ["Poland", "5.1"]]
    )
    choice = choose_edition("nato-2027", title="NATO 2027", cutoff_on="2027-07-01")
    batch = preview_upload(content, "t3.csv", choice)
    apply_batch(batch.pk)
    html = client.get("/members/POL/").content.decode()
    assert "5.10%" in html
    assert "NATO&#x27;s reported share used" in html
    assert ">reported</span>" in html


def test_a_latin1_semicolon_nato_table_matches_accented_and_common_names():
    content = (
        "Tableau;;\n"
        "Table 6: Military personnel (thousands);;\n"
        ";2024;2025e\n"
        "Türkiye;355,2;355,9\n"
        "TURKEY ;;\n"
        "Czech Republic;26,1;\n"
        "Hellenic Republic;;\n"
    ).encode("latin-1")
    batch = preview(content, "t6.csv")
    assert batch.metric == "military_personnel_k"
    assert batch.counts["errors"] == 0, batch.preview["messages"]
    keys = [(r["code"], r["year"]) for r in batch.preview["rows"]]
    assert keys == [("TUR", 2024), ("TUR", 2025), ("CZE", 2024)]
    assert batch.preview["rows"][0]["fields"]["military_personnel_k"][1] == 355.2
    assert batch.preview["reading"]["encoding"] == "windows-1252"


def test_previewing_and_applying_every_row_takes_a_bounded_number_of_queries(
    django_assert_max_num_queries,
):
    rows = export_rows()
    column = EXPORT_COLUMNS.index("military_personnel_k")
    for row in rows[1:]:
        row[column] = 1 if row[column] == "" else row[column] + 1
    content = csv_bytes(rows)
    # 5, plus one to prune expired previews (spending/previews.py), plus two for the
    # plausibility check (the newest other edition, and its figures of these allies) and one
    # for the targets the effect preview judges.
    with django_assert_max_num_queries(9):
        batch = preview(content)
    assert batch.counts["changed"] == 403
    # Writing 403 rows, plus a fixed number to bump the data version and store every answer
    # computed from the new data (spending/answers.py: five reads, two per edition for the two
    # shipped editions, two deletes, the 889 stored rows in batches, more on SQLite, whose
    # statements hold fewer; the figures' summary, four reads, a delete and a row; the
    # overview's maths, spending/page_answers.py: five reads, a delete and a row): 50 in all,
    # measured on SQLite.
    with django_assert_max_num_queries(50):
        apply_batch(batch.pk)
    assert ImportChange.objects.filter(batch=batch).count() == 403
    # The same, and one more read for the batch it undoes.
    with django_assert_max_num_queries(51):
        rollback_batch(batch.pk)
