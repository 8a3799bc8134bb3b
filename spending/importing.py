"""Writes of figures and reference data: the one way data gets into the database.

An upload goes through four steps, split as in pretix's modelimport:

1. ``read_table``: bytes of a CSV or XLSX file -> a ``Table`` of raw cells with their line or cell
   reference (size, type, encoding, separator and zip-bomb checks happen here).
2. ``parse_table``: the table -> one ``Record`` per member-year (or aggregate-year) in one of
   three layouts (wide, long, NATO table), every cell checked where it stands.
3. ``validate_records``: checks across rows (Iceland, accession, duplicates, reported share).
4. ``build_preview``: each record against the database -> new, changed, unchanged or error, as
   django-import-export does; stored on an ``ImportBatch`` and applied by ``apply_batch`` in one
   transaction; ``rollback_batch`` undoes it.

The admin page, ``POST /api/v1/imports/`` and ``manage.py import_figures`` are thin wrappers
around ``preview_upload``, ``apply_batch`` and ``rollback_batch``.

The shipped fixtures load through ``load_fixtures``; it is idempotent: what exists already is
kept as it is (an admin's edits to a target survive ``make run``), what is missing is created.
Its figures go through the same parse, validate and write steps as an upload.
"""

import csv
import hashlib
import io
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.models import FiscalYear, Member
from spending import answers, previews, writes
from spending.models import (
    AMOUNT_FIELDS,
    METRIC_FIELDS,
    RELATED_FIELD,
    SHARE_FIELDS,
    Aggregate,
    AggregateFigure,
    DataVersion,
    Edition,
    ImportBatch,
    ImportChange,
    SeriesBreak,
    Status,
    Target,
    YearlyFigure,
)

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"

FIRST_YEAR = 1949  # the North Atlantic Treaty
VALUE_FIELDS = [*METRIC_FIELDS, RELATED_FIELD]
NON_NEGATIVE_FIELDS = {*AMOUNT_FIELDS, RELATED_FIELD}
TEXT_FIELDS = ["source_id", "note"]
# Columns of the wide layout, in the order of the API's figures CSV export.
WIDE_COLUMNS = ["iso3", "year", "edition", "status", *METRIC_FIELDS, RELATED_FIELD]
WIDE_REQUIRED = ["iso3", "year", "status"]
# Computed by the app from the constant-price amounts; an export carries it, an import ignores it.
WIDE_IGNORED = ["share_of_gdp_pct"]
LONG_REQUIRED = ["iso3", "year", "metric", "value", "status"]
LONG_OPTIONAL = ["edition", *TEXT_FIELDS]
# NATO prints its share of GDP rounded to 2 decimals; more than this apart is worth a look.
SHARE_TOLERANCE_PP = 0.05
MAX_SHOWN_CONFLICTS = 10
# A file with an error on every row would otherwise store and show tens of thousands of them.
MAX_LISTED_MESSAGES = 1000
# ImportChange.field of a change that created (or deleted) a whole row.
ROW_FIELD = "*"

# Names that are neither ISO codes nor the names in members.csv but appear in NATO's tables or
# in common use. NATO writes EL for Greece and UK for the United Kingdom (EU protocol order).
MEMBER_ALIASES = {
    "el": "GRC",
    "uk": "GBR",
    "turkey": "TUR",
    "czech republic": "CZE",
    "slovak republic": "SVK",
    "republic of north macedonia": "MKD",
    "the netherlands": "NLD",
    "great britain": "GBR",
    "united states of america": "USA",
    "the united states": "USA",
}
AGGREGATE_ALIASES = {
    "nato europe and canada": Aggregate.EUROPE_CANADA,
    "nato europe canada": Aggregate.EUROPE_CANADA,
    "nato europe amp canada": Aggregate.EUROPE_CANADA,
    "europe and canada": Aggregate.EUROPE_CANADA,
    "nato total": Aggregate.NATO_TOTAL,
    "total nato": Aggregate.NATO_TOTAL,
    "nato": Aggregate.NATO_TOTAL,
    "nato eur can": Aggregate.EUROPE_CANADA,
}
# Title-line words -> metric for the NATO table layout; the first rule whose words all appear
# wins, so the more specific rules come first (NATO's table titles, 2014-2026 edition).
TITLE_RULES = [
    (("per capita", "gdp"), "gdp_per_capita_const2021_kusd"),
    (("per capita",), "defence_per_capita_const2021_usd"),
    (("real change",), "nato_real_change_pct"),
    (("share of gdp",), "nato_share_of_gdp_pct"),
    (("% of gdp",), "nato_share_of_gdp_pct"),
    (("military personnel",), "military_personnel_k"),
    (("equipment",), "equipment_share_pct"),
    (("infrastructure",), "infrastructure_share_pct"),
    (("personnel",), "personnel_share_pct"),
    (("other",), "other_share_pct"),
    (("gdp", "constant"), "gdp_usd_const2021_m"),
    (("gdp", "current"), "gdp_usd_current_m"),
    (("national currency", "constant"), "defence_nc_const2021_m"),
    (("national currency",), "defence_nc_current_m"),
    (("us dollars", "constant"), "defence_usd_const2021_m"),
    (("usd", "constant"), "defence_usd_const2021_m"),
    (("us dollars",), "defence_usd_current_m"),
    (("usd",), "defence_usd_current_m"),
]
# How NATO and spreadsheets write "no figure"; a NaN or an infinity is an error, not a gap.
NULL_TEXTS = {"", "-", "–", "—", "..", "...", "n/a", "na", "n.a."}
PLAIN_NUMBER = re.compile(r"-?\d{1,15}(\.\d{1,15})?")
YEAR_HEADER = re.compile(r"^(\d{4})(?:\.0)?\s*([eE])?[\s*†‡¹²³⁴⁵⁶⁷⁸⁹⁰()\d]*$")


class ImportRefused(Exception):
    """An apply or rollback that could not be carried out; nothing was written."""


# --- messages ---------------------------------------------------------------------------------


@dataclass
class Message:
    """One finding about the upload: where it is, which column, which value, what is wrong."""

    level: str  # "error" or "warning"
    text: str
    where: str = ""
    column: str = ""
    value: str = ""
    key: tuple | None = None  # the record it belongs to, if any

    def as_dict(self):
        return {
            "level": self.level,
            "where": self.where,
            "column": self.column,
            "value": self.value,
            "text": self.text,
            "message": str(self),
        }

    def __str__(self):
        parts = []
        if self.where:
            parts.append(self.where[:1].upper() + self.where[1:])
        if self.column:
            parts.append(f"column {self.column}")
        head = ", ".join(parts)
        value = f"“{self.value}” " if self.value != "" else ""
        text = f"{value}{self.text}" if value else self.text[:1].upper() + self.text[1:]
        return f"{head}: {text}" if head else text


def shown(value, limit=60):
    """A cell's value as text for a message, cut to a readable length."""
    text = "" if value is None else str(value)
    text = text.replace("\r", " ").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- 1. read_table ----------------------------------------------------------------------------


