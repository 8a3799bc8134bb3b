"""What `make bench` measures, the issue's targets, and bench/RESULTS.md written from a run."""

FLOOR = "/bench/floor/"
# (name, path, cold target as a share of the floor's requests per second or None)
# The cold targets are issue 12's.
ENDPOINTS = [
    ("progress API (all allies)", "/api/v1/progress/", 0.3),
    ("progress API, as of 2020", "/api/v1/progress/?year=2020", 0.3),
    ("alliance API", "/api/v1/alliance/", 0.3),
    ("figures API, one ally", "/api/v1/figures/?member=POL", 0.3),
    ("figures API, 500 rows", "/api/v1/figures/?page_size=500", None),
    ("ally page", "/members/POL/", 0.1),
    ("compare page, three allies", "/compare/?member=POL,DEU,FRA", 0.1),
    ("overview page (full progress table)", "/", 0.05),
]
WARM_TARGET, REVALIDATION_TARGET = 0.8, 0.9
# SQL queries per request (the X-Queries header of bench mode, nato_tracker/querycount.py).
QUERY_TARGETS = {"cold": 3, "warm": 0}
# How many endpoints furthest from their targets are profiled, cold and warm.
PROFILED = 3


def target_of(path, mode):
    if mode == "cold":
        return next((t for _, p, t in ENDPOINTS if p == path), None)
    return {"warm": WARM_TARGET, "304": REVALIDATION_TARGET}.get(mode)


def safe_ratio(a, b):
    return a / b if b else float("nan")


def show_ratio(ratio):
    """Two decimals, or three significant digits below 0.1 so a small ratio is not shown as 0."""
    return f"{ratio:.2f}" if ratio >= 0.1 else f"{ratio:.3g}"


def verdict(ok):
    return "pass" if ok else "**FAIL**"


