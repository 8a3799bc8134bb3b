"""The pure vintage helper of the API in spending.progress: editions compared."""

import math

import pandas as pd
import pytest

from spending.progress import build_vintage_history

EDITIONS = ["ed-2026", "ed-2025", "ed-2024"]  # newest first


def figures(rows):
    frame = pd.DataFrame(
        rows,
        columns=[
            "iso3",
            "year",
            "edition",
            "status",
            "defence_usd_const2021_m",
            "gdp_usd_const2021_m",
        ],
    )
    return frame.assign(related_usd_current_m=math.nan, gdp_usd_current_m=math.nan)


def test_the_history_shows_each_revision_against_the_previous_edition_holding_the_year():
    frame = figures(
        [
            ("POL", 2020, "ed-2026", "actual", 12.0, 600.0),
            ("POL", 2020, "ed-2024", "estimate", 10.0, 500.0),
            ("POL", 2021, "ed-2026", "actual", 13.0, 650.0),
        ]
    )

    history = build_vintage_history(frame, "defence_usd_const2021_m", EDITIONS)

    assert history[["year", "edition", "previous_edition"]].values.tolist() == [
        [2020, "ed-2024", None],
        [2020, "ed-2026", "ed-2024"],
        [2021, "ed-2026", None],
    ]
    assert history["revision"].tolist()[1] == pytest.approx(2.0)
    assert math.isnan(history["revision"].tolist()[0])
    assert math.isnan(history["revision"].tolist()[2])


def test_the_history_of_the_share_of_gdp_is_computed_per_edition():
    frame = figures(
        [
            ("POL", 2020, "ed-2024", "estimate", 10.0, 500.0),
            ("POL", 2020, "ed-2025", "actual", 12.0, 500.0),
        ]
    )

    history = build_vintage_history(frame, "share_of_gdp_pct", EDITIONS)

    assert history["value"].tolist() == pytest.approx([2.0, 2.4])
    assert history["revision"].tolist()[1] == pytest.approx(0.4)
    assert history["status"].tolist() == ["estimate", "actual"]
