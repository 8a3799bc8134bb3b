"""Where only NATO's reported share of GDP is known, the maths uses it and says so."""

import math

import pandas as pd

from spending import progress

TARGETS = pd.DataFrame(
    [
        {
            "slug": "guideline-2pct",
            "name": "2%",
            "threshold_pct": 2.0,
            "basis": "gdp",
            "measure": "core_share_of_gdp_pct",
            "kind": "floor",
            "adopted": "Wales",
            "deadline_year": 2024,
            "description": "",
        }
    ]
)
MEMBERS = pd.DataFrame(
    [
        {"iso3": "AAA", "name": "A", "accession_year": 1949, "reports_figures": True},
        {"iso3": "BBB", "name": "B", "accession_year": 1949, "reports_figures": True},
    ]
)


def figures(rows):
    columns = [
        "iso3",
        "year",
        "status",
        "defence_usd_current_m",
        "defence_usd_const2021_m",
        "gdp_usd_current_m",
        "gdp_usd_const2021_m",
        "nato_share_of_gdp_pct",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["military_personnel_k"] = float("nan")
    return frame.astype({c: "float64" for c in columns[3:]})


def test_a_reported_share_without_amounts_is_used_and_marked_reported():
    frame = figures(
        [
            ("AAA", 2024, "actual", 30.0, 30.0, 1000.0, 1000.0, 3.0),
            ("BBB", 2024, "actual", None, None, None, None, 2.5),
            ("BBB", 2023, "actual", None, None, None, None, None),
        ]
    )
    shared = progress.add_shares(frame)
    assert shared["share_of_gdp_pct"].tolist()[:2] == [3.0, 2.5]
    assert math.isnan(shared["share_of_gdp_pct"].iloc[2])
    assert shared["share_source"].tolist() == ["computed", "reported", None]


def test_the_computed_share_wins_when_both_are_known():
    shared = progress.add_shares(figures([("AAA", 2024, "actual", 30, 30, 1000, 1000, 3.4)]))
    assert shared["share_of_gdp_pct"].iloc[0] == 3.0
    assert shared["share_source"].iloc[0] == "computed"


def test_a_frame_without_the_reported_column_still_computes():
    frame = figures([("AAA", 2024, "actual", 30, 30, 1000, 1000, None)]).drop(
        columns="nato_share_of_gdp_pct"
    )
    shared = progress.add_shares(frame)
    assert shared["share_source"].tolist() == ["computed"]


def test_a_target_judged_on_a_reported_share_says_so_and_gives_no_usd_gap():
    frame = figures([("BBB", 2024, "actual", None, None, None, None, 1.5)])
    row = progress.build_progress_frame(frame, TARGETS).iloc[0]
    assert row["value_pct"] == 1.5
    assert not row["met"]
    assert row["gap_pp"] == 0.5
    assert math.isnan(row["gap_usd_m"])
    assert "NATO's reported share used" in row["note"]


def test_alliance_sums_leave_out_allies_known_only_by_their_reported_share():
    frame = figures(
        [
            ("AAA", 2024, "actual", 30, 30, 1000, 1000, 3.0),
            ("BBB", 2024, "actual", None, None, None, None, 2.5),
        ]
    )
    alliance = progress.build_alliance_frame(frame, MEMBERS).iloc[0]
    assert alliance["allies_with_data"] == 1
    assert alliance["share_of_gdp_pct"] == 3.0
