"""`make bench-browser`: what each page costs in Chromium. Writes bench/BROWSER.md.

Per page: the HTML's bytes (transferred, and decoded), the bytes of every script the page loads
(same-origin; the app serves its own static files), and the time until every chart is drawn as a
ratio to the time until the HTML's DOMContentLoaded, on a first visit (a fresh browser context,
empty cache) and a repeat visit (a reload: the HTML revalidated, scripts from the browser cache).
Medians of --rounds visits. Not part of `make test` (tests never time things).

    .venv/bin/python bench/browser.py                    # starts a production server itself
    .venv/bin/python bench/browser.py --url http://127.0.0.1:8000 --only /map/ --no-write
"""

import argparse
import os
import platform
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.live import production_server  # noqa: E402
from tests.chromium import launch_chromium  # noqa: E402

OUT = ROOT / "bench" / "BROWSER.md"
PAGES = [
    "/",
    "/members/POL/",
    "/members/USA/",
    "/compare/?member=POL,DEU,FRA",
    "/map/?year=2024",
    "/tables/?measure=defence_usd_current_m",
    "/methodology/",
    "/scenarios/",
    "/members/POL/scenario/",
    "/embed/members/POL/share/",
]
VISITS = ("first", "repeat")
# Before the page's own scripts run: note the moment (ms since navigation start, the clock of
# Navigation Timing) the last chart gets the class "drawn" (static/js/charts.js sets it once
# Plotly has drawn the chart). A MutationObserver, not polling, so the moment is not a frame late.
RECORD_DRAWN = """
new MutationObserver((records, observer) => {
  if (document.readyState === "loading") return;
  const charts = [...document.querySelectorAll(".chart[data-figure]")];
  if (charts.length && charts.every(chart => chart.classList.contains("drawn"))) {
    window.__allChartsDrawnMs = performance.now();
    observer.disconnect();
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["class"]});
"""
# Functions, not bare expressions: Playwright evals an expression inside the page, which the
# Content-Security-Policy (script-src 'self') refuses.
CHART_COUNT = "() => document.querySelectorAll('.chart[data-figure]').length"
DRAWN = "() => window.__allChartsDrawnMs !== undefined"
# Navigation and Resource Timing of the page. transferSize is 0 for a file from the browser's
# cache and counts the headers otherwise (a 304 revalidation is headers only).
TIMINGS = """() => {
  const html = performance.getEntriesByType("navigation")[0];
  const scripts = performance.getEntriesByType("resource").filter(
    entry => entry.initiatorType === "script" && entry.name.startsWith(location.origin));
  const sum = key => scripts.reduce((total, entry) => total + entry[key], 0);
  return {
    navigation_type: html.type,
    html_transferred: html.transferSize,
    html_decoded: html.decodedBodySize,
    scripts: scripts.length,
    js_transferred: sum("transferSize"),
    js_decoded: sum("decodedBodySize"),
    parsed_ms: html.domInteractive,
    dcl_ms: html.domContentLoadedEventEnd,
    drawn_ms: window.__allChartsDrawnMs ?? null,
  };
}"""


def visit(page, url, again=False):
    """One visit's timings and bytes (ms since navigation start, bytes), as TIMINGS returns;
    `again` reloads the page already open instead."""
    if again:
        page.reload(wait_until="load")
    else:
        page.goto(url, wait_until="load")
    if page.evaluate(CHART_COUNT):
        page.wait_for_function(DRAWN, timeout=30_000)
    sample = page.evaluate(TIMINGS)
    if sample["drawn_ms"] is not None:
        sample["ratio"] = sample["drawn_ms"] / sample["dcl_ms"]
    return sample


def measure(base_url, paths, rounds, say=print):
    """{path: {"first": [sample, …], "repeat": [sample, …]}}, `rounds` of each per page."""
    from playwright.sync_api import sync_playwright

    samples = {path: {visit_: [] for visit_ in VISITS} for path in paths}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        say(f"Chromium {browser.version}")
        # One unmeasured pass, so the server's own caches are as warm for round 1 as for round 5.
        warm = browser.new_context()
        warm.add_init_script(RECORD_DRAWN)
        for path in paths:
            visit(warm.new_page(), base_url + path)
        warm.close()
        for round_ in range(1, rounds + 1):
            for path in paths:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.add_init_script(RECORD_DRAWN)
                page = context.new_page()
                for visit_ in VISITS:
                    # A reload always revalidates the HTML (the pages carry no Cache-Control,
                    # so a new visit might take it from the cache or not, by the data's age)
                    # and takes the static files from the cache.
                    sample = visit(page, base_url + path, again=visit_ == "repeat")
                    samples[path][visit_].append(sample)
                context.close()
            say(f"round {round_}/{rounds} done")
        version = browser.version
        browser.close()
    return samples, version


def summarise(samples):
    """{path: {visit: {measure: median, or None for a page without charts}}}."""
    summary = {}
    for path, visits in samples.items():
        summary[path] = {}
        for visit_, runs in visits.items():
            medians = {}
            for key in ("html_transferred", "html_decoded", "js_transferred", "js_decoded"):
                medians[key] = statistics.median(run[key] for run in runs)
            medians["scripts"] = max(run["scripts"] for run in runs)
            medians["navigation_type"] = runs[0]["navigation_type"]
            medians["parsed_ms"] = statistics.median(run["parsed_ms"] for run in runs)
            medians["dcl_ms"] = statistics.median(run["dcl_ms"] for run in runs)
            drawn = [run for run in runs if run.get("ratio") is not None]
            medians["drawn_ms"] = statistics.median(r["drawn_ms"] for r in drawn) if drawn else None
            medians["ratio"] = statistics.median(r["ratio"] for r in drawn) if drawn else None
            summary[path][visit_] = medians
    return summary


