"""Synthetic data for the cost-growth check: ALLIES× the allies and YEARS× the years.

Every synthetic value is a copy of a real NATO figure moved to another (made-up) ally or year;
it lives only in the benchmark's throwaway database and is never shipped or shown as NATO's.
Run with the benchmark's DATABASE_URL: ``python bench/synthetic.py ALLIES YEARS`` (5 2 is 10×
the data: five times the allies, each with twice the years).
"""

import datetime
import itertools
import os
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nato_tracker.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.forms.models import model_to_dict  # noqa: E402

from bench.memory import peak_rss_mib  # noqa: E402
from members.models import Member  # noqa: E402
from spending.models import YearlyFigure  # noqa: E402
from spending.writes import record_write  # noqa: E402


def unused_codes(length, taken):
    """Upper-case codes of `length` letters not in `taken`, in order."""
    for letters in itertools.product(string.ascii_uppercase, repeat=length):
        code = "".join(letters)
        if code not in taken:
            yield code


@transaction.atomic
def grow(allies_factor, years_factor):
    """Adds allies_factor-1 synthetic copies of every ally, then years_factor-1 earlier copies
    of each year for every ally, real or synthetic."""
    members = list(Member.objects.all())
    iso2 = unused_codes(2, {m.iso2 for m in members})
    iso3 = unused_codes(3, {m.iso3 for m in members})
    copies = {}
    for k in range(1, allies_factor):
        for member in members:
            copy = Member.objects.create(
                iso2=next(iso2),
                iso3=next(iso3),
                name=f"{member.name} (synthetic {k})",
                accession_date=datetime.date(1800, 1, 1),
                reports_figures=member.reports_figures,
                fiscal_year=member.fiscal_year,
            )
            copies.setdefault(member.pk, []).append(copy)
    figures = list(YearlyFigure.objects.all())
    years = sorted({f.year for f in figures})
    span = years[-1] - years[0] + 1
    fields = [f.name for f in YearlyFigure._meta.fields if f.name not in ("id",)]
    rows = []
    for figure in figures:
        values = model_to_dict(figure, fields=fields)
        values["edition_id"] = values.pop("edition")
        values.pop("member")
        owners = [figure.member_id] + [c.pk for c in copies.get(figure.member_id, [])]
        for owner in owners:
            for shift in range(years_factor):
                if owner == figure.member_id and shift == 0:
                    continue
                rows.append(
                    YearlyFigure(
                        **{**values, "member_id": owner, "year": figure.year - shift * span}
                    )
                )
    YearlyFigure.objects.bulk_create(rows, batch_size=2000)
    # One write's recompute of every stored answer (all editions, members and years).
    started, rss_before = time.perf_counter(), peak_rss_mib()
    record_write()
    seconds, rss_after = time.perf_counter() - started, peak_rss_mib()
    print(
        f"one write's recompute: {seconds:.1f} s, peak RSS {rss_before:.0f} → {rss_after:.0f} MiB"
    )
    return Member.objects.count(), YearlyFigure.objects.count()


if __name__ == "__main__":
    allies, rows = grow(int(sys.argv[1]), int(sys.argv[2]))
    print(f"{allies} allies, {rows} yearly figure rows")
