"""One write's recompute of every stored answer (all editions, members and years): its time
and peak memory, on the database of DATABASE_URL, rolled back so nothing changes.

Run by `make bench` in a subprocess of its own (so the peak is this write's alone):
    python bench/recompute.py      # prints one JSON line
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nato_tracker.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from bench.memory import peak_rss_mib, traced_peak  # noqa: E402
from members.models import Member  # noqa: E402
from spending.models import Edition, YearlyFigure  # noqa: E402
from spending.writes import record_write  # noqa: E402


def one_write():
    """Seconds of one record_write() in a rolled-back transaction."""
    with transaction.atomic():
        started = time.perf_counter()
        record_write()
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


if __name__ == "__main__":
    Edition.objects.exists()  # connect before measuring
    rss_before = peak_rss_mib()
    seconds = one_write()
    rss_after = peak_rss_mib()
    _, python_peak = traced_peak(one_write)
    print(
        json.dumps(
            {
                "allies": Member.objects.count(),
                "editions": Edition.objects.count(),
                "figure_rows": YearlyFigure.objects.count(),
                "seconds": round(seconds, 2),
                "peak_rss_mb_before": round(rss_before),
                "peak_rss_mb_after": round(rss_after),
                "python_peak_mb": round(python_peak, 1),
            }
        )
    )
