"""The one CSV writer shared by the API, the chart downloads and the tables."""

import numpy as np
import pytest

from spending.csv import format_cell, quote, write_table


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (np.float64(-1.5), "-1.5"),
        (np.int64(-3), "-3"),
        (np.int64(2026), "2026"),
        (float("nan"), ""),
        ("-1", "'-1"),
    ],
)
def test_numpy_scalars_are_written_as_plain_numbers_and_text_stays_escaped(value, cell):
    assert format_cell(value) == cell


def test_a_table_has_its_header_then_rows_with_crlf_line_ends():
    text = write_table(["Ally", "Share, %"], [["=cmd", -0.5], ["Aland", None]])

    assert text == 'Ally,"Share, %"\r\n\'=cmd,-0.5\r\nAland,\r\n'


HOSTILE = [
    "=1+1;=2+2",
    'ok;=HYPERLINK("http://x")',
    "a\t=cmd|' /C calc'!A0",
    "line\n@SUM(A1)",
    'say "hi", =1',
    "+1,-2",
    "x\r=1",
]


def is_number(cell):
    try:
        float(cell)
    except ValueError:
        return False
    return True


def starts_a_formula(cell):
    stripped = cell.lstrip(' "')
    return not is_number(stripped) and stripped.startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_no_text_cell_starts_a_formula_in_any_dialect_a_spreadsheet_may_pick(delimiter):
    import csv
    import io
    import re

    rows = [["POL", hostile] for hostile in HOSTILE] + [["DEU", -0.5]]
    text = write_table(["Ally", "Note"], rows)
    # A reader that honours the quotes, and one that splits blindly on separators and breaks.
    quoted = [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
              for cell in row]  # fmt: skip
    blind = [cell for line in re.split(r"\r\n|\r|\n", text) for cell in line.split(delimiter)]
    assert [cell for cell in quoted + blind if starts_a_formula(cell)] == []


def test_the_comma_dialect_reads_back_every_cell_with_only_apostrophes_added():
    import csv
    import io

    text = write_table(["Note"], [[hostile] for hostile in HOSTILE])
    read = [row[0] for row in csv.reader(io.StringIO(text, newline=""))][1:]
    assert [cell.replace("'", "") for cell in read] == [h.replace("'", "") for h in HOSTILE]
    assert read[0] == "'=1+1;'=2+2"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("a;b", '"a;b"'),
        ("a\tb", '"a\tb"'),
        ('say "hi"', '"say ""hi"""'),
        ("two\r\nlines", '"two\r\nlines"'),
        ("plain", "plain"),
    ],
)
def test_text_with_a_separator_quote_or_line_break_is_quoted_per_rfc_4180(value, cell):
    assert quote(format_cell(value)) == cell
