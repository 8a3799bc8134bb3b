"""Step 1, reading: bytes of a CSV or XLSX file -> a ``Table`` of raw cells, each with its line or
cell reference. Size, type, encoding, separator, zip-bomb and row/cell budget checks happen here.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from spending.importing.marks import UNDECIDED_MARKS, NumberMarks, decide_marks
from spending.importing.messages import Message, shown

ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (with BOM)",
    "windows-1252": "Windows-1252",
}
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}


@dataclass
class Table:
    """Raw cells of one CSV file or one worksheet, each row with its 1-based line or row number."""

    rows: list  # [(number, [cell, ...]), ...]; cells are str, int, float or None
    sheet: str | None = None
    messages: list = field(default_factory=list)
    marks: NumberMarks = UNDECIDED_MARKS  # the file's decimal and thousands marks
    encoding: str = ""  # a CSV's: "utf-8", "utf-8-sig" (with a BOM) or "windows-1252"
    delimiter: str = ""

    def reading(self):
        """How the file was read, as the preview states it: encoding, separator, number marks."""
        if self.sheet is None:
            told = f"{ENCODING_NAMES.get(self.encoding, self.encoding)} text"
            if self.delimiter:
                told += f" separated by {DELIMITER_NAMES.get(self.delimiter, self.delimiter)}"
        else:
            told = f"an XLSX sheet “{self.sheet}” (numbers stored as numbers need no marks)"
        return self.told(told)

    def told(self, told):
        """The reading's facts, with `told` saying what was read."""
        return {
            "encoding": self.encoding or None,
            "delimiter": self.delimiter or None,
            "decimal_mark": self.marks.decimal,
            "grouping_mark": self.marks.grouping,
            "text": f"Read as {told}; numbers: {self.marks.describe()}.",
        }

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


def reading_of(tables):
    """How the file was read: one table's reading, or a whole workbook's."""
    if len(tables) == 1:
        return tables[0].reading()
    return tables[0].told(f"an XLSX workbook of {len(tables)} sheets, each read whole")


def column_letter(col):
    """The spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_tables(data, file_name, sheet=None):
    """The upload's cells as Tables: a CSV file's, the chosen sheet's or every sheet's; raises
    TableError saying what is wrong with the file."""
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
        return [read_csv_table(data)]
    if suffix == ".xlsx":
        return read_xlsx_tables(data, sheet)
    raise TableError(Message("error", f"“{shown(file_name)}” is neither a .csv nor an .xlsx file."))


def read_csv_table(data):
    """A CSV file's rows: UTF-8 (BOM or not) or Windows-1252, comma, semicolon or tab separated."""
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
    encoding, text = decode_csv(data)
    if encoding == "windows-1252":
        messages.append(
            Message(
                "warning",
                "The file is not UTF-8; it was read as Windows-1252 (Excel's “CSV” on Windows).",
            )
        )
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
    table = Table(rows=rows, messages=messages, encoding=encoding, delimiter=delimiter)
    return with_marks(table)


def decode_csv(data):
    """(encoding, text) of a CSV file: UTF-8 (with or without BOM), else Windows-1252, which
    Excel's "Save as CSV" writes on Windows (an en dash is byte 0x96 there)."""
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return "utf-8-sig", data.decode("utf-8-sig")
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return "windows-1252", data.decode("cp1252")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TableError(
            Message(
                "error",
                f"The file is neither UTF-8 nor Windows-1252 text (byte "
                f"0x{data[error.start]:02X} cannot be read): save it as CSV UTF-8.",
                where=f"line {line}",
            )
        ) from None


def with_marks(table):
    """The table with its decimal and thousands marks decided from all its cells."""
    table.marks, messages = decide_marks([table])
    table.messages += messages
    return table


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


def read_xlsx_tables(data, sheet=None):
    """The named worksheet, or every one (NATO's workbook is read whole), as Tables; one reading
    budget covers the whole workbook."""
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
            chosen = [sheet]
        elif names:
            chosen = names
        else:
            raise TableError(Message("error", "The workbook has no sheets."))
        budget = ReadingBudget("sheet" if len(chosen) == 1 else "workbook")
        tables = [read_sheet(workbook[name], name, budget) for name in chosen]
    finally:
        workbook.close()
    # One file, one choice of marks: decided from the cells of every sheet read.
    marks, messages = decide_marks(tables)
    for table in tables:
        table.marks = marks
    tables[0].messages += messages
    return tables


def read_sheet(worksheet, name, budget):
    """One worksheet's rows as a Table (a chart sheet has none)."""
    from defusedxml import DefusedXmlException

    rows = []
    if not hasattr(worksheet, "iter_rows"):
        return Table(rows=rows, sheet=name)
    # Read-only mode trusts the sheet's declared dimensions, which some tools write wrong.
    worksheet.reset_dimensions()
    try:
        for number, cells in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1):
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
            Message("error", f"The sheet “{shown(name)}” cannot be read ({type(error).__name__}).")
        ) from None
    return Table(rows=rows, sheet=name)
