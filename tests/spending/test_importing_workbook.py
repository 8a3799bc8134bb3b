"""NATO's workbook as published goes in with one upload; a block whose metric is not certain is
refused naming the candidates, and nothing is written."""

import csv

import pytest

from spending.importing import ImportRefused, apply_batch, choose_edition, preview_upload
from spending.models import AggregateFigure, ImportBatch, YearlyFigure
from tests.spending.import_files import dump_figures, xlsx_bytes
from tests.spending.nato_workbooks import (
    FIGURES_2025,
    FIGURES_2026,
    build_workbook,
    read_values,
    sheets_2026,
    workbook_2025,
    workbook_2026,
)

pytestmark = pytest.mark.django_db


def shipped_values():
    """The number of values the shipped 2026 edition holds: one line of figures.csv each."""
    with open(FIGURES_2026, newline="", encoding="utf-8") as f:
        return sum(1 for row in csv.DictReader(f) if row["edition"] == "nato-2026")


# NATO prints no aggregate rows in Tables 1, 8a and 8b (fixtures/figures.csv has none).
NO_AGGREGATES = {"defence_nc_current_m", "defence_nc_const2021_m", "equipment_share_pct"}


def values_read(batch):
    return sum(1 for row in batch.preview["rows"] for name in row["fields"] if name != "status")


def test_the_2026_workbook_over_the_shipped_edition_changes_none_of_its_values():
    before = dump_figures()
    batch = preview_upload(workbook_2026(), "def-exp-2026-en.xlsx", choose_edition("nato-2026"))
    errors = [m["message"] for m in batch.preview["messages"] if m["level"] == "error"]
    assert errors == []
    assert values_read(batch) == shipped_values() == 6273
    assert batch.counts["new"] == 0
    assert batch.counts["changed"] == 0
    assert batch.counts["values_changed"] == 0
    assert len(batch.preview["blocks"]) == 15
    apply_batch(batch.pk)
    assert dump_figures() == before


T3 = "Table 3: Core defence expenditure as a share of GDP and annual real change"
T6 = "Table 6: GDP per capita and core defence expenditure per capita"
CONSTANT = "Constant 2021 prices and exchange rates"


def one_sheet(name, title, unit, blocks, **options):
    """A workbook of one NATO table holding the shipped values of its blocks' metrics."""
    values, _ = read_values(FIGURES_2026, edition="nato-2026")
    return build_workbook(
        [(name, title, unit, blocks)],
        values,
        list(range(2014, 2027)),
        estimates={2025, 2026},
        starred={"Slovenia"},
        **options,
    )


