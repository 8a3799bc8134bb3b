"""`make bench`: the app's speed under load, as ratios to a do-nothing floor measured in the
same run. Writes bench/RESULTS.md. Not part of `make test` (tests never time things).

What runs: gunicorn through `make serve` with the production settings (DEBUG off, JSON logs,
the tolerant Redis cache) on a throwaway PostgreSQL cluster and a throwaway Redis, both on
loopback; wrk where installed (Debian's package), a threaded Python client otherwise.

    make bench                          # a few minutes: 3 × 3 s slices, 10 s soaks
    make bench BENCH_ARGS=--full        # 4 × 5 s slices, 30 s soaks as the issue states
    python bench/run.py --help
"""

import argparse
import http.client
import json
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import (  # noqa: E402
    ENDPOINTS,
    FLOOR,
    PROFILED,
    safe_ratio,
    target_of,
    write_results,
)
from tests.drills.servers import (  # noqa: E402
    PG_BIN,
    Gunicorn,
    PostgresCluster,
    RedisServer,
    app_env,
    get,
    release,
)


@dataclass
class Result:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int = 0
    statuses: dict = field(default_factory=dict)


# --- load generators ------------------------------------------------------------------------

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url, connections, seconds, headers):
    """Runs wrk; its requests per second, p50/p99 latency and errors of any kind."""
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def latency(percent):
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * UNITS_MS[unit]

    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), "
        r"timeout (\d+)",
        out,
    )
    bad_status = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = sum(map(int, socket_errors.groups())) if socket_errors else 0
    errors += int(bad_status.group(1)) if bad_status else 0
    return Result(
        requests_per_s=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50_ms=latency(50),
        p99_ms=latency(99),
        errors=errors,
        requests=int(re.search(r"(\d+) requests in", out).group(1)),
    )


