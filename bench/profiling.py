"""Where one request's time goes: cProfile of each path, in-process with the production
settings of the environment (DATABASE_URL, REDIS_URL, CACHE), after one unprofiled request.

Run by `make bench` for the endpoints furthest from their targets:
    python bench/profiling.py cold /members/POL/ /     # prints one JSON line
"""

import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nato_tracker.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

TOP = 8


def label(function):
    """`file:line(name)` with the path shortened to the project or the package."""
    filename, line, name = function
    path = filename.replace(str(ROOT) + "/", "")
    if "site-packages/" in path:
        path = path.split("site-packages/", 1)[1]
    return f"{path}:{line}({name})"


def profile(client, path, mode):
    """Total ms of one request and its TOP functions by own time and by cumulative time."""
    client.get(path)  # the warm-up: lazy imports, connections, and the cache primed if warm
    if mode == "cold":
        cache.clear()
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    response = client.get(path)
    profiler.disable()
    total_ms = 1000 * (time.perf_counter() - started)
    stats = pstats.Stats(profiler).stats
    rows = [(label(f), tt * 1000, ct * 1000, f[0]) for f, (_, _, tt, ct, _) in stats.items()]
    own = sorted(rows, key=lambda row: -row[1])[:TOP]
    # Project code below the middleware chain (the wrappers around everything say nothing).
    project = [
        row
        for row in rows
        if row[3].startswith(str(ROOT))
        and "site-packages" not in row[3]
        and not row[0].endswith("(__call__)")
    ]
    cumulative = sorted(project, key=lambda row: -row[2])[:TOP]
    return {
        "path": path,
        "status": response.status_code,
        "total_ms": round(total_ms, 1),
        "own": [(name, round(tt, 1)) for name, tt, _, _ in own],
        "cumulative": [(name, round(ct, 1)) for name, _, ct, _ in cumulative],
    }


if __name__ == "__main__":
    mode, paths = sys.argv[1], sys.argv[2:]
    client = Client(HTTP_HOST="127.0.0.1")
    print(json.dumps([profile(client, path, mode) for path in paths]))
