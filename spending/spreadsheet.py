"""The API's `?format=csv` and the importer's format, written by the one writer, spending.csv."""

from spending.csv import write_table
from spending.fields import VALUE_FIELDS

# The CSV of the API's figures/ and the importer's format (issue 5): these columns, in this
# order; share_of_gdp_pct is computed, and an import ignores it.
FIGURE_CSV_COLUMNS = [
    "iso3",
    "year",
    "edition",
    "status",
    *VALUE_FIELDS,
    "share_of_gdp_pct",
]


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
    return write_table(columns, [[row.get(column) for column in columns] for row in flat_rows])