def show_bytes(count):
    """Bytes as kB (1000 bytes), one decimal."""
    return f"{count / 1000:.1f} kB"


def show_ms(value):
    return "no charts" if value is None else f"{value:.0f}"


def show_ratio(value):
    return "no charts" if value is None else f"{value:.2f}"


def table_lines(summary):
    """The markdown table of a summary, one row per page."""
    lines = [
        "| page | HTML transferred / decoded | HTML repeat transferred "
        "| JS first transferred / decoded | JS repeat transferred "
        "| HTML parsed ms first / repeat | DCL ms first / repeat "
        "| all charts drawn ms first / repeat | drawn ÷ DCL first / repeat |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for path, visits in summary.items():
        first, repeat = visits["first"], visits["repeat"]
        lines.append(
            f"| `{path}` "
            f"| {show_bytes(first['html_transferred'])} / {show_bytes(first['html_decoded'])} "
            f"| {show_bytes(repeat['html_transferred'])} "
            f"| {show_bytes(first['js_transferred'])} / {show_bytes(first['js_decoded'])} "
            f"| {show_bytes(repeat['js_transferred'])} "
            f"| {show_ms(first['parsed_ms'])} / {show_ms(repeat['parsed_ms'])} "
            f"| {show_ms(first['dcl_ms'])} / {show_ms(repeat['dcl_ms'])} "
            f"| {show_ms(first['drawn_ms'])} / {show_ms(repeat['drawn_ms'])} "
            f"| {show_ratio(first['ratio'])} / {show_ratio(repeat['ratio'])} |"
        )
    return lines


def write_browser_md(path, meta, summary):
    lines = [
        "# Measured in the browser",
        "",
        f"Run {meta['when']} on {meta['machine']}, Chromium {meta['chromium']} (Debian's, "
        "headless, through Playwright); medians of "
        f"{meta['rounds']} visits per page and kind of visit. The app as production runs it: "
        "`make release` then `make serve` (gunicorn, DEBUG off, WhiteNoise serving the collected, "
        "content-hashed and compressed static files) over a throwaway SQLite file holding the "
        "shipped NATO data, on loopback, sharing the machine's cores with the browser. "
        "Reproduce: `make bench-browser`.",
        "",
        "First visit: a fresh browser context (empty cache), 1280 × 900 px. Repeat visit: a "
        "reload in the same context, so the static files come from the browser's cache (their "
        "names are content-hashed, cached for a year) and the HTML is revalidated with its ETag "
        "(a 304). A reload rather than a new visit because the pages carry validators but no "
        "Cache-Control: on a new visit the browser may reuse the HTML unasked for a tenth of the "
        "data's age (heuristic freshness), so what a new visit fetches depends on when the data "
        "was loaded. "
        "Bytes from Resource and Navigation Timing: *transferred* is `transferSize` (body as "
        "sent plus headers; 0 from the cache), *decoded* is `decodedBodySize` (uncompressed). JS "
        "is every same-origin script the page loads (`initiatorType` script): plotly.js (basic "
        "bundle) and static/js/charts.js on pages with charts. DCL is the HTML's "
        "`domContentLoadedEventEnd`; *all charts drawn* is the moment, on the same clock "
        "(navigation start = 0), the last `.chart[data-figure]` gets the class `drawn`, noted by "
        "a MutationObserver installed before the page's scripts; the ratio is the median of the "
        "per-visit ratios. *HTML parsed* is `domInteractive`. charts.js is a deferred script "
        "and draws as soon as it runs, which is before DOMContentLoaded fires, so the ratio is "
        "1.00 whenever Plotly draws synchronously: the cost of the charts (parsing and running "
        "plotly.js, drawing) sits between *HTML parsed* and DCL, not after DCL. "
        "Loopback has no network latency, so the times are the browser's work "
        "(parsing, script evaluation, Plotly's drawing) and the server's, not a real network's; "
        "the bytes are what a real network would carry (neither the app nor deploy/nginx.conf "
        "compresses HTML; WhiteNoise sends the static files compressed).",
        "",
        *table_lines(summary),
        "",
    ]
    path.write_text("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server's base URL (default: start one)")
    parser.add_argument("--rounds", type=int, default=5, help="visits per page and kind")
    parser.add_argument("--only", action="append", help="a path to measure (repeatable)")
    parser.add_argument("--no-write", action="store_true", help="print only, keep BROWSER.md")
    args = parser.parse_args()
    paths = args.only or PAGES
    with production_server(args.url) as base_url:
        samples, chromium = measure(base_url, paths, args.rounds)
    summary = summarise(samples)
    print("\n".join(table_lines(summary)))
    if not args.no_write:
        meta = {
            "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores shared with other work",
            "chromium": chromium,
            "rounds": args.rounds,
        }
        write_browser_md(OUT, meta, summary)
        print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
