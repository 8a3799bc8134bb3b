"""NATO's def-exp-YYYY-en.xlsx as published, rebuilt with openpyxl from the project's data.

The layout follows the public parsers of NATO's 2025 and 2026 workbooks (mattahr/ha-edp-radar,
xternal/public-ledger, QDThead/weapons-tracker): one sheet per table, A1 the title, A2 a unit
line, then blocks stacked one under the other, each a subtitle row (text in column A only), a
header row (A empty, years as numbers, estimates as text "2025e"), the allies in NATO's order
and spelling (Table 1 with the currency: "Italy (Euros)"; footnote stars: "Slovenia*"), the two
aggregate rows where NATO prints them, and a blank row; a "Notes:" block closes the sheet.
".." means not available. The values are written exactly as the data holds them, which is as
NATO printed them (the 2026 edition rounded, the 2025 edition's shares at full precision).
"""

import csv
import io
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[2]
# The project's copies of ../shared/data/nato/figures.csv and figures_2025_edition.csv.
FIGURES_2026 = ROOT / "fixtures" / "figures.csv"
FIGURES_2025 = ROOT / "fixtures" / "figures_2025_edition.csv"
MEMBERS = ROOT / "fixtures" / "members.csv"
NOT_AVAILABLE = ".."
AGGREGATE_ROWS = [("NATO_EUR_CAN", "NATO Europe and Canada"), ("NATO_TOTAL", "NATO Total")]
# How Table 1 names each national currency after the ally's name (NATO's plural forms).
CURRENCY_LABELS = {
    "ALL": "Leks",
    "EUR": "Euros",
    "CAD": "Canadian dollars",
    "CZK": "Koruny",
    "DKK": "Kroner",
    "HUF": "Forint",
    "MKD": "Denars",
    "NOK": "Kroner",
    "PLN": "Zlotys",
    "RON": "Lei",
    "SEK": "Kronor",
    "TRY": "Liras",
    "GBP": "Pounds",
    "USD": "US dollars",
}
# The shared compilation's metric names -> the app's.
SHARED_METRIC_NAMES = {
    "defexp_share_gdp_pct": "nato_share_of_gdp_pct",
    "defexp_real_change_pct": "nato_real_change_pct",
}


def sheets_2026(core="Core defence expenditure"):
    """(sheet, title, unit line, [(subtitle, metric), ...]) of the 2026 edition."""
    lower = core[:1].lower() + core[1:]
    return [
        (
            "Table 1",
            f"Table 1: {core}",
            "Million national currency",
            [("Current prices", "defence_nc_current_m"),
             ("Constant 2021 prices", "defence_nc_const2021_m")],
        ),
        (
            "Table 2",
            f"Table 2: {core}",
            "Million US dollars",
            [("Current prices and exchange rates", "defence_usd_current_m"),
             ("Constant 2021 prices and exchange rates", "defence_usd_const2021_m")],
        ),
        (
            "Table 3",
            f"Table 3: {core} as a share of GDP and annual real change",
            "Based on 2021 prices and exchange rates",
            [("Share of real GDP (%)", "nato_share_of_gdp_pct"),
             ("Annual real change (%)", "nato_real_change_pct")],
        ),
        (
            "Table 5",
            "Table 5: Gross domestic product",
            "Million US dollars",
            [("Current prices and exchange rates", "gdp_usd_current_m"),
             ("Constant 2021 prices and exchange rates", "gdp_usd_const2021_m")],
        ),
        (
            "Table 6",
            f"Table 6: GDP per capita and {lower} per capita",
            "Constant 2021 prices and exchange rates",
            [("GDP per capita (thousand US dollars)", "gdp_per_capita_const2021_kusd"),
             (f"{core} per capita (US dollars)", "defence_per_capita_const2021_usd")],
        ),
        (
            "Table 7",
            "Table 7: Military personnel",
            "Armed forces of each ally",
            [("Thousands", "military_personnel_k")],
        ),
        (
            "Table 8a",
            f"Table 8a: {core} by main category",
            f"Percentage of {lower}",
            [("Equipment (a)", "equipment_share_pct"), ("Personnel (b)", "personnel_share_pct")],
        ),
        (
            "Table 8b",
            f"Table 8b: {core} by main category",
            f"Percentage of {lower}",
            [("Infrastructure (c)", "infrastructure_share_pct"), ("Other (d)", "other_share_pct")],
        ),
    ]  # fmt: skip