@dataclass
class Table:
    """Raw cells of one CSV file or one worksheet, each row with its 1-based line or row number."""

    rows: list  # [(number, [cell, ...]), ...]; cells are str, int, float or None
    sheet: str | None = None
    messages: list = field(default_factory=list)
    decimal_comma: bool = False  # a semicolon CSV or a workbook: "2,05" means 2.05

    def where(self, number, col=None):
        """The place of a row or cell as the user sees it in their file."""
        if self.sheet is None:
            return f"line {number}"
        if col is None:
            return f"sheet “{self.sheet}”, row {number}"
        return f"sheet “{self.sheet}”, cell {column_letter(col)}{number}"


class TableError(Exception):
    """The file could not be read as a table at all."""

    def __init__(self, *messages):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = list(messages)


def column_letter(col):
    """The spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_table(data, file_name, sheet=None):
    """The upload's cells as a Table; raises TableError saying what is wrong with the file."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise TableError(
            Message(
                "error",
                f"The file is {len(data):,} bytes, more than the limit of {limit:,} bytes.",
            )
        )
    if not data.strip():
        raise TableError(Message("error", "The file is empty."))
    suffix = Path(file_name or "").suffix.lower()
    if suffix == ".csv":
        if sheet:
            raise TableError(Message("error", "A CSV file has no sheets: leave the sheet empty."))
        return read_csv_table(data)
    if suffix == ".xlsx":
        return read_xlsx_table(data, sheet)
    raise TableError(Message("error", f"“{shown(file_name)}” is neither a .csv nor an .xlsx file."))