def write_results(path, args, meta, results, soaks, grown, skipped, extra):
    lines = [
        "# Benchmark results",
        "",
        f"Run {meta['when']} on {meta['machine']}; load generator: {meta['load']}; "
        f"{args.connections} connections warm, {args.cold_connections} cold (slices twice as "
        f"long); each measurement is {args.rounds} slices of "
        f"{args.seconds} s alternating with the floor's (medians reported); soak "
        f"{args.soak_connections} connections × {args.soak_seconds} s per endpoint. "
        "Gunicorn (`make serve`, WEB_CONCURRENCY=2 × 4 threads) with the production settings on "
        "a throwaway PostgreSQL 15 cluster and Redis on loopback, sharing the machine's cores "
        "with the load generator. Reproduce: `make bench` (`make bench BENCH_ARGS=--full` for "
        "the issue's durations).",
        "",
        "Ratios are to the floor (a JSON view that does nothing, behind the same middleware) "
        "measured on the same server in slices alternating with the endpoint's, so load from "
        "other work on the shared cores weighs on both: the median of the per-slice ratios of "
        "requests per second; for latency, the floor's p50 ÷ the endpoint's p50 (1.0 = as fast "
        "as the floor).",
        "",
        "Cold = caches off (`CACHE=0`: every request builds its answer from the database); "
        "warm = Redis cache on and primed; 304 = revalidation with the response's ETag.",
        "",
        "| endpoint | mode | req/s | p50 ms | p99 ms | floor req/s | floor p50 ms "
        "| req/s ÷ floor | floor p50 ÷ p50 | target | |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for (_, endpoint_path, mode), (result, floor, ratio) in results.items():
        target = target_of(endpoint_path, mode)
        check = "" if target is None else verdict(ratio >= target)
        lines.append(
            f"| `{endpoint_path}` | {mode} | {result.requests_per_s:.1f} | {result.p50_ms:.2f} | "
            f"{result.p99_ms:.2f} | {floor.requests_per_s:.0f} | {floor.p50_ms:.2f} | "
            f"{show_ratio(ratio)} | {show_ratio(safe_ratio(floor.p50_ms, result.p50_ms))} | "
            f"{'' if target is None else f'≥ {target}'} | {check} |"
        )
    lines += [
        "",
        "## Zero errors under load",
        "",
        f"{args.soak_connections} concurrent connections for {args.soak_seconds} s each, "
        "warm server.",
        "",
        "| endpoint | requests | errors | |",
        "|---|---:|---:|---|",
    ]
    for endpoint_path, result in soaks.items():
        lines.append(
            f"| `{endpoint_path}` | {result.requests} | {result.errors} | "
            f"{verdict(result.errors == 0)} |"
        )
    if grown:
        lines += [
            "",
            "## Cost growth",
            "",
            f"Synthetic data with {args.scale_allies}× the allies and {args.scale_years}× "
            f"the years ({args.scale_allies * args.scale_years}× the data) "
            "(copies of NATO's figures under made-up allies and years, in the benchmark's "
            "own database only). Cold latency: median of "
            f"{args.growth_requests} sequential requests. Passes when latency grows by no "
            "more than the rows returned (on the overview: its ally rows plus its heatmap's "
            "ally × year values).",
            "",
            f"The synthetic data (and its one write, every stored answer recomputed): "
            f"{meta['synthetic']}.",
            "",
            "| endpoint | rows (shipped → grown) | cold p50 ms (shipped → grown) | "
            "rows × | bytes × | latency × | |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for _, endpoint_path, rows_1, rows_n, ms_1, ms_n, row_f, time_f, bytes_f in grown:
            lines.append(
                f"| `{endpoint_path}` | {rows_1} → {rows_n} | {ms_1:.1f} → {ms_n:.1f} | "
                f"{row_f:.1f} | {bytes_f:.1f} | {time_f:.1f} | {verdict(time_f <= row_f)} |"
            )
    lines += query_lines(extra["queries"])
    if extra.get("recompute"):
        lines += recompute_lines(extra["recompute"])
    for mode, profiles in extra.get("profiles", {}).items():
        lines += profile_lines(mode, profiles)
    if skipped:
        lines += ["", "## Not measured", ""]
        lines += [
            f"- `{p}`: answered 404 on this build (the JSON API arrives with issue 3)."
            for p in skipped
        ]
    path.write_text("\n".join(lines) + "\n")


def query_lines(queries):
    lines = [
        "",
        "## SQL queries per request",
        "",
        "Counted by the server (bench mode's `X-Queries` header: every query the request ran, "
        "middleware included); cold = cache off, warm = the second request on the primed cache.",
        "",
        f"| endpoint | cold | warm | target: ≤ {QUERY_TARGETS['cold']} cold, "
        f"{QUERY_TARGETS['warm']} warm |",
        "|---|---:|---:|---|",
    ]
    for path in dict.fromkeys(path for path, _ in queries):
        cold, warm = queries.get((path, "cold")), queries.get((path, "warm"))
        ok = (cold is None or cold <= QUERY_TARGETS["cold"]) and (
            warm is None or warm <= QUERY_TARGETS["warm"]
        )
        lines.append(f"| `{path}` | {cold} | {warm} | {verdict(ok)} |")
    return lines


def recompute_lines(measured):
    return [
        "",
        "## One write's recompute",
        "",
        f"`record_write()` on the shipped data ({measured['allies']} allies, "
        f"{measured['editions']} editions, {measured['figure_rows']} figure rows): every stored "
        "answer of every edition, member and year, in a rolled-back transaction "
        "(bench/recompute.py, a process of its own): "
        f"**{measured['seconds']} s**, peak resident memory {measured['peak_rss_mb_before']} → "
        f"**{measured['peak_rss_mb_after']} MB** (the process, Django and pandas loaded, before "
        f"and after the write), Python allocations' peak (tracemalloc, a second write) "
        f"**{measured['python_peak_mb']} MB**.",
    ]


def profile_lines(mode, profiles):
    lines = [
        "",
        f"## Where the time goes: {mode} profiles",
        "",
        f"cProfile of one {mode} request in-process (bench/profiling.py, the bench database, "
        "production settings; the profiler's overhead is in the totals) for the endpoints "
        "furthest from their targets.",
    ]
    for measured in profiles:
        lines += [
            "",
            f"`{measured['path']}` ({measured['status']}, {measured['total_ms']} ms profiled). "
            "Own time: "
            + "; ".join(f"`{name}` {ms} ms" for name, ms in measured["own"][:6])
            + ". Cumulative, project code: "
            + "; ".join(f"`{name}` {ms} ms" for name, ms in measured["cumulative"][:6])
            + ".",
        ]
    return lines
