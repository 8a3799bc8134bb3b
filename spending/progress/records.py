"""Frames to plain Python values, and the small helpers every step of the maths shares."""

import math

import pandas as pd


def to_records(frame):
    """The frame as dicts of plain Python values, None where pandas holds NaN or NA.

    pandas' to_dict already gives Python scalars; the gaps are cleaned here value by value,
    which on these small frames costs a fraction of converting the whole frame to objects.
    """
    records = frame.to_dict("records")
    for record in records:
        for name, value in record.items():
            if value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
                record[name] = None
    return records


def is_missing(value):
    """True for None, pd.NA and NaN."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def empty_frame(columns):
    """An empty frame with these columns (object dtype)."""
    return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
