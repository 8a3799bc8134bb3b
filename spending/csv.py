"""The one spreadsheet-safe CSV writer: the API's `?format=csv`, chart and table downloads.

Numbers are written exactly (Python's repr of the float: no rounding, no thousands
separators) and stay numbers, negative ones included. Text cells that a spreadsheet would
run as a formula (OWASP "CSV injection": a leading =, +, -, @, tab or carriage return) get a
leading apostrophe, which spreadsheets show as text; so does every place inside a text cell
where a spreadsheet splitting on `;`, tab or a line break would start a new cell. A text cell
holding a separator (`,` `;` tab), a quote or a line break is quoted (RFC 4180).
"""

import datetime
import math
import numbers
import re

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A formula character at the start of a cell as any dialect could split it: after , ; tab or a
# line break, spaces allowed between (some spreadsheets trim them).
FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t\r\n] *)(?=[=+\-@])")
NEEDS_QUOTES = re.compile(r'[,;\t"\r\n]')


def format_cell(value):
    """The text of one CSV cell: '' for no value, exact numbers, escaped text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    # numbers.Real/Integral also hold numpy's scalars, whose repr is not the bare number.
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    text = FORMULA_AFTER_SEPARATOR.sub(r"\1'", str(value))
    if text.lstrip(" ").startswith(FORMULA_PREFIXES):
        text = "'" + text
    return text


def quote(cell):
    """A cell's text as RFC 4180 writes it: quoted when it holds a separator, quote or break."""
    if NEEDS_QUOTES.search(cell):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def format_row(values):
    return ",".join(quote(format_cell(value)) for value in values)


def write_table(header, rows):
    """CSV text (CRLF line ends) of a header row and rows of values, every cell made safe."""
    lines = [format_row(header), *(format_row(row) for row in rows)]
    return "".join(line + "\r\n" for line in lines)
