"""The one spreadsheet-safe CSV writer: the API's `?format=csv`, chart and table downloads.

Numbers are written exactly (Python's repr of the float: no rounding, no thousands
separators) and stay numbers, negative ones included. Text cells that a spreadsheet would
run as a formula (OWASP "CSV injection": a leading =, +, -, @, tab or carriage return) get a
leading apostrophe, which spreadsheets show as text.
"""

import csv
import datetime
import io
import math
import numbers

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def write_table(header, rows):
    """CSV text (CRLF line ends) of a header row and rows of values, every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([format_cell(label) for label in header])
    for row in rows:
        writer.writerow([format_cell(value) for value in row])
    return out.getvalue()
