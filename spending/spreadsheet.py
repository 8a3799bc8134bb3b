"""CSV that a spreadsheet opens safely: the API's `?format=csv` and the importer's format.

Numbers are written exactly (Python's repr of the float: no rounding, no thousands
separators) and stay numbers, negative ones included. Text cells that a spreadsheet would
run as a formula (OWASP "CSV injection": a leading =, +, -, @, tab or carriage return) get a
leading apostrophe, which spreadsheets show as text.
"""

import csv
import datetime
import io
import math

from rest_framework.renderers import BaseRenderer

from spending.models import METRIC_FIELDS, RELATED_FIELD

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# The CSV of the API's figures/ and the importer's format (issue 5): these columns, in this
# order; share_of_gdp_pct is computed, and an import ignores it.
FIGURE_CSV_COLUMNS = [
    "iso3",
    "year",
    "edition",
    "status",
    *METRIC_FIELDS,
    RELATED_FIELD,
    "share_of_gdp_pct",
]


def format_cell(value):
    """The text of one CSV cell: '' for no value, exact numbers, escaped text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def flatten_row(row, prefix=""):
    """A nested dict as one flat dict with dotted keys ("targets.core-3.5pct.met")."""
    flat = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten_row(value, prefix=f"{name}."))
        else:
            flat[name] = value
    return flat


def write_csv(rows, columns=None):
    """CSV text of rows (dicts, nested ones flattened) under these columns, in this order.

    Without columns, the columns are the keys in order of first appearance.
    """
    flat_rows = [flatten_row(row) for row in rows]
    if columns is None:
        columns = list(dict.fromkeys(key for row in flat_rows for key in row))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([format_cell(column) for column in columns])
    for row in flat_rows:
        writer.writerow([format_cell(row.get(column)) for column in columns])
    return out.getvalue()


class CSVRenderer(BaseRenderer):
    """`?format=csv`: the view's rows as spreadsheet-safe CSV, its columns if it names them."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        context = renderer_context or {}
        view = context.get("view")
        rows = data if isinstance(data, list) else [data]
        columns = view.get_csv_columns(rows) if hasattr(view, "get_csv_columns") else None
        response = context.get("response")
        filename = getattr(view, "csv_filename", None)
        if response is not None and filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return write_csv(rows, columns).encode(self.charset)