REFUSED = [
    # (case id, workbook, upload options, expected message fragments)
    (
        "Table 3 share block without its subtitle, titled share and real change",
        one_sheet("Table 3", T3, "Based on 2021 prices", [(None, "nato_share_of_gdp_pct")]),
        {},
        ["could be nato_share_of_gdp_pct or nato_real_change_pct", "Sheet “Table 3”, row 3"],
    ),
    (
        "Table 3 share block filed as real change by choice",
        one_sheet("Table 3", T3, "", [("Share of real GDP (%)", "nato_share_of_gdp_pct")]),
        {"metric": "nato_real_change_pct"},
        ["The chosen metric nato_real_change_pct does not fit", "names nato_share_of_gdp_pct"],
    ),
    (
        "Table 6 defence per capita block without its subtitle",
        one_sheet("Table 6", T6, CONSTANT, [(None, "defence_per_capita_const2021_usd")]),
        {},
        ["could be gdp_per_capita_const2021_kusd or defence_per_capita_const2021_usd"],
    ),
    (
        "Table 6 defence per capita block filed as GDP per capita by choice",
        one_sheet(
            "Table 6",
            T6,
            CONSTANT,
            [
                (
                    "Core defence expenditure per capita (US dollars)",
                    "defence_per_capita_const2021_usd",
                )
            ],
        ),
        {"metric": "gdp_per_capita_const2021_kusd"},
        ["does not fit", "names defence_per_capita_const2021_usd"],
    ),
    (
        "Table 5 whose title names neither GDP nor defence",
        one_sheet(
            "Table 5",
            "Table 5: Main economic aggregates",
            "Million US dollars",
            [(CONSTANT, "gdp_usd_const2021_m")],
        ),
        {},
        ["could be defence_usd_const2021_m or gdp_usd_const2021_m"],
    ),
    (
        "a subtitle contradicting its title",
        one_sheet(
            "Table 2",
            "Table 2: Core defence expenditure",
            "Million US dollars",
            [("GDP, current prices", "defence_usd_current_m")],
        ),
        {},
        ["The block's title lines contradict each other", "subject", "says defence", "says gdp"],
    ),
    (
        "a table with no metric in its title",
        one_sheet("Table 9", "Table 9: Something", "", [(None, "military_personnel_k")]),
        {},
        ["cannot be told from the title “Table 9: Something”: choose one"],
    ),
    (
        "a metric chosen for a sheet of two blocks",
        one_sheet(
            "Table 3",
            T3,
            "",
            [
                ("Share of real GDP (%)", "nato_share_of_gdp_pct"),
                ("Annual real change (%)", "nato_real_change_pct"),
            ],
        ),
        {"metric": "nato_share_of_gdp_pct"},
        ["A metric can be chosen only for a table of one block; this one has 2"],
    ),
    (
        "a workbook missing a block",
        workbook_2026(sheets=[s for s in sheets_2026() if s[0] != "Table 7"]),
        {},
        ["no block for military_personnel_k (Table 7, “Thousands”)"],
    ),
    (
        "a workbook holding one metric twice",
        workbook_2026(sheets=[*sheets_2026(), ("Copy", *sheets_2026()[2][1:])]),
        {},
        [
            "Sheet “Copy”, row 4: The block holds nato_share_of_gdp_pct again (first in "
            "sheet “Table 3”, row 4)"
        ],
    ),
    (
        "figures after the notes",
        workbook_2026(extra_rows={"Table 7": [["Poland", 1, 2]]}),
        {},
        ["Sheet “Table 7”, row 47: “Poland” holds figures after the notes, in no table"],
    ),
    (
        "an unknown name whose figures look like years",
        xlsx_bytes(
            {
                "Table 7": [
                    ["Table 7: Military personnel"],
                    ["Thousands"],
                    [None, 2023, 2024],
                    ["Poland", 200, 210],
                    ["Atlantis", 2019, 2020],
                ]
            }
        ),
        {},
        ["Sheet “Table 7”, cell A5: “Atlantis” is not a NATO member or aggregate"],
    ),
    (
        "a sheet of figures without a header row of years",
        workbook_2026(extra_sheets=[("Extra", [["Poland", 1, 2]])]),
        {},
        ["Sheet “Extra”, row 1: “Poland” holds figures above any header row of years"],
    ),
]


@pytest.mark.parametrize(
    ("content", "options", "expected"),
    [case[1:] for case in REFUSED],
    ids=[case[0] for case in REFUSED],
)
def test_a_block_whose_metric_is_not_certain_is_refused_and_nothing_is_written(
    content, options, expected
):
    before = dump_figures()
    batch = preview_upload(content, "nato.xlsx", choose_edition("nato-2026"), **options)
    errors = " | ".join(m["message"] for m in batch.preview["messages"] if m["level"] == "error")
    for fragment in expected:
        assert fragment in errors
    assert batch.status == ImportBatch.State.INVALID
    with pytest.raises(ImportRefused):
        apply_batch(batch.pk)
    assert dump_figures() == before


