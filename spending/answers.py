"""Answers derived from the data, stored with it at each write instead of computed per request.

Every progress answer (each edition, each year as it stood then, each member's newest year)
and every alliance answer (each edition's yearly totals) costs the whole `spending.progress`
computation. The data changes only when an import, a rollback, the fixtures or an admin's
edit writes it, and each of those ends with `spending.writes.record_write()`, which calls
`store()`: the rows are computed once there and committed with the new data version.

Rows are keyed by the data version and the code version (`CODE_VERSION`: a digest of the
modules that compute or shape them and of their constants), so after a deploy that changes
the maths no reader serves rows computed by the old code: it finds none and computes, until
`make release` (`load_nato_data`) stores the new ones. The same write marks each figure row
that is its member-year's newest vintage.
"""

import hashlib
import importlib
import json
import pkgutil
from pathlib import Path

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Subquery

from members.models import Member
from spending import frames, progress
from spending.api import serializers
from spending.models import (
    AllianceAnswer,
    DataVersion,
    Edition,
    FigureSummary,
    ProgressAnswer,
    YearlyFigure,
)

NO_FIGURES_NOTE = "NATO publishes no figures for this member: no target applies."
# The modules whose code or constants decide a stored row: the maths, the frames it reads,
# the rounding, this module and the serializers that shape the rows.
CODE_MODULES = (
    "spending.progress",
    "spending.frames",
    "spending.precision",
    "spending.api.serializers",
    __name__,
)


def code_modules():
    """The code modules, the progress package's modules one by one."""
    modules = [importlib.import_module(name) for name in CODE_MODULES]
    package = modules[0]
    for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
        modules.append(importlib.import_module(info.name))
    return sorted(modules, key=lambda module: module.__name__)


def compute_code_version():
    """A digest (16 hex digits) of the source and upper-case constants of the code modules."""
    digest = hashlib.sha256()
    for module in code_modules():
        digest.update(module.__name__.encode())
        digest.update(Path(module.__file__).read_bytes())
        for constant, value in sorted(vars(module).items()):
            if constant.isupper() and constant != "CODE_VERSION":
                digest.update(f"{constant}={value!r}".encode())
    return digest.hexdigest()[:16]


CODE_VERSION = None  # set below, once every code module is imported


def refresh_code_version():
    """Recomputes CODE_VERSION, as a server started on new code would; returns it."""
    global CODE_VERSION
    CODE_VERSION = compute_code_version()
    return CODE_VERSION


def progress_rows(edition, figures, members, targets, codes=None, breaks=None, verdicts=None):
    """Each member's progress row in `figures` (one edition), by ISO3; `codes` keeps only those.

    `breaks` and `verdicts` (the progress frame), when given, save reading and computing them.
    """
    if breaks is None:
        breaks = frames.build_breaks_frame(edition)
    summary = progress.summarise_members(
        figures, members, targets, progress=verdicts, breaks=breaks
    ).to_dict()
    rows = []
    for iso3, row in summary.items():
        if codes and iso3 not in codes:
            continue
        reports = bool(row["reports_figures"])
        rows.append(
            {
                **row,
                "edition": edition,
                "note": "" if reports else NO_FIGURES_NOTE,
                "targets": row["targets"] if reports else {},
            }
        )
    return sorted(rows, key=lambda row: row["iso3"])


def alliance_rows(edition, figures, members, targets):
    """The alliance row of each year of `figures` (one edition), with allies meeting each target."""
    if figures.empty:
        return []
    alliance = progress.build_alliance_frame(figures, members)
    counts = progress.count_allies_meeting(
        progress.build_progress_frame(figures, targets), figures, members
    )
    by_year = {}
    for count in progress.to_records(counts):
        by_year.setdefault(count.pop("year"), {})[count.pop("target")] = count
    return [
        {"edition": edition, **row, "targets": by_year.get(row["year"], {})}
        for row in progress.to_records(alliance)
    ]


def fair_share_rows(edition, figures, members):
    """Each member's and each group's fair-share row per year of `figures` (one edition)."""
    frame = progress.build_fair_share_frame(figures, members)
    return [{"edition": edition, **row} for row in progress.to_records(frame)]


def revision_rows(iso3s=None, members=None):
    """Each ally-year held by two editions: its name, both shares of GDP (%) and the revision
    (points), largest revisions first. `members`: the members frame, when already read."""
    if members is None:
        members = frames.build_members_frame()
    order, changes = frames.build_editions_with_definition_changes()
    figures = frames.build_figures_across_editions_frame(iso3s=iso3s)
    revisions = progress.build_revisions(figures, order, changes)
    names = dict(members[["iso3", "name"]].itertuples(index=False))
    return [
        {"iso3": row["iso3"], "name": names.get(row["iso3"], row["iso3"]), **row}
        for row in progress.to_records(revisions)
    ]


