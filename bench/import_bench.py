"""Import benchmark: 20,000 member-year rows, parse + validate + preview, apply, revise, undo.

Run on PostgreSQL (the database the app runs on in production):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nato_bench DEBUG=1 \
        .venv/bin/python bench/import_bench.py
It migrates the database, adds synthetic members ("Q" codes) and a synthetic edition, measures,
and removes everything it added. Prints rows per second and peak memory per phase.
"""

import csv
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nato_tracker.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from datetime import date  # noqa: E402
from string import ascii_uppercase  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.memory import peak_rss_mib, traced_peak  # noqa: E402
from members.models import Member  # noqa: E402
from spending.importing import (  # noqa: E402
    FIRST_YEAR,
    WIDE_COLUMNS,
    apply_batch,
    choose_edition,
    preview_upload,
    rollback_batch,
)
from spending.models import (  # noqa: E402
    AMOUNT_FIELDS,
    METRIC_FIELDS,
    SHARE_FIELDS,
    Edition,
    ImportBatch,
)

ROWS = 20_000
EDITION = "bench-synthetic"


def synthetic_members(count):
    """Members with codes Q.. that no real ally has, joined in 1949 (no accession warnings)."""
    taken = set(Member.objects.values_list("iso2", flat=True))
    codes = [a + b for a in ascii_uppercase for b in ascii_uppercase if a + b not in taken]
    return [
        Member(
            iso2=code,
            iso3="Q" + code,
            name=f"Benchland {code}",
            accession_date=date(FIRST_YEAR, 1, 1),
        )
        for code in codes[:count]
    ]


def wide_file(members, years, rng, revised=None):
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(WIDE_COLUMNS)
    written = 0
    for member in members:
        for year in years:
            if written == ROWS:
                break
            values = []
            for name in METRIC_FIELDS:
                if name in SHARE_FIELDS:
                    values.append(round(rng.uniform(0, 100), 2))
                elif name in AMOUNT_FIELDS:
                    values.append(round(rng.uniform(0, 1e6), 1))
                else:
                    values.append(round(rng.uniform(-20, 20), 2))
            if revised is not None and written % revised == 0:
                values[2] = values[2] + 1
            writer.writerow([member.iso3, year, EDITION, "actual", *values, ""])
            written += 1
    return out.getvalue().encode()


def measure(label, rows, function):
    """Runs function once, timed; prints rows per second and the process's peak memory."""
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    print(
        f"{label:<38} {seconds:7.2f} s  {rows / seconds:9,.0f} rows/s  "
        f"peak RSS so far {peak_rss_mib():6.0f} MiB"
    )
    return result


def main():
    print(f"database: {connection.vendor} {settings.DATABASES['default'].get('NAME')}")
    call_command("migrate", verbosity=0)
    settings.IMPORT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
    # The rows and their header line, all within the reading budget (20 columns a row).
    settings.IMPORT_MAX_ROWS = ROWS + 1
    settings.IMPORT_MAX_CELLS = (ROWS + 1) * len(WIDE_COLUMNS)
    rng = random.Random(2026)
    years = list(range(FIRST_YEAR, date.today().year + 2))
    members = synthetic_members(-(-ROWS // len(years)))
    Member.objects.bulk_create(members)
    members = list(Member.objects.filter(iso3__startswith="Q").order_by("iso3"))
    try:
        rng_state = rng.getstate()
        content = wide_file(members, years, rng)
        print(f"file: {ROWS:,} member-year rows, {len(content) / 2**20:.1f} MiB of CSV")
        choice = choose_edition(EDITION, title="Benchmark", cutoff_on="1900-01-01")
        batch = measure(
            "parse + validate + preview (new)",
            ROWS,
            lambda: preview_upload(content, "b.csv", choice),
        )
        assert batch.status == ImportBatch.State.PREVIEWED, batch.preview["messages"][:3]
        # Random synthetic values are implausible by construction: acknowledged, as staff would.
        measure(
            "apply (20,000 new rows)",
            ROWS,
            lambda: apply_batch(batch.pk, acknowledge_implausible=True),
        )

        rng.setstate(rng_state)
        revised = wide_file(members, years, rng, revised=10)
        choice = choose_edition(EDITION)
        revision = measure(
            "parse + validate + preview (revision)",
            ROWS,
            lambda: preview_upload(revised, "b2.csv", choice),
        )
        print(f"  revision: {revision.counts['changed']:,} rows changed")
        _, peak = traced_peak(lambda: preview_upload(revised, "b3.csv", choice))
        print(f"  peak Python allocation of one preview (tracemalloc): {peak:.0f} MiB")
        measure(
            "apply (revision)", ROWS, lambda: apply_batch(revision.pk, acknowledge_implausible=True)
        )
        measure("rollback (revision)", ROWS, lambda: rollback_batch(revision.pk))
        measure("rollback (new rows)", ROWS, lambda: rollback_batch(batch.pk))
    finally:
        ImportBatch.objects.filter(edition_slug=EDITION).update(rolls_back=None)
        ImportBatch.objects.filter(edition_slug=EDITION).delete()
        edition = Edition.objects.filter(slug=EDITION).first()
        if edition:
            edition.figures.all().delete()
            edition.delete()
        Member.objects.filter(iso3__startswith="Q", name__startswith="Benchland").delete()
    print(f"peak resident memory of the process: {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
