import math

import pytest

from spending.precision import FULL, UnknownField, precision_of, round_field, round_record


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("gap_pp", 0.3200000000000003, 0.32),
        ("gap_usd_m", 3662.050000000003, 3662.1),
        ("defence_usd_current_m", 31874.0, 31874),
        ("share_of_gdp_rounded_pct", 1.995, 2),
        ("share_of_gdp_rounded_pct", 2.345, 2.35),
        ("required_pp_per_year", 0.08571428571428572, 0.086),
        ("gdp_growth_pct", -7.4987, -7.5),
        ("projected_year", 2031.0, 2031),
        ("share_of_gdp_pct", 2.0345678912345678, 2.03456789123457),
        ("share_of_gdp_pct", 0.1 + 0.2, 0.3),
        ("nato_share_of_gdp_pct", 1.330681866, 1.330681866),
    ],
)
def test_it_rounds_each_field_to_its_published_precision(name, value, expected):
    rounded = round_field(name, value)
    assert rounded == expected
    assert type(rounded) is type(expected)


@pytest.mark.parametrize("value", [None, math.nan, float("inf")])
def test_it_publishes_a_missing_value_as_null(value):
    assert round_field("gap_pp", value) is None


def test_it_leaves_text_and_booleans_alone():
    assert round_field("met", True) is True
    assert round_field("note", "already met") == "already met"


def test_it_rounds_nested_records_by_key():
    record = {"gap_pp": 0.30000000000000004, "targets": {"x": {"gap_usd_m": 12.0}}, "y0": 2026}
    assert round_record(record) == {"gap_pp": 0.3, "targets": {"x": {"gap_usd_m": 12}}, "y0": 2026}


def test_it_refuses_a_number_field_without_a_documented_precision():
    with pytest.raises(UnknownField):
        precision_of("mystery")


def test_it_keeps_documented_full_precision_fields_unrounded():
    assert precision_of("share_of_gdp_pct") is FULL
    assert precision_of("share_of_gdp_rounded_pct") == 2