def python_load(url, connections, seconds, headers):
    """A threaded keep-alive client, for machines without wrk; same measures as wrk()."""
    match = re.match(r"http://([^:/]+):(\d+)(.*)", url)
    host, port, path = match.group(1), int(match.group(2)), match.group(3)
    latencies, statuses, errors = [], {}, [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client():
        connection = http.client.HTTPConnection(host, port, timeout=10)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=10)
                with lock:
                    errors[0] += 1
                continue
            with lock:
                latencies.append(1000 * (time.perf_counter() - started))
                statuses[status] = statuses.get(status, 0) + 1
                if status >= 400:
                    errors[0] += 1

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return Result(
        requests_per_s=len(latencies) / seconds,
        p50_ms=latencies[len(latencies) // 2] if latencies else float("nan"),
        p99_ms=latencies[int(len(latencies) * 0.99)] if latencies else float("nan"),
        errors=errors[0],
        requests=len(latencies),
        statuses=statuses,
    )


LOAD = wrk if shutil.which("wrk") else python_load


def sequential_p50_ms(url, count):
    """Median latency of `count` requests one after another (no contention): the cold cost."""
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        status, _, _ = get(url, timeout=600)
        timings.append(1000 * (time.perf_counter() - started))
        assert status == 200, (url, status)
    return statistics.median(timings)


def rows_returned(path, body):
    """How many data rows a response carries: on the overview its allies' rows plus the values
    of its ally × year heatmap (both grow with the data), years on an ally page, records in a
    JSON answer."""
    text = body.decode()
    if path.startswith("/api/"):
        data = json.loads(text)
        if isinstance(data, dict):
            data = data.get("results", data.get("members", data))
        return len(data)
    if path == "/":
        heatmap = re.search(r'<table class="heatmap".*?</table>', text, re.S)
        cells = len(re.findall(r"<td", heatmap.group(0))) if heatmap else 0
        return len(re.findall(r'<tr data-iso3="', text)) + cells
    if path.startswith("/compare/"):
        # The chosen allies × the years on offer: the series the page charts.
        years = re.search(r'<select id="from".*?</select>', text, re.S)
        chosen = len(re.findall(r'name="member" value="[A-Z]{3}" checked', text))
        return max(chosen, 1) * (len(re.findall(r"<option", years.group(0))) if years else 1)
    return len(re.findall(r'<th scope="row">\d{4}', text))


# --- the run --------------------------------------------------------------------------------


def available(server, say):
    """The endpoints this build has (the API arrives with issue 3): the rest are skipped."""
    present = []
    for name, path, target in ENDPOINTS:
        status = get(server.url + path, timeout=60)[0]
        if status == 404:
            say(f"  skipped {path}: 404 on this build")
        else:
            present.append((name, path, target))
    return present


def median_result(results):
    """The median of each measure over several slices; errors and requests added up."""
    return Result(
        requests_per_s=statistics.median(r.requests_per_s for r in results),
        p50_ms=statistics.median(r.p50_ms for r in results),
        p99_ms=statistics.median(r.p99_ms for r in results),
        errors=sum(r.errors for r in results),
        requests=sum(r.requests for r in results),
    )


def drain(server):
    """Waits until the requests a load generator left queued (slow cold pages) are done, so
    they do not eat into the next slice."""
    for _ in range(2):
        get(server.url + FLOOR, timeout=300)


def paired(server, path, args, headers, connections, seconds):
    """The endpoint and the floor in alternating slices, so the machine's other load (shared
    cores) weighs on both alike; (endpoint, floor, median of the per-slice ratios)."""
    endpoint, floor = [], []
    for _ in range(args.rounds):
        floor.append(LOAD(server.url + FLOOR, connections, seconds, {}))
        endpoint.append(LOAD(server.url + path, connections, seconds, headers))
        drain(server)
    ratio = statistics.median(
        safe_ratio(e.requests_per_s, f.requests_per_s) for e, f in zip(endpoint, floor, strict=True)
    )
    return median_result(endpoint), median_result(floor), ratio


def queries_per_request(server, path):
    """The SQL queries one request costs, as the server counted them."""
    return int(get(server.url + path, timeout=120)[1].get("X-Queries", -1))


def measure(server, endpoints, args, say, mode, queries):
    results = {}
    # A cold page takes a second or more on this machine: fewer connections and longer slices,
    # or a slice would end before its first answer.
    connections, seconds = (
        (args.cold_connections, 2 * args.seconds)
        if mode == "cold"
        else (args.connections, args.seconds)
    )
    for name, path, _ in endpoints:
        _, headers, _ = get(server.url + path, timeout=120)  # primes the cache when warm
        queries[(path, mode)] = queries_per_request(server, path)
        results[(name, path, mode)] = measured = paired(
            server, path, args, {}, connections, seconds
        )
        say(
            f"  {mode:5} {path:34} {measured[0].requests_per_s:8.1f} req/s  "
            f"p50 {measured[0].p50_ms:.2f} ms  floor {measured[1].requests_per_s:.0f} req/s  "
            f"ratio {measured[2]:.2f}  {queries[(path, mode)]} queries"
        )
        etag = headers.get("ETag")
        if mode == "warm" and etag:
            results[(name, path, "304")] = measured = paired(
                server, path, args, {"If-None-Match": etag}, connections, seconds
            )
            say(
                f"  304   {path:34} {measured[0].requests_per_s:8.1f} req/s  "
                f"p50 {measured[0].p50_ms:.2f} ms  ratio {measured[2]:.2f}"
            )
    return results


def soak(server, endpoints, args, say):
    """Zero errors at many concurrent connections on every endpoint (warm server)."""
    outcomes = {}
    for _, path, _ in [("floor", FLOOR, None), *endpoints]:
        result = LOAD(server.url + path, args.soak_connections, args.soak_seconds, {})
        outcomes[path] = result
        say(f"  soak {path:34} {result.requests} requests, {result.errors} errors")
    return outcomes


def growth(cluster, redis, endpoints, args, say, base_env):
    """Cold latency on the shipped data and on SCALE× allies and years, per rows returned."""
    cluster.create_database("bench_grown")
    grown_env = {**base_env, "DATABASE_URL": cluster.url("bench_grown")}
    release(grown_env)
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "synthetic.py"),
            str(args.scale_allies),
            str(args.scale_years),
        ],
        cwd=ROOT,
        env=grown_env,
        capture_output=True,
        text=True,
        check=True,
    )
    say(f"  synthetic data: {out.stdout.strip()}")
    measured = {}
    for label, env in (("shipped", base_env), ("grown", grown_env)):
        # A cold page on the grown data may take longer than a worker is normally allowed.
        with Gunicorn({**env, "CACHE": "0", "GUNICORN_TIMEOUT": "600"}) as server:
            # Each worker thread's set-up on the floor; then one request per endpoint.
            warm_up(server, [("floor", FLOOR, None)], env)
            for _, path, _ in endpoints:
                body = get(server.url + path, timeout=600)[2]
                measured[(path, label)] = (
                    rows_returned(path, body),
                    sequential_p50_ms(server.url + path, args.growth_requests),
                    len(body),
                )
    rows = []
    for name, path, _ in endpoints:
        (rows_1, ms_1, bytes_1), (rows_n, ms_n, bytes_n) = (
            measured[(path, "shipped")],
            measured[(path, "grown")],
        )
        row_factor, time_factor = rows_n / max(rows_1, 1), ms_n / ms_1
        rows.append(
            (name, path, rows_1, rows_n, ms_1, ms_n, row_factor, time_factor, bytes_n / bytes_1)
        )
        say(f"  growth {path:34} rows ×{row_factor:.1f}  cold latency ×{time_factor:.1f}")
    return rows, out.stdout.strip().replace("\n", "; ")


