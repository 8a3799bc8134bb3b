"""The maths each page shows, computed once per data version and code, then stored.

A cold overview or ally page used to run the whole `spending.progress` computation per
request (pandas, hundreds of milliseconds). Here it runs once: the overview's at each write
(`store`) and ally pages' at release (`store_all`, from `load_nato_data`) or on the first
request that needs one, and every later cold request reads the stored result (`PageAnswer`,
one query) and only draws and renders. The pages turn the same answers into the same HTML
either way (tests/spending/test_page_answers.py).

Rows are keyed by the data version and by the code that computes them: the stored answers'
code version (spending/answers.py, the maths modules and their constants), this module's own
source, and the pandas version that pickled the frames. A reader never takes a row of other
code: it computes instead, as after a deploy before `make release`. A result is stored only
when no write came in while it was computed, so a row never mixes two versions' data.
"""

import hashlib
import logging
import pickle
from pathlib import Path

import django
import pandas as pd
from django.db import DatabaseError, transaction

from members.models import Member
from spending import answers, frames, progress
from spending.models import DataVersion, Edition, PageAnswer

logger = logging.getLogger(__name__)

OVERVIEW = "overview"
# This module's source, and the pandas and Django whose objects are pickled: a new one of any
# is new code.
PAGE_CODE = hashlib.sha256(
    Path(__file__).read_bytes() + f"{pd.__version__} {django.__version__}".encode()
).hexdigest()[:8]


def code_version():
    """The code a stored page answer was computed by (the answers' code version can change
    at run time: `answers.refresh_code_version`)."""
    return f"{answers.CODE_VERSION}-{PAGE_CODE}"


def member_key(iso3):
    return f"member:{iso3}"


def load_alliance_state(edition):
    """Frames for every member of one edition plus the targets; three queries."""
    members = frames.build_members_frame()
    targets = frames.build_targets_frame()
    figures = (
        frames.build_figures_frame(edition)
        if edition
        else frames.frame_from_rows([], frames.FIGURE_COLUMNS)
    )
    return figures, members, targets


def compute_overview():
    """Everything the overview and its charts show, for the newest edition: its frames, each
    member's summary row, the allies meeting each target, the alliance's and the fair-share
    sums."""
    edition = Edition.objects.newest()
    figures, members, targets = load_alliance_state(edition)
    progress_frame = progress.build_progress_frame(figures, targets)
    breaks = frames.build_breaks_frame(edition.slug if edition else None)
    summary = progress.summarise_members(
        figures, members, targets, progress=progress_frame, breaks=breaks
    )
    return {
        "edition": edition,
        "figures": figures,
        "members": members,
        "targets": targets,
        "progress": progress_frame,
        "summary": summary.to_dict(),
        "counts": progress.count_allies_meeting(progress_frame, figures, members),
        "alliance": progress.build_alliance_frame(figures, members),
        "fair_share": progress.build_fair_share_frame(figures, members),
    }


def compute_member(iso3, edition, members):
    """Everything an ally's page shows of `edition` (`members`: every Member): its summary,
    targets and history (`progress.describe_member`), each edition's history where more than
    one holds it, and its series breaks."""
    members_frame = frames.build_members_frame(members)
    targets = frames.build_targets_frame()
    figures, editions = frames.build_figures_and_member_editions(edition, iso3)
    breaks = frames.build_breaks_frame(edition.slug)
    described = progress.describe_member(figures, members_frame, targets, iso3, breaks=breaks)
    vintages = []
    if len(editions) > 1:
        vintages = [
            {**vintage, "history": progress.to_records(progress.add_shares(vintage["figures"]))}
            for vintage in editions
        ]
    return {
        "edition": edition.slug,
        "described": described,
        "vintages": vintages,
        "series_breaks": progress.to_records(breaks[breaks["iso3"] == iso3]),
    }


def overview():
    """The overview's answer: stored, else computed (and stored)."""
    return read(OVERVIEW, compute_overview)


def member(iso3, edition, members):
    """An ally's answer for `edition` (the newest): stored, else computed (and stored)."""
    found = read(member_key(iso3), lambda: compute_member(iso3, edition, members))
    if found["edition"] != edition.slug:
        # Stored under this data version for another edition: cannot happen without a write
        # (which bumps the version), but never show one edition's maths as another's.
        found = compute_member(iso3, edition, members)
    return found


def read(key, compute):
    version = DataVersion.current()[0]
    stored = PageAnswer.objects.filter(version=version, code_version=code_version(), key=key)
    payload = stored.values_list("payload", flat=True).first()
    if payload is not None:
        return pickle.loads(payload)
    value = compute()
    keep(version, {key: value})
    return value


def rows_of(version, values):
    return [
        PageAnswer(
            version=version,
            code_version=code_version(),
            key=key,
            payload=pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL),
        )
        for key, value in values.items()
    ]


def keep(version, values):
    """Stores `values` ({key: answer}) under `version`, unless a write came in since it was
    read (the answers may then mix both versions' data) or another process stored them first.
    A database that refuses the write (a locked SQLite file) only costs the next request the
    computation again."""
    if DataVersion.current()[0] != version:
        return
    rows = rows_of(version, values)
    try:
        with transaction.atomic():
            PageAnswer.objects.bulk_create(rows, ignore_conflicts=True)
    except DatabaseError as error:
        logger.warning("page answers not stored: %s", error)


def store(version):
    """At a write, inside its transaction: drops every page answer and stores the overview's
    (a third of a second; each ally page's is computed when first asked for, or by
    `store_all` at release)."""
    PageAnswer.objects.all().delete()
    # Inside the write's transaction, which holds the data version's lock: nothing can come in.
    PageAnswer.objects.bulk_create(rows_of(version, {OVERVIEW: compute_overview()}))


def store_all():
    """At release: every page answer of the current data that this code has not stored yet."""
    version = DataVersion.current()[0]
    held = set(
        PageAnswer.objects.filter(version=version, code_version=code_version()).values_list(
            "key", flat=True
        )
    )
    values = {} if OVERVIEW in held else {OVERVIEW: compute_overview()}
    edition = Edition.objects.newest()
    everyone = list(Member.objects.all())
    if edition is not None:
        for ally in everyone:
            if ally.reports_figures and member_key(ally.iso3) not in held:
                values[member_key(ally.iso3)] = compute_member(ally.iso3, edition, everyone)
    PageAnswer.objects.exclude(version=version, code_version=code_version()).delete()
    keep(version, values)
    return len(values)