READ_RIGHT = [
    # (case id, one table as NATO prints it, its metrics): uploaded over the shipped edition it
    # changes nothing, so every value went to its own metric, none to a neighbour's.
    (
        "Table 3 share and real change",
        one_sheet(
            "Table 3",
            T3,
            "Based on 2021 prices and exchange rates",
            [
                ("Share of real GDP (%)", "nato_share_of_gdp_pct"),
                ("Annual real change (%)", "nato_real_change_pct"),
            ],
        ),
        ["nato_share_of_gdp_pct", "nato_real_change_pct"],
    ),
    (
        "Table 3 side by side",
        one_sheet(
            "Table 3",
            T3,
            "Based on 2021 prices and exchange rates",
            [
                ("Share of real GDP (%)", "nato_share_of_gdp_pct"),
                ("Annual real change (%)", "nato_real_change_pct"),
            ],
            side_by_side={"Table 3"},
        ),
        ["nato_share_of_gdp_pct", "nato_real_change_pct"],
    ),
    (
        "Table 6 GDP and defence per capita",
        one_sheet(
            "Table 6",
            T6,
            CONSTANT,
            [
                ("GDP per capita (thousand US dollars)", "gdp_per_capita_const2021_kusd"),
                (
                    "Core defence expenditure per capita (US dollars)",
                    "defence_per_capita_const2021_usd",
                ),
            ],
        ),
        ["gdp_per_capita_const2021_kusd", "defence_per_capita_const2021_usd"],
    ),
    (
        "Table 5 titled without the letters GDP",
        one_sheet(
            "Table 5",
            "Table 5: Gross domestic product",
            "Million US dollars",
            [
                ("Current prices and exchange rates", "gdp_usd_current_m"),
                (CONSTANT, "gdp_usd_const2021_m"),
            ],
        ),
        ["gdp_usd_current_m", "gdp_usd_const2021_m"],
    ),
    (
        "Table 3 share block alone, titled share only",
        one_sheet(
            "Table 3",
            "Table 3: Defence expenditure as a share of GDP (%)",
            "Based on 2021 prices",
            [(None, "nato_share_of_gdp_pct")],
        ),
        ["nato_share_of_gdp_pct"],
    ),
]


@pytest.mark.parametrize(
    ("content", "metrics"),
    [case[1:] for case in READ_RIGHT],
    ids=[case[0] for case in READ_RIGHT],
)
def test_each_block_of_a_nato_table_is_read_as_its_own_metric(content, metrics):
    batch = preview_upload(content, "nato.xlsx", choose_edition("nato-2026"))
    assert [m["message"] for m in batch.preview["messages"] if m["level"] == "error"] == []
    assert [block["metric"] for block in batch.preview["blocks"]] == metrics
    assert batch.counts["changed"] == 0
    assert batch.counts["new"] == 0
    # 31 allies x 13 years, plus the 2 aggregates' 13 years where NATO prints them.
    expected = sum(403 + (26 if metric not in NO_AGGREGATES else 0) for metric in metrics)
    assert values_read(batch) == expected


def test_the_2025_workbook_as_a_new_edition_loads_every_share_it_holds_in_one_step():
    # The shipped 2025 edition's values (fixtures/figures_2025_edition.csv), into a fresh edition.
    expected, _ = read_values(FIGURES_2025, edition="nato-2025")
    choice = choose_edition("nato-2025-upload", title="NATO 2025 (upload)", cutoff_on="2025-06-03")
    batch = preview_upload(workbook_2025(), "def-exp-2025-en.xlsx", choice)
    assert [m["message"] for m in batch.preview["messages"] if m["level"] == "error"] == []
    blocks = batch.preview["blocks"]
    assert blocks[-1] == {"sheet": "Notes to readers", "metric": "", "note": "no table: not read"}
    held = {b["metric"]: b["values"] for b in blocks if b.get("values")}
    assert held == {
        "nato_share_of_gdp_pct": sum(1 for key in expected if key[2] == "nato_share_of_gdp_pct"),
        "equipment_share_pct": 1,
    }
    apply_batch(batch.pk)
    stored = {}
    for model, code in ((YearlyFigure, "member__iso3"), (AggregateFigure, "aggregate")):
        rows = model.objects.filter(edition__slug="nato-2025-upload").values_list(
            code, "year", "nato_share_of_gdp_pct", "equipment_share_pct"
        )
        for who, year, share, equipment in rows:
            if share is not None:
                stored[(who, year, "nato_share_of_gdp_pct")] = share
            if equipment is not None:
                stored[(who, year, "equipment_share_pct")] = equipment
    assert stored == expected


def test_a_wide_sheet_behind_an_empty_cover_is_read_and_the_other_sheets_are_named():
    head = ["iso3", "year", "status", "military_personnel_k"]
    content = xlsx_bytes(
        {"Cover": [], "Data": [head, ["POL", 2024, "actual", 216.9]], "Old": [head]}
    )
    batch = preview_upload(content, "figures.xlsx", choose_edition("nato-2026"))
    assert batch.counts["errors"] == 0
    assert batch.counts["unchanged"] == 1
    warnings = [m["message"] for m in batch.preview["messages"] if m["level"] == "warning"]
    assert "Only the sheet “Data” is read, not “Old”: choose a sheet" in warnings