def warm_up(server, endpoints, env):
    """A new server's first requests pay for its workers' lazy set-up (imports, a database
    connection per thread): not the cost of an answer, so spent before anything is timed."""
    threads = int(env["WEB_CONCURRENCY"]) * int(env["GUNICORN_THREADS"])
    for _, path, _ in endpoints:
        for _ in range(2):
            clients = [
                threading.Thread(target=get, args=(server.url + path,), kwargs={"timeout": 120})
                for _ in range(threads)
            ]
            for client in clients:
                client.start()
            for client in clients:
                client.join()


def now():
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def commit():
    """The short commit the run measures."""
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True)
    return out.stdout.decode().strip()


def run_script(name, env, *args):
    """The JSON a bench/ script prints last (the app's JSON log lines come before it)."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / name), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def furthest_from_target(results, mode, count):
    """The paths of `mode` whose ratio falls furthest short of their target, worst first."""
    scored = []
    for (_, path, measured_mode), (_, _, ratio) in results.items():
        target = target_of(path, measured_mode)
        if measured_mode == mode and target:
            scored.append((ratio / target, path))
    return [path for score, path in sorted(scored)[:count] if score < 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=3, help="per measurement slice")
    parser.add_argument("--rounds", type=int, default=3, help="slices per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--cold-connections", type=int, default=4)
    parser.add_argument("--soak-seconds", type=int, default=10)
    parser.add_argument("--soak-connections", type=int, default=64)
    # Issue 12: the cost growth "at 10× data": five times the allies, each with twice the years.
    parser.add_argument("--scale-allies", type=int, default=5, help="synthetic allies factor")
    parser.add_argument("--scale-years", type=int, default=2, help="synthetic years factor")
    parser.add_argument("--growth-requests", type=int, default=5)
    parser.add_argument("--no-growth", action="store_true", help="skip the cost-growth check")
    parser.add_argument(
        "--growth-only",
        type=Path,
        metavar="JSON",
        help="measure the cost growth alone (it takes long) and save it to JSON",
    )
    parser.add_argument(
        "--growth-from",
        type=Path,
        metavar="JSON",
        help="report the cost growth saved by an earlier --growth-only instead of measuring it",
    )
    parser.add_argument("--full", action="store_true", help="10 s measurements, 30 s soaks")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    if args.full:
        args.seconds, args.rounds, args.soak_seconds = 5, 4, 30
    if not (PG_BIN / "initdb").exists():
        sys.exit(f"PostgreSQL server binaries are needed in {PG_BIN} (set PG_BIN)")

    def say(message):
        print(message, flush=True)

    cluster = PostgresCluster().init("bench")
    redis = RedisServer().start()
    try:
        base_env = app_env(
            DATABASE_URL=cluster.url("bench"),
            REDIS_URL=redis.url,
            BENCH_MODE=1,
            # The API's per-address throttle (issue 3) would turn a load test from one address
            # into 429s; the bench measures the app, not the throttle.
            API_ANON_THROTTLE_RATE="1000000000/second",
            PAGE_ANON_THROTTLE_RATE="1000000000/second",
            LOG_LEVEL="INFO",
            WEB_CONCURRENCY=2,
            GUNICORN_THREADS=4,
            STATIC_ROOT=cluster.folder / "static",
        )
        say("release (migrate, NATO data) on the bench database")
        release(base_env)
        if args.growth_only:
            grown, synthetic = growth(cluster, redis, ENDPOINTS, args, say, base_env)
            saved = {
                "when": now(),
                "commit": commit(),
                "scale": [args.scale_allies, args.scale_years],
                "rows": grown,
                "synthetic": synthetic,
            }
            args.growth_only.write_text(json.dumps(saved, indent=1) + "\n")
            say(f"wrote {args.growth_only}")
            return
        results, soaks, queries = {}, {}, {}
        for mode, cache in (("cold", "0"), ("warm", "1")):
            say(f"{mode} server (CACHE={cache})")
            with Gunicorn({**base_env, "CACHE": cache}) as server:
                endpoints = available(server, say)
                warm_up(server, endpoints, base_env)
                results.update(measure(server, endpoints, args, say, mode, queries))
                if mode == "warm":
                    soaks = soak(server, endpoints, args, say)
        skipped = [p for _, p, _ in ENDPOINTS if p not in {p2 for _, p2, _ in endpoints}]
        say("one write's recompute, and profiles of the endpoints furthest from their targets")
        extra = {"queries": queries, "recompute": run_script("recompute.py", base_env)}
        say(f"  {extra['recompute']}")
        extra["profiles"] = {
            mode: run_script(
                "profiling.py",
                {**base_env, "CACHE": cache},
                mode,
                *furthest_from_target(results, mode, PROFILED),
            )
            for mode, cache in (("cold", "0"), ("warm", "1"))
            if furthest_from_target(results, mode, PROFILED)
        }
        if args.growth_from:
            saved = json.loads(args.growth_from.read_text())
            grown, (args.scale_allies, args.scale_years) = saved["rows"], saved["scale"]
            synthetic = (
                f"{saved['synthetic']} (measured alone by `--growth-only` at {saved['when']} on "
                f"commit {saved['commit']})"
            )
        elif args.no_growth:
            grown, synthetic = [], ""
        else:
            grown, synthetic = growth(cluster, redis, endpoints, args, say, base_env)
        meta = {
            "when": now(),
            "machine": f"{platform.machine()}, {shutil.os.cpu_count()} cores, "
            f"Python {platform.python_version()}",
            "load": "wrk" if LOAD is wrk else "Python threads (wrk not installed)",
            "synthetic": synthetic,
        }
        write_results(args.output, args, meta, results, soaks, grown, skipped, extra)
        say(f"wrote {args.output}")
    finally:
        redis.stop()
        cluster.destroy()


if __name__ == "__main__":
    main()
