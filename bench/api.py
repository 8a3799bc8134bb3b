"""Time each API endpoint cold (empty cache) and warm, and print its size and query count.

Run against the local database after `make migrate`:
    DEBUG=1 .venv/bin/python bench/api.py
Timings live here, never in the tests.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nato_tracker.settings")
os.environ.setdefault("API_ANON_THROTTLE_RATE", "1000000/minute")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

URLS = [
    "/api/v1/members/",
    "/api/v1/members/POL/",
    "/api/v1/members/POL/history/",
    "/api/v1/editions/",
    "/api/v1/targets/",
    "/api/v1/figures/",
    "/api/v1/figures/?page_size=500",
    "/api/v1/figures/?format=csv",
    "/api/v1/progress/",
    "/api/v1/progress/?format=csv",
    "/api/v1/alliance/",
]
RUNS = 5


class QueryCounter(list):
    """An execute wrapper that keeps the SQL of every query run through it."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def main():
    client = Client(HTTP_HOST="localhost")
    print(f"{'endpoint':34} {'cold ms':>8} {'warm ms':>8} {'bytes':>8} {'queries':>8}")
    for url in URLS:
        colds, warms = [], []
        for _ in range(RUNS):
            cache.clear()
            start = time.perf_counter()
            queries = QueryCounter()
            with connection.execute_wrapper(queries):
                response = client.get(url)
            colds.append(time.perf_counter() - start)
            start = time.perf_counter()
            client.get(url)
            warms.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        cold, warm = (1000 * sorted(times)[RUNS // 2] for times in (colds, warms))
        print(f"{url:34} {cold:8.1f} {warm:8.1f} {len(response.content):8d} {len(queries):8d}")


if __name__ == "__main__":
    main()