NOTES = [
    "Notes:",
    "Figures for the estimate years (e) are NATO estimates.",
    ".. : not available.",
    "* Footnote on this ally's figures in NATO's publication.",
    "(a) Major equipment expenditure, including related research and development.",
    "(b) Military and civilian personnel expenditure and pensions.",
    "(c) NATO common infrastructure and national military construction.",
    "(d) Operations and maintenance expenditure, other R&D expenditure and others.",
]


def read_members():
    """The allies NATO tables list, in NATO's table order: [(iso3, NATO name, currency)]."""
    with open(MEMBERS, newline="", encoding="utf-8") as f:
        rows = [row for row in csv.DictReader(f) if row["nato_table_order"]]
    rows.sort(key=lambda row: int(row["nato_table_order"]))
    return [(row["iso3"], row["nato_name"], row["nc_currency"]) for row in rows]


def read_values(path, edition=None):
    """{(code, year, metric): float} of a long figures CSV; the first value of each key wins."""
    values, statuses = {}, {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if edition and row.get("edition", edition) != edition:
                continue
            metric = SHARED_METRIC_NAMES.get(row["metric"], row["metric"])
            key = (row["iso3"], int(row["year"]), metric)
            values.setdefault(key, float(row["value"]))
            statuses[int(row["year"])] = statuses.get(int(row["year"])) or row["status"]
    return values, statuses


def year_header(years, estimates):
    return [None, *(f"{year}e" if year in estimates else year for year in years)]


def label(name, currency, table, starred):
    text = f"{name}*" if name in starred else name
    if table == "Table 1":
        text += f" ({CURRENCY_LABELS[currency]})"
    return text


def block_rows(metric, values, years, estimates, table, starred):
    """A block's header, ally rows and the aggregate rows where the data has them."""
    rows = [year_header(years, estimates)]
    for iso3, name, currency in read_members():
        cells = [values.get((iso3, year, metric), NOT_AVAILABLE) for year in years]
        rows.append([label(name, currency, table, starred), *cells])
    for code, name in AGGREGATE_ROWS:
        if any((code, year, metric) in values for year in years):
            rows.append(
                [name, *(values.get((code, year, metric), NOT_AVAILABLE) for year in years)]
            )
    return rows


def build_workbook(
    sheets, values, years, estimates, starred, extra_sheets=(), side_by_side=(), extra_rows=None
):
    """The workbook's bytes; sheets named in side_by_side get their blocks next to each other,
    extra_rows ({sheet: rows}) go after a sheet's notes."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, title, unit, blocks in sheets:
        sheet = workbook.create_sheet(name)
        sheet.append([title])
        sheet.append([unit])
        parts = [
            [
                *([[subtitle]] if subtitle else []),
                *block_rows(metric, values, years, estimates, name, starred),
            ]
            for subtitle, metric in blocks
        ]
        if name in side_by_side:
            width = len(years) + 2  # the names column, the years and a blank column
            height = max(len(part) for part in parts)
            for index in range(height):
                row = []
                for part in parts:
                    cells = part[index] if index < len(part) else []
                    row += [*cells, *[None] * (width - len(cells))]
                sheet.append(row)
            sheet.append([])
        else:
            for part in parts:
                for row in part:
                    sheet.append(row)
                sheet.append([])
        for line in NOTES:
            sheet.append([line])
        for row in (extra_rows or {}).get(name, []):
            sheet.append(row)
    for name, rows in extra_sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def workbook_2026(sheets=None, **options):
    """NATO's 2026 workbook (2014-2026, 2025e and 2026e) holding the shipped nato-2026 values."""
    values, _ = read_values(FIGURES_2026, edition="nato-2026")
    years = list(range(2014, 2027))
    return build_workbook(
        sheets or sheets_2026(),
        values,
        years,
        estimates={2025, 2026},
        starred={"Slovenia"},
        **options,
    )


def workbook_2025(path=FIGURES_2025, edition="nato-2025"):
    """NATO's 2025 workbook (2014-2025, 2024e and 2025e; "Defence expenditure") from a long
    CSV of that edition's values (the shipped ones by default; the compilation in
    ../shared/data/nato/ with edition=None), with a ninth sheet of notes to readers."""
    values, _ = read_values(path, edition=edition)
    years = list(range(2014, 2026))
    notes_sheet = [
        ["Notes to readers"],
        ["Defence expenditure as defined by NATO; fiscal years labelled by the calendar year "
         "holding most of their months."],
        ["Figures for 2024 and 2025 are estimates."],
    ]  # fmt: skip
    return build_workbook(
        sheets_2026(core="Defence expenditure"),
        values,
        years,
        estimates={2024, 2025},
        starred={"Sweden"},
        extra_sheets=[("Notes to readers", notes_sheet)],
    )
