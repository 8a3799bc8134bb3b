"""The one CSV writer shared by the API, the chart downloads and the tables."""

import numpy as np
import pytest

from spending.csv import format_cell, write_table


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
