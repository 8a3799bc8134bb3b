"""Pure maths on pandas frames: shares, verdicts, paths, alliance totals and vintages.

No Django, no database, no I/O: every function takes frames and returns new frames, so the
page and the API show the same number from the same function. Frames come from
`spending.frames`; targets come from the targets frame only (admins can edit them), never
from constants here. The modules, in the order the maths runs:

- `shares`: shares of GDP as NATO computes them, and NATO's rounding;
- `verdicts`: each member-year's state against each target (met, gaps, run of years met);
- `paths`: each member's remaining effort and trend towards each target;
- `alliance`: the alliance's yearly totals and how many allies meet each target;
- `fairshare`: each ally's share of the alliance's defence spending against its share of GDP;
- `summary`: each member's newest year in one row, with its rank;
- `vintages`: one figure across the editions that hold it;
- `revisions`: each ally-year's share of GDP revised between two editions;
- `scenarios`: what it would take to reach a target by a deadline, ally by ally and in sum;
- `records`: frames to plain Python values.
"""

from spending.progress.alliance import build_alliance_frame, count_allies_meeting
from spending.progress.fairshare import build_fair_share_frame
from spending.progress.paths import build_paths, build_trend_line
from spending.progress.records import to_records
from spending.progress.revisions import build_revisions, order_allies_by_revision
from spending.progress.shares import add_shares, round_pct, share_of_figure, share_of_gdp_pct
from spending.progress.summary import (
    MemberSummary,
    describe_member,
    summarise_members,
    summarise_shares,
)
from spending.progress.verdicts import build_progress_frame, gdp_band, gdp_bands, meets
from spending.progress.vintages import build_vintage_history

__all__ = [
    "MemberSummary",
    "add_shares",
    "build_alliance_frame",
    "build_fair_share_frame",
    "build_paths",
    "build_progress_frame",
    "build_revisions",
    "build_trend_line",
    "build_vintage_history",
    "count_allies_meeting",
    "describe_member",
    "gdp_band",
    "gdp_bands",
    "meets",
    "order_allies_by_revision",
    "round_pct",
    "share_of_figure",
    "share_of_gdp_pct",
    "summarise_members",
    "summarise_shares",
    "to_records",
]