def store(version):
    """Computes every stored answer and stores it under (`version`, CODE_VERSION), replacing
    all others.

    Runs inside the writing transaction: the newest-vintage marks of every figure row (one
    update), then for each edition its figures, the progress rows of each year and of each
    member's newest year, and the alliance rows: exactly the API's JSON rows.
    """
    YearlyFigure.objects.update(
        newest=ExpressionWrapper(Q(edition=Subquery(newest_edition())), BooleanField())
    )
    members = frames.build_member_details_frame()
    member_rows = frames.build_members_frame()
    targets = frames.build_targets_frame()
    slugs = list(Edition.objects.newest_first().values_list("slug", flat=True))
    progress_answers, alliance_answers = [], []
    for position, slug in enumerate(slugs):
        _, edition, figures = frames.build_edition_figures_frames(slug)
        key = {"version": version, "code_version": CODE_VERSION, "edition": edition}
        key["newest_edition"] = position == 0
        breaks = frames.build_breaks_frame(edition)
        # A year's verdicts read that year and earlier ones only: computed once for all years.
        verdicts = progress.build_progress_frame(figures, targets)
        as_of = [None, *sorted(int(year) for year in figures["year"].unique())]
        for year in as_of:
            # Paths and trends as they stood in that year: nothing later is used.
            held, judged = figures, verdicts
            if year is not None:
                held = figures[figures["year"] <= year]
                judged = verdicts[verdicts["year"] <= year]
            rows = progress_rows(edition, held, members, targets, breaks=breaks, verdicts=judged)
            shaped = serializers.ProgressSerializer(rows, many=True).data
            progress_answers += [
                ProgressAnswer(**key, year=year, iso3=row["iso3"], row=json.dumps(row))
                for row in shaped
            ]
        rows = alliance_rows(edition, figures, member_rows, targets)
        shaped = serializers.AllianceSerializer(rows, many=True).data
        alliance_answers += [
            AllianceAnswer(**key, year=row["year"], row=json.dumps(row)) for row in shaped
        ]
    ProgressAnswer.objects.all().delete()
    AllianceAnswer.objects.all().delete()
    FigureSummary.objects.all().delete()
    ProgressAnswer.objects.bulk_create(progress_answers, batch_size=1000)
    AllianceAnswer.objects.bulk_create(alliance_answers, batch_size=1000)
    FigureSummary.objects.create(
        version=version, code_version=CODE_VERSION, summary=json.dumps(figure_summary())
    )


def figure_summary():
    """What the figures hold, for the figures API (FigureSummary): the editions newest first
    as [slug, first year, last year], every member's ISO3, and the rows of each edition (""
    for the newest vintage of each member-year, as marked by `store`) by member and status."""
    rows = {}
    figures = YearlyFigure.objects.order_by()
    for key, held in (("edition__slug", figures), (None, figures.filter(newest=True))):
        fields = [key] if key else []
        counted = held.values_list(*fields, "member__iso3", "status").annotate(rows=Count("pk"))
        for *edition, iso3, status, count in counted:
            rows.setdefault(edition[0] if key else "", {}).setdefault(iso3, {})[status] = count
    return {
        "editions": [list(held) for held in Edition.objects.years_held()],
        "members": sorted(Member.objects.values_list("iso3", flat=True)),
        "rows": rows,
    }


def count_figures(summary, edition=None, iso3s=None, status=None):
    """How many figure rows of `edition` (None: the newest vintages) the summary counts for
    the members `iso3s` (None: all) with `status` (None: any)."""
    held = summary["rows"].get(edition or "", {})
    chosen = held if not iso3s else {iso3: held.get(iso3, {}) for iso3 in set(iso3s)}
    return sum(
        count
        for statuses in chosen.values()
        for name, count in statuses.items()
        if status in (None, name)
    )


def stored_row(values):
    """The API row of a stored answer read as `values_list("row")`."""
    return json.loads(values[0])


def newest_edition():
    """Subquery: the newest edition holding the outer figure's member-year, never spliced."""
    return YearlyFigure.objects.newest_vintage_of_outer()


def is_stored(version):
    """True when the answers of `version` computed by this code are stored."""
    return ProgressAnswer.objects.filter(version=version, code_version=CODE_VERSION).exists()


def store_if_missing():
    """Stores the answers of the current data version unless this code's are there already."""
    version = DataVersion.current()[0]
    if not is_stored(version):
        store(version)


def stored_progress(version, codes=None, edition=None, year=None):
    """The stored progress rows of `version` and this code, ordered by ISO3 (empty if none):
    one edition (default: the newest), as of one year (default: each member's newest)."""
    rows = ProgressAnswer.objects.filter(version=version, code_version=CODE_VERSION, year=year)
    rows = rows.filter(edition=edition) if edition else rows.filter(newest_edition=True)
    if codes:
        rows = rows.filter(iso3__in=codes)
    return rows.order_by("iso3")


def stored_figure_summary(version):
    """The figure summary stored for `version` by this code, or None."""
    stored = FigureSummary.objects.filter(version=version, code_version=CODE_VERSION)
    summary = stored.values_list("summary", flat=True).first()
    return None if summary is None else json.loads(summary)


def stored_alliance(version, edition=None, year=None):
    """The stored alliance rows of `version` and this code, by year (empty if none)."""
    rows = AllianceAnswer.objects.filter(version=version, code_version=CODE_VERSION)
    rows = rows.filter(edition=edition) if edition else rows.filter(newest_edition=True)
    if year is not None:
        rows = rows.filter(year=year)
    return rows.order_by("year")


refresh_code_version()
