"""Full-page screenshots of every public page at 1280 and 375 px wide, into
test-output/screenshots/ (gitignored), to look at after a layout change. Not a test.

    .venv/bin/python bench/screenshots.py                # starts a production server itself
    .venv/bin/python bench/screenshots.py --url http://127.0.0.1:8000 --only map,tables
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.live import production_server  # noqa: E402
from tests.chromium import launch_chromium  # noqa: E402

OUT = ROOT / "test-output" / "screenshots"
PAGES = {
    "overview": "/",
    "ally": "/members/POL/",
    "iceland": "/members/ISL/",
    "compare": "/compare/?member=POL,DEU,LTU",
    "map": "/map/",
    "tables": "/tables/",
    "downloads": "/downloads/",
    "methodology": "/methodology/",
    "revisions": "/revisions/",
    "scenarios": "/scenarios/",
    "embed": "/embed/members/POL/share/",
    "not-found": "/members/XXX/",
}
WIDTHS = (1280, 375)
# Every chart drawn (charts.js marks each .chart with "drawn"); pages without charts pass at once.
CHARTS_DRAWN = (
    "[...document.querySelectorAll('.chart[data-figure]')]"
    ".every(chart => chart.classList.contains('drawn'))"
)


def take_screenshots(base_url, names, out=OUT):
    """Saves <name>-<width>.png per page and width; returns the paths written."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            for name in names:
                page.goto(base_url + PAGES[name])
                page.wait_for_function(CHARTS_DRAWN, timeout=20_000)
                path = out / f"{name}-{width}.png"
                page.screenshot(path=path, full_page=True)
                written.append(path)
            context.close()
        browser.close()
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server's base URL (default: start one)")
    parser.add_argument("--only", help="comma-separated page names: " + ",".join(PAGES))
    args = parser.parse_args()
    names = args.only.split(",") if args.only else list(PAGES)
    with production_server(args.url) as base_url:
        for path in take_screenshots(base_url, names):
            print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