def read_csv_table(data):
    """A CSV file's rows: UTF-8 (BOM or not) or Latin-1, comma, semicolon or tab separated."""
    if data.startswith(b"PK\x03\x04"):
        raise TableError(
            Message("error", "This is a zip or XLSX file under a .csv name: save it as CSV.")
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError(
            Message("error", "This is an old Excel .xls file under a .csv name: save it as CSV.")
        )
    if b"\x00" in data:
        raise TableError(
            Message("error", "This is a binary file, not CSV text (or UTF-16: save it as UTF-8).")
        )
    messages = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        messages.append(Message("warning", "The file is not UTF-8; it was read as Latin-1."))
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, previous_end = [], 0
    budget = ReadingBudget("file")
    try:
        for cells in reader:
            rows.append((previous_end + 1, cells))
            previous_end = reader.line_num
            budget.count(cells)
    except csv.Error as error:
        raise TableError(
            Message("error", f"The CSV cannot be read: {error}.", where=f"line {previous_end + 1}")
        ) from None
    return Table(rows=rows, messages=messages, decimal_comma=delimiter == ";")


def sniff_delimiter(text):
    """ ",", ";" or tab: the one splitting most of the first lines into the same number of cells."""
    lines = [line for line in text.splitlines()[:50] if line.strip()][:30]

    def score(candidate):
        counts = [line.count(candidate) for line in lines if line.count(candidate)]
        if not counts:
            return 0
        modal = max(set(counts), key=counts.count)
        return counts.count(modal)

    return max([",", ";", "\t"], key=score)


def check_xlsx_zip(data):
    """Refuses a file that is not a zip, or whose zip could expand into a bomb."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            text = "This is an old Excel .xls file: save it as .xlsx or CSV."
        else:
            text = "This is not an XLSX workbook (an .xlsx file is a zip archive)."
        raise TableError(Message("error", text))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TableError(Message("error", "The XLSX zip archive is damaged.")) from None
    max_entries = settings.IMPORT_MAX_XLSX_ENTRIES
    if len(entries) > max_entries:
        raise TableError(
            Message(
                "error",
                f"The XLSX archive holds {len(entries):,} files, more than the limit of "
                f"{max_entries:,}.",
            )
        )
    expanded = sum(entry.file_size for entry in entries)
    max_expanded = settings.IMPORT_MAX_XLSX_EXPANDED_BYTES
    if expanded > max_expanded:
        raise TableError(
            Message(
                "error",
                f"The XLSX archive expands to {expanded:,} bytes, more than the limit of "
                f"{max_expanded:,}.",
            )
        )
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise TableError(
            Message("error", "This zip archive is not an XLSX workbook (no xl/workbook.xml).")
        )


def caused_by(error, kind):
    """Whether error or any exception behind it (openpyxl wraps them) is of this kind."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, kind):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


class ReadingBudget:
    """Rows and cells read so far, refused the moment either passes its limit (settings
    IMPORT_MAX_ROWS, IMPORT_MAX_CELLS): a small file that expands to a huge table is stopped
    while it is read, in a fraction of a second, not after minutes of validation."""

    def __init__(self, what):
        self.what, self.rows, self.cells = what, 0, 0

    def count(self, cells):
        self.rows += 1
        self.cells += len(cells)
        if self.rows > settings.IMPORT_MAX_ROWS:
            raise TableError(
                Message(
                    "error",
                    f"The {self.what} has more than {settings.IMPORT_MAX_ROWS:,} rows "
                    "(IMPORT_MAX_ROWS); split it or remove empty rows.",
                    where=f"row {self.rows}",
                )
            )
        if self.cells > settings.IMPORT_MAX_CELLS:
            raise TableError(
                Message(
                    "error",
                    f"The {self.what} has more than {settings.IMPORT_MAX_CELLS:,} cells "
                    "(IMPORT_MAX_CELLS); remove unused columns or split it.",
                    where=f"row {self.rows}",
                )
            )


def read_xlsx_table(data, sheet=None):
    """One worksheet's rows (the first, or the named one) read with openpyxl in read-only mode."""
    check_xlsx_zip(data)
    # openpyxl parses the workbook's XML with defusedxml whenever it is installed.
    import openpyxl
    from defusedxml import DefusedXmlException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        if caused_by(error, DefusedXmlException):
            raise TableError(
                Message(
                    "error", "The workbook's XML declares entities or a DTD, which are refused."
                )
            ) from None
        raise TableError(
            Message("error", f"The XLSX workbook cannot be read ({type(error).__name__}).")
        ) from None
    try:
        names = workbook.sheetnames
        if sheet:
            if sheet not in names:
                listed = ", ".join(f"“{shown(name)}”" for name in names)
                raise TableError(
                    Message(
                        "error", f"There is no sheet “{shown(sheet)}”; the sheets are {listed}."
                    )
                )
            name = sheet
        elif names:
            name = names[0]
        else:
            raise TableError(Message("error", "The workbook has no sheets."))
        rows = []
        budget = ReadingBudget("sheet")
        worksheet = workbook[name]
        # Read-only mode trusts the sheet's declared dimensions, which some tools write wrong.
        worksheet.reset_dimensions()
        try:
            for number, cells in enumerate(
                worksheet.iter_rows(min_row=1, values_only=True), start=1
            ):
                rows.append((number, list(cells)))
                budget.count(cells)
        except DefusedXmlException:
            raise TableError(
                Message("error", "The sheet's XML declares entities or a DTD, which are refused.")
            ) from None
        except TableError:
            raise
        except Exception as error:
            raise TableError(
                Message(
                    "error", f"The sheet “{shown(name)}” cannot be read ({type(error).__name__})."
                )
            ) from None
    finally:
        workbook.close()
    return Table(rows=rows, sheet=name, decimal_comma=True)


# --- 2. parse_table ---------------------------------------------------------------------------


@dataclass
class Record:
    """The values one file gives for one member-year or aggregate-year."""

    kind: str  # "member" or "aggregate"
    code: str  # ISO3 or the aggregate's code
    year: int
    where: str
    values: dict = field(default_factory=dict)  # field -> float, None or text
    cells: dict = field(default_factory=dict)  # field -> where the value stands

    @property
    def key(self):
        return (self.kind, self.code, self.year)


@dataclass
class Parsed:
    """A parsed upload: its layout, its records and every message found so far."""

    file_format: str
    records: list
    messages: list
    metric: str = ""

    @property
    def errors(self):
        return [m for m in self.messages if m.level == "error"]


def normalise_name(text):
    """Lower-case ASCII words of a name: accents, footnote marks and punctuation dropped."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("&", " and ")
    text = re.sub(r"\(\s*[^)]*\)", " ", text)  # "(1)", "(a)" footnote marks
    text = re.sub(r"[^a-z ]+", " ", text)
    return " ".join(text.split())


class MemberMatcher:
    """Finds a member or an aggregate from an ISO code, NATO's name or a common name."""

    def __init__(self, members=None):
        members = list(Member.objects.all()) if members is None else members
        self.members = {m.iso3: m for m in members}
        self.names = {}
        for member in members:
            for name in (member.iso2, member.iso3, member.name, member.nato_name):
                if name:
                    self.names[normalise_name(name)] = ("member", member.iso3)
        for alias, iso3 in MEMBER_ALIASES.items():
            if iso3 in self.members:
                self.names[alias] = ("member", iso3)
        for code in Aggregate:
            self.names[normalise_name(code.value)] = ("aggregate", code.value)
            self.names[normalise_name(code.label)] = ("aggregate", code.value)
        for alias, code in AGGREGATE_ALIASES.items():
            self.names[alias] = ("aggregate", code.value)

    def match(self, text):
        """("member", ISO3) or ("aggregate", code), or None when nothing matches."""
        if text is None:
            return None
        text = str(text).strip()
        if text.startswith("'"):
            text = text[1:]
        return self.names.get(normalise_name(text))


def clean_text(value):
    """A cell as stripped text, with one spreadsheet-injection escape (a leading ') removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'"):
        text = text[1:].strip()
    return text


def parse_number(value, decimal_comma=False):
    """A cell as a float, None for an empty cell; ValueError with the reason otherwise."""
    if value is None:
        return None
    if isinstance(value, str) and PLAIN_NUMBER.fullmatch(value):
        return float(value)  # the common case, as an export writes it: no clean-up needed
    if isinstance(value, bool):
        raise ValueError("is not a number")
    if isinstance(value, int | float):
        number = float(value)
    else:
        if not isinstance(value, str):
            raise ValueError("is not a number")
        text = clean_text(value)
        if text.casefold() in NULL_TEXTS:
            return None
        text = text.removesuffix("%").strip()
        # Thousands separators: spaces, thin and no-break spaces, apostrophes.
        text = re.sub(r"[\s\u00a0\u202f\u2009’]", "", text)
        text = text.replace("−", "-")  # the minus sign NATO's PDFs print
        if "," in text and "." in text:
            if text.rfind(",") > text.rfind("."):
                text = text.replace(".", "").replace(",", ".")
            else:
                text = text.replace(",", "")
        elif "," in text:
            if re.fullmatch(r"-?\d{1,3}(,\d{3}){2,}", text):
                text = text.replace(",", "")
            elif re.fullmatch(r"-?\d{1,3},\d{3}", text) and not decimal_comma:
                raise ValueError("is ambiguous: write 1234 or 1.234 (no thousands comma)")
            elif text.count(",") == 1:
                text = text.replace(",", ".")
            else:
                raise ValueError("is not a number")
        if not re.fullmatch(
            r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|[-+]?(inf|infinity|nan)", text, re.I
        ):
            raise ValueError("is not a number")
        number = float(text)
    if not math.isfinite(number):
        raise ValueError("is not a finite number")
    return number


def read_value(name, raw, decimal_comma=False):
    """(number or None, reason it is refused or None) for one cell of metric `name`."""
    try:
        value = parse_number(raw, decimal_comma)
    except ValueError as error:
        return None, str(error)
    return value, check_value(name, value)


def check_value(name, number):
    """The reason a number cannot be stored in this field, or None when it can."""
    if number is None:
        return None
    if name in NON_NEGATIVE_FIELDS and number < 0:
        return "is negative; an amount must be 0 or more"
    if name in SHARE_FIELDS and not 0 <= number <= 100:
        return "is outside 0–100; a share must be a percentage"
    return None


def parse_year(value):
    """A year cell as an int in FIRST_YEAR..next year; ValueError with the reason otherwise."""
    if isinstance(value, bool) or value is None:
        raise ValueError("is not a year")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("is not a whole year")
        value = int(value)
    if isinstance(value, str):
        text = clean_text(value)
        if not re.fullmatch(r"\d{4}", text):
            raise ValueError("is not a year (four digits expected)")
        value = int(text)
    if not isinstance(value, int):
        raise ValueError("is not a year")
    last = date.today().year + 1
    if not FIRST_YEAR <= value <= last:
        raise ValueError(f"is outside {FIRST_YEAR}..{last}")
    return value


STATUS_WORDS = {
    "actual": Status.ACTUAL,
    "a": Status.ACTUAL,
    "estimate": Status.ESTIMATE,
    "estimated": Status.ESTIMATE,
    "e": Status.ESTIMATE,
}


def parse_status(value):
    """A status cell as "actual" or "estimate"; ValueError with the reason otherwise."""
    text = clean_text(value).casefold()
    if not text:
        raise ValueError("is empty; the status must be actual or estimate")
    if text not in STATUS_WORDS:
        raise ValueError("is not a status; write actual or estimate")
    return STATUS_WORDS[text].value


def header_key(value):
    """A header cell as a column name: stripped, lower-case, BOM and a leading ' removed."""
    return clean_text(value).lstrip("\ufeff").strip().casefold()


def find_header(table):
    """(index in table.rows, cells) of the first non-empty row, or (None, None)."""
    for index, (_, cells) in enumerate(table.rows):
        if any(clean_text(c) for c in cells):
            return index, cells
    return None, None


def parse_table(table, matcher=None, metric=None, edition_slug=None):
    """The table's records in whichever layout its header shows, with every cell checked."""
    matcher = matcher or MemberMatcher()
    index, header = find_header(table)
    if header is None:
        return Parsed("", [], [*table.messages, Message("error", "The file has no rows.")])
    names = [header_key(c) for c in header]
    if "metric" in names or "value" in names:
        parsed = parse_long(table, index, names, matcher, edition_slug)
    elif "iso3" in names or ("year" in names and "status" in names):
        parsed = parse_wide(table, index, names, matcher, edition_slug)
    else:
        parsed = parse_nato_table(table, matcher, metric)
    parsed.messages[:0] = table.messages
    if not parsed.records and not parsed.errors:
        parsed.messages.append(Message("error", "The file has a header but no figures."))
    return parsed


def check_columns(table, number, names, required, known):
    """Messages for missing, repeated and unknown header columns."""
    messages = []
    missing = [name for name in required if name not in names]
    if missing:
        messages.append(
            Message(
                "error",
                "required column(s) missing: " + ", ".join(missing),
                where=table.where(number),
            )
        )
    seen = set()
    for col, name in enumerate(names):
        if not name:
            continue
        if name in seen:
            messages.append(
                Message(
                    "error",
                    "appears twice in the header",
                    where=table.where(number, col),
                    value=name,
                )
            )
        seen.add(name)
        if name not in known:
            messages.append(
                Message(
                    "warning",
                    "is not a known column and is ignored",
                    where=table.where(number, col),
                    value=name,
                )
            )
    return messages


def cell(cells, col):
    return cells[col] if col is not None and col < len(cells) else None


def locate(table, number, col, name):
    """(where, column) for a message about one cell."""
    if table.sheet is None:
        return table.where(number), name
    return table.where(number, col), name


def read_key(table, number, cells, cols, matcher, messages):
    """(kind, code, year) from a row's iso3 and year cells, or None after adding the errors."""
    code_cell, year_cell = cell(cells, cols["iso3"]), cell(cells, cols["year"])
    found = matcher.match(code_cell)
    where, column = locate(table, number, cols["iso3"], "iso3")
    ok = True
    if found is None:
        text = clean_text(code_cell)
        reason = "is empty; every row needs a member" if not text else "is not a NATO member"
        messages.append(Message("error", reason, where=where, column=column, value=shown(text)))
        ok = False
    try:
        year = parse_year(year_cell)
    except ValueError as error:
        where, column = locate(table, number, cols["year"], "year")
        messages.append(
            Message("error", str(error), where=where, column=column, value=shown(year_cell))
        )
        ok = False
    return (found[0], found[1], year) if ok else None


def note_edition(table, number, cells, cols, edition_slug, mismatched):
    if edition_slug and "edition" in cols:
        value = clean_text(cell(cells, cols["edition"]))
        if value and value != edition_slug:
            mismatched.setdefault(value, table.where(number))


def edition_warning(mismatched, edition_slug):
    return [
        Message(
            "warning",
            f"the file's edition column says “{shown(slug)}” but the figures go into edition "
            f"“{edition_slug}”",
            where=f"from {where}",
        )
        for slug, where in mismatched.items()
    ]


def read_header(table, header_index, names, required, known):
    """({column name: first position}, messages) of a header row; (None, messages) on errors."""
    messages = check_columns(table, table.rows[header_index][0], names, required, known)
    if any(m.level == "error" for m in messages):
        return None, messages
    cols = {}
    for col, name in enumerate(names):
        cols.setdefault(name, col)
    return cols, messages


def parse_wide(table, header_index, names, matcher, edition_slug=None):
    """Wide layout: one row per member-year, one column per metric; an empty cell is null."""
    known = set(WIDE_COLUMNS) | set(WIDE_IGNORED)
    cols, messages = read_header(table, header_index, names, WIDE_REQUIRED, known)
    if cols is None:
        return Parsed("wide", [], messages)
    fields = [name for name in VALUE_FIELDS if name in cols]
    decimal_comma = table.decimal_comma
    records, seen, mismatched = [], {}, {}
    for number, cells in table.rows[header_index + 1 :]:
        if not any(clean_text(c) for c in cells):
            continue
        first_message = len(messages)
        key = read_key(table, number, cells, cols, matcher, messages)
        note_edition(table, number, cells, cols, edition_slug, mismatched)
        record = Record(*key, where=table.where(number)) if key else None
        try:
            status = parse_status(cell(cells, cols["status"]))
            if record:
                record.values["status"] = status
                record.cells["status"] = table.where(number, cols["status"])
        except ValueError as error:
            where, column = locate(table, number, cols["status"], "status")
            raw = shown(cell(cells, cols["status"]))
            messages.append(Message("error", str(error), where=where, column=column, value=raw))
        for name in fields:
            raw = cell(cells, cols[name])
            where, column = locate(table, number, cols[name], name)
            value, reason = read_value(name, raw, decimal_comma)
            if reason:
                messages.append(
                    Message("error", reason, where=where, column=column, value=shown(raw))
                )
            elif record:
                record.values[name] = value
                record.cells[name] = where
        for message in messages[first_message:]:
            message.key = key
        if record:
            if record.key in seen:
                messages.append(
                    Message(
                        "error",
                        f"{record.code} {record.year} appears twice in the file (first at "
                        f"{seen[record.key]})",
                        where=record.where,
                    )
                )
            else:
                seen[record.key] = record.where
                records.append(record)
    messages += edition_warning(mismatched, edition_slug)
    return Parsed("wide", records, messages)


def parse_long(table, header_index, names, matcher, edition_slug=None):
    """Long layout: one row per member, year and metric (the shape of fixtures/figures.csv)."""
    known = set(LONG_REQUIRED) | set(LONG_OPTIONAL)
    cols, messages = read_header(table, header_index, names, LONG_REQUIRED, known)
    if cols is None:
        return Parsed("long", [], messages)
    decimal_comma = table.decimal_comma
    by_key, seen, mismatched, notes = {}, {}, {}, {}
    for number, cells in table.rows[header_index + 1 :]:
        if not any(clean_text(c) for c in cells):
            continue
        key = read_key(table, number, cells, cols, matcher, messages)
        note_edition(table, number, cells, cols, edition_slug, mismatched)
        metric_raw = clean_text(cell(cells, cols["metric"]))
        metric = metric_raw.casefold()
        where, column = locate(table, number, cols["metric"], "metric")
        if metric not in VALUE_FIELDS:
            messages.append(
                Message(
                    "error",
                    "is not a metric name",
                    where=where,
                    column=column,
                    value=shown(metric_raw),
                )
            )
            continue
        try:
            status = parse_status(cell(cells, cols["status"]))
        except ValueError as error:
            where, column = locate(table, number, cols["status"], "status")
            raw = shown(cell(cells, cols["status"]))
            messages.append(Message("error", str(error), where=where, column=column, value=raw))
            status = None
        raw = cell(cells, cols["value"])
        where, column = locate(table, number, cols["value"], "value")
        value, reason = read_value(metric, raw, decimal_comma)
        if reason:
            messages.append(
                Message(
                    "error",
                    f"{reason} ({metric})",
                    where=where,
                    column=column,
                    value=shown(raw),
                    key=key,
                )
            )
            continue
        if key is None or status is None:
            continue
        if (key, metric) in seen:
            messages.append(
                Message(
                    "error",
                    f"{key[1]} {key[2]} {metric} appears twice in the file (first at "
                    f"{seen[(key, metric)]})",
                    where=table.where(number),
                )
            )
            continue
        seen[(key, metric)] = table.where(number)
        record = by_key.get(key)
        if record is None:
            record = by_key[key] = Record(*key, where=table.where(number))
            record.values["status"] = status
        elif status == Status.ESTIMATE:
            # A member-year with any estimated metric is an estimate (NATO marks the year).
            record.values["status"] = status
        record.values[metric] = value
        record.cells[metric] = where
        note = clean_text(cell(cells, cols.get("note")))
        if note:
            notes.setdefault(key, set()).add(note)
        if "source_id" in cols and key[0] == "member":
            source_id = clean_text(cell(cells, cols["source_id"]))
            if len(source_id) > 20:
                messages.append(
                    Message(
                        "error",
                        "is longer than 20 characters",
                        where=table.where(number),
                        column="source_id",
                        value=shown(source_id),
                    )
                )
            record.values["source_id"] = source_id
    for key, texts in notes.items():
        by_key[key].values["note"] = " ".join(sorted(texts))
    if "note" in cols:
        for record in by_key.values():
            record.values.setdefault("note", "")
    messages += edition_warning(mismatched, edition_slug)
    return Parsed("long", list(by_key.values()), messages)


def metric_from_title(lines):
    """The metric a NATO table title names, or None."""
    text = " ".join(lines).casefold()
    for words, metric in TITLE_RULES:
        if all(word in text for word in words):
            return metric
    return None


def parse_nato_table(table, matcher, metric=None):
    """NATO's print layout: names down the first column, years (2025e = estimate) across."""
    messages, titles, header = [], [], None
    for index, (number, cells) in enumerate(table.rows):
        texts = [clean_text(c) for c in cells]
        years = [t for t in texts[1:] if YEAR_HEADER.match(t)]
        if len(years) >= 1 and years:
            header = (index, number, cells)
            break
        titles += [t for t in texts if t]
    if header is None:
        return Parsed(
            "",
            [],
            [
                Message(
                    "error",
                    "No header row found: expected the wide columns (iso3, year, status, "
                    "metrics…), the long columns (iso3, year, metric, value, status) or a NATO "
                    "table with a row of years.",
                )
            ],
        )
    index, number, cells = header
    title_metric = metric_from_title(titles)
    if metric:
        if metric not in VALUE_FIELDS:
            messages.append(Message("error", f"“{shown(metric)}” is not a metric name."))
            return Parsed("nato-table", [], messages)
    else:
        metric = title_metric
        if metric is None:
            said = f"the title “{shown(' '.join(titles), 100)}”" if titles else "no title line"
            messages.append(
                Message(
                    "error",
                    f"The metric of this NATO table cannot be told from {said}: choose one.",
                )
            )
            return Parsed("nato-table", [], messages)
    year_cols, seen_years = [], {}
    for col, raw in enumerate(cells[1:], start=1):
        text = clean_text(raw)
        if not text:
            continue
        found = YEAR_HEADER.match(text)
        if not found:
            messages.append(
                Message(
                    "warning",
                    "is not a year and its column is ignored",
                    where=table.where(number, col) if table.sheet else table.where(number),
                    value=shown(text),
                )
            )
            continue
        try:
            year = parse_year(found.group(1))
        except ValueError as error:
            messages.append(
                Message(
                    "error",
                    str(error),
                    where=table.where(number, col) if table.sheet else table.where(number),
                    value=shown(text),
                )
            )
            continue
        if year in seen_years:
            messages.append(
                Message(
                    "error",
                    f"year {year} appears twice in the header",
                    where=table.where(number, col) if table.sheet else table.where(number),
                    value=shown(text),
                )
            )
            continue
        seen_years[year] = col
        status = Status.ESTIMATE if found.group(2) else Status.ACTUAL
        year_cols.append((col, year, status.value))
    decimal_comma = True
    records, seen_rows = [], {}
    for number, cells in table.rows[index + 1 :]:
        name = clean_text(cell(cells, 0))
        raws = [(col, year, status, cell(cells, col)) for col, year, status in year_cols]
        has_values = any(clean_text(raw) for *_, raw in raws)
        if not name and not has_values:
            continue
        found = matcher.match(name)
        if found is None:
            if has_values:
                messages.append(
                    Message(
                        "error",
                        "is not a NATO member or aggregate",
                        where=table.where(number, 0) if table.sheet else table.where(number),
                        value=shown(name),
                    )
                )
            continue  # a title, section or footnote line
        if not has_values:
            continue  # an ally NATO prints no figure for in this table: nothing to change
        kind, code = found
        if code in seen_rows:
            messages.append(
                Message(
                    "error",
                    f"{code} appears twice in the table (first at {seen_rows[code]})",
                    where=table.where(number),
                    value=shown(name),
                )
            )
            continue
        seen_rows[code] = table.where(number)
        for col, year, status, raw in raws:
            where, column = locate(table, number, col, str(year))
            value, reason = read_value(metric, raw, decimal_comma)
            if reason:
                messages.append(
                    Message(
                        "error",
                        reason,
                        where=where,
                        column=column,
                        value=shown(raw),
                        key=(kind, code, year),
                    )
                )
                continue
            if value is None:
                continue  # NATO prints nothing: no change
            record = Record(kind, code, year, where=where)
            record.values = {"status": status, metric: value}
            record.cells = {metric: where, "status": where}
            records.append(record)
    return Parsed("nato-table", records, messages, metric=metric)


# --- 3. validate_records ----------------------------------------------------------------------


def validate_records(parsed, current=None):
    """Adds the checks across rows to parsed.messages: Iceland, accession, reported share."""
    members = {m.iso3: m for m in Member.objects.all()}
    current = current or {}
    kept = []
    for record in parsed.records:
        if record.kind != "member":
            kept.append(record)
            continue
        member = members[record.code]
        given = {k: v for k, v in record.values.items() if k in VALUE_FIELDS and v is not None}
        if not member.reports_figures:
            if given:
                parsed.messages.append(
                    Message(
                        "error",
                        f"{member.name} has no armed forces and NATO publishes no figures for it: "
                        "it is shown as not applicable, so no value can be stored for it",
                        where=record.where,
                        column=", ".join(sorted(given)),
                        key=record.key,
                    )
                )
            else:
                parsed.messages.append(
                    Message(
                        "warning",
                        f"{member.name} {record.year} has no values and is skipped",
                        where=record.where,
                    )
                )
            continue
        kept.append(record)
        if record.year < member.accession_date.year:
            parsed.messages.append(
                Message(
                    "warning",
                    f"{member.name} joined NATO in {member.accession_date.year}; its "
                    f"{record.year} figures are stored but not counted in alliance totals",
                    where=record.where,
                )
            )
    parsed.records = kept
    for record in kept:
        merged = {**current.get(record.key, {}), **record.values}
        reported = merged.get("nato_share_of_gdp_pct")
        defence, gdp = merged.get("defence_usd_const2021_m"), merged.get("gdp_usd_const2021_m")
        touched = {"nato_share_of_gdp_pct", "defence_usd_const2021_m", "gdp_usd_const2021_m"}
        if reported is None or not defence or not gdp or not touched & set(record.values):
            continue
        computed = 100 * defence / gdp
        if abs(computed - reported) > SHARE_TOLERANCE_PP:
            parsed.messages.append(
                Message(
                    "warning",
                    f"{record.code} {record.year}: NATO's reported share {reported:g}% differs "
                    f"from the {computed:.2f}% computed from the constant-price amounts by more "
                    f"than {SHARE_TOLERANCE_PP} points",
                    where=record.cells.get("nato_share_of_gdp_pct", record.where),
                    column="nato_share_of_gdp_pct",
                )
            )
    return parsed


# --- 4. preview, apply, rollback --------------------------------------------------------------


def figure_fields(kind):
    """Fields a record may set on a YearlyFigure ("member") or an AggregateFigure."""
    if kind == "member":
        return ["status", *VALUE_FIELDS, *TEXT_FIELDS]
    return ["status", *METRIC_FIELDS, "note"]


def load_current(edition, records):
    """{(kind, code, year): {field: value}} of the rows these records touch; two queries."""
    current = {}
    if edition is None:
        return current
    members = {r.code for r in records if r.kind == "member"}
    aggregates = {r.code for r in records if r.kind == "aggregate"}
    if members:
        names = figure_fields("member")
        rows = YearlyFigure.objects.filter(edition=edition, member__iso3__in=members).values_list(
            "member__iso3", "year", *names
        )
        for code, year, *values in rows:
            current[("member", code, year)] = dict(zip(names, values, strict=True))
    if aggregates:
        names = figure_fields("aggregate")
        rows = AggregateFigure.objects.filter(
            edition=edition, aggregate__in=aggregates
        ).values_list("aggregate", "year", *names)
        for code, year, *values in rows:
            current[("aggregate", code, year)] = dict(zip(names, values, strict=True))
    return current


def compare(records, current, messages):
    """Preview rows: each record as new, changed, unchanged or error, old and new per field."""
    errors_by_key = {}
    for message in messages:
        if message.level == "error" and message.key:
            errors_by_key.setdefault(message.key, []).append(str(message))
    rows = []
    for record in records:
        allowed = figure_fields(record.kind)
        values = {k: v for k, v in record.values.items() if k in allowed}
        old = current.get(record.key)
        if old is None:
            result = "new"
            fields = {name: [None, value] for name, value in values.items()}
        else:
            fields = {name: [old[name], value] for name, value in values.items()}
            result = "changed" if any(o != n for o, n in fields.values()) else "unchanged"
        if record.key in errors_by_key:
            result = "error"
        rows.append(
            {
                "kind": record.kind,
                "code": record.code,
                "year": record.year,
                "where": record.where,
                "exists": old is not None,
                "result": result,
                "fields": fields,
            }
        )
    return rows


def count_results(rows, messages):
    counts = {"new": 0, "changed": 0, "unchanged": 0, "error": 0}
    for row in rows:
        counts[row["result"]] += 1
    counts["errors"] = sum(1 for m in messages if m.level == "error")
    counts["warnings"] = sum(1 for m in messages if m.level == "warning")
    counts["values_changed"] = sum(
        1
        for row in rows
        if row["result"] in ("new", "changed")
        for old, new in row["fields"].values()
        if old != new
    )
    return counts


def line_of(where):
    """The line number a message's place names ("line 12"), or infinity for file-wide ones."""
    found = re.search(r"\bline (\d+)", where)
    return int(found.group(1)) if found else math.inf


def listed_messages(messages):
    """The messages as dicts, errors first, at most MAX_LISTED_MESSAGES and a line for the rest.

    Within each level they follow the file's line order, as the user reads the file.
    """
    ordered = sorted(messages, key=lambda m: (m.level != "error", line_of(m.where)))
    listed = [m.as_dict() for m in ordered[:MAX_LISTED_MESSAGES]]
    rest = ordered[MAX_LISTED_MESSAGES:]
    if rest:
        errors = sum(1 for m in rest if m.level == "error")
        summary = Message(
            "error" if errors else "warning",
            f"… and {len(rest):,} more messages ({errors:,} errors) not listed: fix the ones "
            "above and upload again.",
        )
        listed.append(summary.as_dict())
    return listed


def build_preview(parsed, edition):
    """The preview of a parsed upload against one edition (None: a new, empty edition)."""
    current = load_current(edition, parsed.records)
    validate_records(parsed, current)
    rows = compare(parsed.records, current, parsed.messages)
    return {
        "format": parsed.file_format,
        "metric": parsed.metric,
        "counts": count_results(rows, parsed.messages),
        "messages": listed_messages(parsed.messages),
        "rows": rows,
    }


@dataclass
class EditionChoice:
    """The edition an import writes to: an existing one, or the fields of a new one."""

    slug: str
    edition: Edition | None = None
    new_fields: dict | None = None


def choose_edition(
    slug,
    title="",
    cutoff_on=None,
    published_on=None,
    publisher="",
    price_base_year=2021,
    url="",
    notes="",
):
    """The edition named by slug; a new one needs a title and a data cut-off date."""
    slug = (slug or "").strip()
    if not re.fullmatch(r"[-a-zA-Z0-9_]+", slug):
        raise ValueError(f"“{shown(slug)}” is not an edition slug (letters, digits, - and _).")
    existing = Edition.objects.filter(slug=slug).first()
    if existing and title:
        raise ValueError(
            f"Edition “{slug}” exists already: leave the new edition's title empty to revise it."
        )
    if existing:
        return EditionChoice(slug, edition=existing)
    if not title:
        raise ValueError(
            f"There is no edition “{slug}”: give a title and a data cut-off date to create it."
        )
    if not cutoff_on:
        raise ValueError(
            "A new edition needs its data cut-off date: pages show the edition with the latest one."
        )
    new_fields = {
        "title": title,
        "publisher": publisher or "NATO Public Diplomacy Division",
        "cutoff_on": str(cutoff_on),
        "published_on": str(published_on) if published_on else None,
        "price_base_year": int(price_base_year or 2021),
        "url": url or "",
        "notes": notes or "",
    }
    return EditionChoice(slug, new_fields=new_fields)


def preview_upload(data, file_name, choice, user=None, sheet=None, metric=None):
    """Reads, checks and previews an upload; returns the stored ImportBatch (nothing applied)."""
    batch = ImportBatch(
        kind=ImportBatch.Kind.UPLOAD,
        created_by=user,
        file_name=Path(file_name or "").name[:255],
        file_size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        sheet=sheet or "",
        metric=metric or "",
        edition=choice.edition,
        edition_slug=choice.slug,
        new_edition=choice.new_fields,
    )
    try:
        table = read_table(data, file_name, sheet)
    except TableError as error:
        preview = {
            "format": "",
            "metric": "",
            "counts": count_results([], error.messages),
            "messages": [m.as_dict() for m in error.messages],
            "rows": [],
        }
    else:
        batch.sheet = table.sheet or ""
        parsed = parse_table(table, metric=metric or None, edition_slug=choice.slug)
        preview = build_preview(parsed, choice.edition)
    batch.preview = preview
    batch.file_format = preview["format"]
    batch.metric = preview["metric"] or ""
    batch.counts = preview["counts"]
    batch.status = (
        ImportBatch.State.INVALID if preview["counts"]["errors"] else ImportBatch.State.PREVIEWED
    )
    batch.save()
    # Every upload tidies up, so stored previews stay bounded without a scheduled job.
    previews.prune_previews()
    previews.keep_newest_previews(user)
    return batch


def model_for(kind):
    return YearlyFigure if kind == "member" else AggregateFigure


def lock_rows(edition, keys):
    """{(kind, code, year): figure} for these keys, locked (SELECT ... FOR UPDATE)."""
    found = {}
    member_codes = {code for kind, code, _ in keys if kind == "member"}
    aggregate_codes = {code for kind, code, _ in keys if kind == "aggregate"}
    years = {year for *_, year in keys}
    if member_codes:
        rows = (
            YearlyFigure.objects.select_for_update(of=("self",))
            .select_related("member")
            .filter(edition=edition, member__iso3__in=member_codes, year__in=years)
            .order_by("pk")
        )
        for row in rows:
            found[("member", row.member.iso3, row.year)] = row
    if aggregate_codes:
        rows = (
            AggregateFigure.objects.select_for_update()
            .filter(edition=edition, aggregate__in=aggregate_codes, year__in=years)
            .order_by("pk")
        )
        for row in rows:
            found[("aggregate", row.aggregate, row.year)] = row
    return {key: row for key, row in found.items() if key in keys}


def label(key):
    kind, code, year = key
    return f"{code} {year}"


def refuse_conflicts(conflicts, what):
    shown_conflicts = "; ".join(conflicts[:MAX_SHOWN_CONFLICTS])
    more = len(conflicts) - MAX_SHOWN_CONFLICTS
    extra = f" and {more} more" if more > 0 else ""
    raise ImportRefused(f"{what}: {shown_conflicts}{extra}.")


def write_rows(edition, rows, members):
    """Creates and updates figures for preview rows; returns the ImportChange objects."""
    changes, created, updated, update_fields = [], [], [], {"member": set(), "aggregate": set()}
    keys = {(r["kind"], r["code"], r["year"]) for r in rows}
    locked = lock_rows(edition, keys)
    conflicts = []
    for row in rows:
        key = (row["kind"], row["code"], row["year"])
        figure = locked.get(key)
        if row["exists"] != (figure is not None):
            conflicts.append(f"{label(key)} was {'deleted' if row['exists'] else 'added'}")
            continue
        if figure is not None:
            for name, (old, _new) in row["fields"].items():
                if getattr(figure, name) != old:
                    conflicts.append(
                        f"{label(key)} {name} was {shown(old)} in the preview, is now "
                        f"{shown(getattr(figure, name))}"
                    )
    if conflicts:
        refuse_conflicts(
            conflicts,
            "The figures changed since this preview, so nothing was written; upload the file "
            "again for a fresh preview",
        )
    for row in rows:
        if row["result"] not in ("new", "changed"):
            continue
        kind, code, year = row["kind"], row["code"], row["year"]
        who = {"member": members[code]} if kind == "member" else {"aggregate": code}
        figure = locked.get((kind, code, year))
        if figure is None:
            values = {name: new for name, (_, new) in row["fields"].items()}
            created.append(model_for(kind)(edition=edition, year=year, **who, **values))
            action = ImportChange.Action.CREATE
        else:
            for name, (old, new) in row["fields"].items():
                if old != new:
                    setattr(figure, name, new)
                    update_fields[kind].add(name)
            updated.append(figure)
            action = ImportChange.Action.UPDATE
        if action == ImportChange.Action.CREATE:
            # One record per new row: undoing it deletes the row, whatever its fields.
            changes.append(
                ImportChange(year=year, field=ROW_FIELD, action=action, new_value=values, **who)
            )
            continue
        for name, (old, new) in row["fields"].items():
            if old != new:
                changes.append(
                    ImportChange(
                        year=year, field=name, action=action, old_value=old, new_value=new, **who
                    )
                )
    for kind in ("member", "aggregate"):
        model = model_for(kind)
        model.objects.bulk_create([f for f in created if isinstance(f, model)], batch_size=1000)
        to_update = [f for f in updated if isinstance(f, model)]
        if to_update:
            model.objects.bulk_update(to_update, sorted(update_fields[kind]), batch_size=500)
    return changes


def written_values(change):
    """{field: value} an ImportChange wrote: one field, or every field of a created row."""
    if change.field == ROW_FIELD:
        return change.new_value
    return {change.field: change.new_value}


def apply_batch(batch_id, user=None):
    """Writes a previewed batch in one transaction; raises ImportRefused if it cannot."""
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
            if batch.status == ImportBatch.State.INVALID:
                raise ImportRefused("This upload has errors and cannot be applied.")
            if batch.status != ImportBatch.State.PREVIEWED:
                raise ImportRefused(
                    f"Import #{batch.pk} was already {batch.get_status_display()}; nothing was "
                    "written again."
                )
            if previews.has_expired(batch):
                raise ImportRefused(
                    f"This preview is more than {settings.IMPORT_PREVIEW_HOURS} hours old and "
                    "has expired; upload the file again to see its changes against today's data."
                )
            # Writers queue on the data version's row lock; the version is bumped after the writes.
            DataVersion.lock()
            if batch.new_edition is not None:
                if Edition.objects.filter(slug=batch.edition_slug).exists():
                    raise ImportRefused(
                        f"Edition “{batch.edition_slug}” was created since this preview; upload "
                        "the file again to revise it."
                    )
                edition = Edition.objects.create(slug=batch.edition_slug, **batch.new_edition)
                batch.edition, batch.created_edition = edition, True
            else:
                edition = batch.edition
                if edition is None:
                    raise ImportRefused(
                        f"Edition “{batch.edition_slug}” no longer exists; nothing was written."
                    )
                Edition.objects.select_for_update().get(pk=edition.pk)
            members = {m.iso3: m for m in Member.objects.all()}
            changes = write_rows(edition, batch.preview["rows"], members)
            for change in changes:
                change.batch = batch
            ImportChange.objects.bulk_create(changes, batch_size=2000)
            if changes:
                edition.save(update_fields=["updated_at"])
            batch.status = ImportBatch.State.APPLIED
            batch.applied_by = user
            batch.applied_at = timezone.now()
            batch.save()
            writes.record_write()
            return batch
    except IntegrityError as error:
        raise ImportRefused(
            "Another import wrote the same figures at the same time, so nothing was written; "
            f"upload the file again for a fresh preview ({type(error).__name__})."
        ) from None


def rollback_batch(batch_id, user=None):
    """Restores every value an applied batch changed; the rollback is a batch of its own."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().defer("preview").get(pk=batch_id)
        if batch.kind == ImportBatch.Kind.ROLLBACK:
            raise ImportRefused("A rollback cannot be rolled back; import the file again instead.")
        if batch.status != ImportBatch.State.APPLIED:
            raise ImportRefused(
                f"Import #{batch.pk} is {batch.get_status_display()}: only an applied import can "
                "be rolled back."
            )
        DataVersion.lock()
        edition = batch.edition
        changes = list(batch.changes.select_related("member"))
        by_key = {}
        for change in changes:
            kind = "member" if change.member_id else "aggregate"
            code = change.member.iso3 if change.member_id else change.aggregate
            by_key.setdefault((kind, code, change.year), []).append(change)
        locked = lock_rows(edition, set(by_key)) if edition else {}
        conflicts = []
        for key, cell_changes in by_key.items():
            figure = locked.get(key)
            if figure is None:
                conflicts.append(f"{label(key)} no longer exists")
                continue
            for change in cell_changes:
                for name, value in written_values(change).items():
                    if getattr(figure, name) != value:
                        conflicts.append(
                            f"{label(key)} {name} is now {shown(getattr(figure, name))}, not "
                            f"{shown(value)}"
                        )
        if conflicts:
            refuse_conflicts(
                conflicts,
                "Later changes touched the same figures; roll those back first. Nothing was "
                "written",
            )
        undo = ImportBatch.objects.create(
            kind=ImportBatch.Kind.ROLLBACK,
            status=ImportBatch.State.APPLIED,
            created_by=user,
            applied_by=user,
            applied_at=timezone.now(),
            file_name=batch.file_name,
            edition=edition,
            edition_slug=batch.edition_slug,
            rolls_back=batch,
        )
        reverse, deleted, updated = [], [], []
        counts = {"restored_rows": 0, "deleted_rows": 0, "values_changed": 0}
        for key, cell_changes in by_key.items():
            figure = locked[key]
            who = {"member": figure.member} if key[0] == "member" else {"aggregate": key[1]}
            if any(c.action == ImportChange.Action.CREATE for c in cell_changes):
                deleted.append(figure)
                counts["deleted_rows"] += 1
                action = ImportChange.Action.DELETE
            else:
                for change in cell_changes:
                    setattr(figure, change.field, change.old_value)
                updated.append((figure, [c.field for c in cell_changes]))
                counts["restored_rows"] += 1
                action = ImportChange.Action.UPDATE
            for change in cell_changes:
                counts["values_changed"] += len(written_values(change))
                reverse.append(
                    ImportChange(
                        batch=undo,
                        year=key[2],
                        field=change.field,
                        action=action,
                        old_value=change.new_value,
                        new_value=None
                        if action == ImportChange.Action.DELETE
                        else change.old_value,
                        **who,
                    )
                )
        for model in (YearlyFigure, AggregateFigure):
            gone = [f.pk for f in deleted if isinstance(f, model)]
            if gone:
                model.objects.filter(pk__in=gone).delete()
            restored = [f for f, _ in updated if isinstance(f, model)]
            fields = sorted(
                {name for f, names in updated if isinstance(f, model) for name in names}
            )
            if restored:
                model.objects.bulk_update(restored, fields, batch_size=500)
        ImportChange.objects.bulk_create(reverse, batch_size=2000)
        batch.status = ImportBatch.State.ROLLED_BACK
        batch.save(update_fields=["status"])
        if (
            batch.created_edition
            and edition is not None
            and not edition.figures.exists()
            and not edition.aggregates.exists()
        ):
            # The edition came with this batch; undoing it removes it again.
            edition.delete()
            undo.refresh_from_db()
        elif edition is not None:
            edition.save(update_fields=["updated_at"])
        undo.counts = counts
        undo.save(update_fields=["counts"])
        writes.record_write()
        return undo


# --- fixtures ---------------------------------------------------------------------------------


@dataclass
class LoadReport:
    created: dict = field(default_factory=dict)
    kept: dict = field(default_factory=dict)

    def count(self, what, created):
        bucket = self.created if created else self.kept
        bucket[what] = bucket.get(what, 0) + 1

    def lines(self):
        names = sorted(set(self.created) | set(self.kept))
        return [
            f"{name}: {self.created.get(name, 0)} created, {self.kept.get(name, 0)} already there"
            for name in names
        ]


def read_csv_rows(path):
    """The rows of a UTF-8 CSV file as dicts."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def parse_fiscal_year(text):
    """The FiscalYear choice described by a members.csv fiscal-year text."""
    text = text.lower()
    if "april" in text:
        return FiscalYear.APRIL_MARCH
    if "october" in text:
        return FiscalYear.OCTOBER_SEPTEMBER
    return FiscalYear.CALENDAR


def member_defaults(row, extra_note=""):
    """Member field values from one members.csv row plus the project's own note on it."""
    fiscal = row["fiscal_year"]
    notes = [extra_note or row["notes"]]
    if fiscal and fiscal != "calendar":
        # The compiler's source reference ("(S04 quoting ...)") is not for readers.
        told = re.sub(r"\s*\([^)]*\bS\d{2}b?\b[^)]*\)", "", fiscal)
        notes.append(
            f"Fiscal year: {told} (NATO, Defence Expenditure of NATO Countries, note to readers)."
        )
    return {
        "iso2": row["iso2"],
        "name": row["name"],
        "nato_name": row["nato_name"],
        "nato_order": int(row["nato_table_order"]) if row["nato_table_order"] else None,
        "accession_date": date.fromisoformat(row["accession_date"]),
        "accession_event": row["accession_event"],
        "currency": row["nc_currency"],
        "currency_basis": row["nc_currency_basis"],
        "fiscal_year": parse_fiscal_year(fiscal),
        "reports_figures": row["nato_defexp_published"] == "yes",
        "notes": " ".join(n for n in notes if n),
    }


def parse_fixture_figures(path, matcher):
    """{edition slug: Parsed} of a long-layout figures CSV; raises ValueError on any error."""
    table = read_csv_table(Path(path).read_bytes())
    header_index, header = find_header(table)
    names = [header_key(c) for c in header]
    edition_col = names.index("edition")
    by_edition = {}
    for number, cells in table.rows[header_index + 1 :]:
        by_edition.setdefault(cells[edition_col], []).append((number, cells))
    parsed = {}
    for slug, rows in by_edition.items():
        part = Table(rows=[table.rows[header_index], *rows])
        result = parse_long(part, 0, names, matcher)
        if result.errors:
            raise ValueError("; ".join(str(m) for m in result.errors[:10]))
        parsed[slug] = result
    return parsed


@transaction.atomic
def load_fixtures(folder=FIXTURES_DIR):
    """Load members, targets, editions and their figures from the fixture CSVs; returns a report."""
    report = LoadReport()
    extra_notes = {row["iso3"]: row["note"] for row in read_csv_rows(folder / "member_notes.csv")}
    for row in read_csv_rows(folder / "members.csv"):
        defaults = member_defaults(row, extra_notes.get(row["iso3"], ""))
        _, created = Member.objects.get_or_create(iso3=row["iso3"], defaults=defaults)
        report.count("members", created)
    for row in read_csv_rows(folder / "targets.csv"):
        slug = row.pop("slug")
        _, created = Target.objects.get_or_create(slug=slug, defaults=row)
        report.count("targets", created)
    editions = {}
    for row in read_csv_rows(folder / "editions.csv"):
        slug = row.pop("slug")
        edition, created = Edition.objects.get_or_create(slug=slug, defaults=row)
        editions[slug] = (edition, created)
        report.count("editions", created)
    for row in read_csv_rows(folder / "series_breaks.csv"):
        _, created = SeriesBreak.objects.get_or_create(
            member=Member.objects.get(iso3=row["iso3"]) if row["iso3"] else None,
            series=row["series"],
            year=int(row["year"]) if row["year"] else None,
            edition=editions[row["edition"]][0] if row["edition"] else None,
            defaults={k: row[k] for k in ("reason", "source", "source_url")},
        )
        report.count("series breaks", created)

    members = list(Member.objects.all())
    by_code = {m.iso3: m for m in members}
    for slug, parsed in parse_fixture_figures(
        folder / "figures.csv", MemberMatcher(members)
    ).items():
        edition, created = editions[slug]
        if not created and (edition.figures.exists() or edition.aggregates.exists()):
            report.count("editions' figures", False)
            continue
        # The shipped figures go in through the same checks and writes as an upload.
        preview = build_preview(parsed, edition)
        errors = [m for m in parsed.messages if m.level == "error"]
        if errors:
            raise ValueError("; ".join(str(m) for m in errors[:10]))
        write_rows(edition, preview["rows"], by_code)
        report.count("editions' figures", True)
        for kind, what in (("member", "figure rows"), ("aggregate", "aggregate rows")):
            added = sum(1 for row in preview["rows"] if row["kind"] == kind)
            report.created[what] = report.created.get(what, 0) + added
    if report.created:
        writes.record_write()
    else:
        # A database filled before the answers were stored gets them now.
        answers.store_if_missing()
    return report
