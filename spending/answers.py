"""Answers derived from the data, stored with it at each write instead of computed per request.

The headline progress answer (the newest edition, each member's newest year: what
`progress/` shows by default, and `members/` its latest shares) costs the whole
`spending.progress` computation.
The data changes only when an import, a rollback, the fixtures or an admin's edit writes it,
and each of those ends with `spending.writes.record_write()`, which calls `store()`: the rows
are computed once there and committed with the new version. A request reads them with one
query, filtered and paged by the database. Any other answer (another edition or year) is
computed per request.
The same write marks each figure row that is its member-year's newest vintage.
"""

from django.db.models import BooleanField, ExpressionWrapper, Q, Subquery

from spending import frames, progress

NO_FIGURES_NOTE = "NATO publishes no figures for this member: no target applies."


def progress_rows(edition, figures, members, targets, codes=None):
    """Each member's progress row in `figures` (one edition), by ISO3; `codes` keeps only those."""
    breaks = frames.build_breaks_frame(edition)
    summary = progress.summarise_members(figures, members, targets, breaks=breaks).to_dict()
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


def store(version):
    """Computes the headline progress answer and stores it under `version`, replacing any other.

    Runs inside the writing transaction: the newest-vintage marks of every figure row (one
    update), three reads, then the rows, exactly the API's JSON rows (a delete and an insert).
    """
    from spending.api.serializers import ProgressSerializer
    from spending.models import ProgressAnswer, YearlyFigure

    YearlyFigure.objects.update(
        newest=ExpressionWrapper(Q(edition=Subquery(newest_edition())), BooleanField())
    )

    members = frames.build_member_details_frame()
    targets = frames.build_targets_frame()
    _, edition, figures = frames.build_edition_figures_frames()
    rows = ProgressSerializer(progress_rows(edition, figures, members, targets), many=True).data
    ProgressAnswer.objects.all().delete()
    ProgressAnswer.objects.bulk_create(
        [ProgressAnswer(version=version, iso3=row["iso3"], row=row) for row in rows]
    )


def newest_edition():
    """Subquery: the newest edition holding the outer figure's member-year, never spliced."""
    from spending.models import YearlyFigure

    return YearlyFigure.objects.newest_vintage_of_outer()


def store_if_missing():
    """Stores the headline answer of the current data version unless it is there already."""
    from spending.models import DataVersion, ProgressAnswer

    version = DataVersion.current()[0]
    if not ProgressAnswer.objects.filter(version=version).exists():
        store(version)


def stored_progress(version, codes=None):
    """The stored headline rows of `version` as a queryset ordered by ISO3 (empty if none)."""
    from spending.models import ProgressAnswer

    rows = ProgressAnswer.objects.filter(version=version)
    if codes:
        rows = rows.filter(iso3__in=codes)
    return rows.order_by("iso3")
