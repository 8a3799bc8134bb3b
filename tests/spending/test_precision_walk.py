"""No published number carries more digits than its documented precision (spending/precision.py).

Walks every API endpoint of the URLconf, as JSON and as CSV where it offers CSV, and every
chart CSV the pages link to, on the shipped NATO data. A number is checked against the
precision its field name (API) or its column kind (charts) is documented with; a number with
no documented precision fails, and so does a whole number written as 31874.0.
"""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import URLPattern

from spending.api import urls as api_urls
from spending.charts.chart import Chart
from spending.precision import FULL, KIND_PRECISIONS, SIGNIFICANT_DIGITS, UnknownField, precision_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_throttle(settings):
    """The walk asks for a few hundred pages in a minute: more than a visitor may."""
    settings.PAGE_ANON_THROTTLE_RATE = "100000/minute"


# Sample requests per API route name of spending/api/urls.py; (query, offers CSV).
API_SAMPLES = {
    "members": [("/api/v1/members/", False)],
    "member-detail": [("/api/v1/members/POL/", False), ("/api/v1/members/LUX/", False)],
    "member-history": [
        (f"/api/v1/members/{iso3}/history/?metric={metric}", True)
        for iso3 in ("POL", "LUX")
        for metric in (
            "share_of_gdp_pct",
            "defence_usd_current_m",
            "gdp_per_capita_const2021_kusd",
            "defence_per_capita_const2021_usd",
            "military_personnel_k",
            "nato_real_change_pct",
        )
    ],
    "editions": [("/api/v1/editions/", True)],
    "targets": [("/api/v1/targets/", True)],
    "figures": [("/api/v1/figures/?page_size=1000", True)],
    "progress": [
        ("/api/v1/progress/", True),
        ("/api/v1/progress/?year=2020", True),
        ("/api/v1/progress/?member=LUX", True),
    ],
    "alliance": [("/api/v1/alliance/", True)],
    "fair-share": [("/api/v1/fair-share/?page_size=1000", True)],
    "revisions": [("/api/v1/revisions/", True), ("/api/v1/revisions/?member=POL", True)],
    "scenarios": [
        ("/api/v1/scenarios/", False),
        ("/api/v1/scenarios/?member=POL", False),
        ("/api/v1/scenarios/?member=DEU&target=total-5pct&defence_growth=3", False),
        ("/api/v1/scenarios/?member=LUX", False),
    ],
}
# Not a published number: the OpenAPI document itself.
NOT_DATA = {"schema"}
# A list's page: its count is not a published figure.
PAGE_ENVELOPE = {"count", "next", "previous", "results"}
PAGES_WITH_CHARTS = ["/", "/compare/", "/scenarios/", "/members/POL/scenario/"]
NUMBER = re.compile(r"^-?(\d+)(?:\.(\d+))?$")
LOOKS_NUMERIC = re.compile(r"^-?[\d.]+(?:[eE][-+]?\d+)?$")


def api_route_names():
    return {p.name for p in api_urls.urlpatterns if isinstance(p, URLPattern)} - NOT_DATA


def test_every_api_route_is_walked():
    assert set(API_SAMPLES) == api_route_names()


def too_precise(text, decimals):
    """Why the number written as `text` breaks a precision of `decimals` (FULL: 15 significant
    digits), or None when it keeps it."""
    if decimals is FULL and "e" in text.lower():
        # A full-precision value near zero (a revision of 0.00006 points) is written with an
        # exponent by Python's JSON and CSV: still at most 15 significant digits.
        digits = Decimal(text).normalize().as_tuple().digits
        if len(digits) > SIGNIFICANT_DIGITS:
            return f"{text} has more than {SIGNIFICANT_DIGITS} significant digits"
        return None
    match = NUMBER.match(text)
    if match is None:
        return f"{text} is not a plain decimal number"
    whole, fraction = match.group(1), match.group(2) or ""
    if fraction and set(fraction) == {"0"}:
        return f"{text} is a whole number written with decimals"
    if fraction.endswith("0"):
        return f"{text} has a trailing zero"
    if decimals is FULL:
        digits = (whole + fraction).lstrip("0")
        if len(digits) > SIGNIFICANT_DIGITS:
            return f"{text} has more than {SIGNIFICANT_DIGITS} significant digits"
        return None
    if len(fraction) > decimals:
        return f"{text} has {len(fraction)} decimals, {decimals} documented"
    return None


def walk_json(value, name, where, problems):
    """Checks every number under `value`, each against the precision of its own key."""
    if isinstance(value, dict):
        for key, item in value.items():
            walk_json(item, key, f"{where}.{key}", problems)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            walk_json(item, name, f"{where}[{index}]", problems)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            decimals = precision_of(name)
        except UnknownField:
            problems.append(f"{where}: {value!r} has no documented precision")
            return
        problem = too_precise(repr(value) if isinstance(value, float) else str(value), decimals)
        if problem:
            problems.append(f"{where}: {problem}")


def walk_api_csv(text, where, problems):
    """Checks every numeric cell of an API CSV against the precision of its column's field."""
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    for line, row in enumerate(rows[1:], start=2):
        for column, cell in zip(header, row, strict=True):
            if not LOOKS_NUMERIC.match(cell):
                continue
            field = column.rsplit(".", 1)[-1]
            try:
                decimals = precision_of(field)
            except UnknownField:
                problems.append(f"{where} line {line} {column}: {cell} has no documented precision")
                continue
            problem = too_precise(cell, decimals)
            if problem:
                problems.append(f"{where} line {line} {column}: {problem}")


API_CASES = [
    (name, url, offers_csv) for name, samples in API_SAMPLES.items() for url, offers_csv in samples
]


@pytest.mark.parametrize(("name", "url", "offers_csv"), API_CASES)
def test_no_api_number_has_more_digits_than_documented(client, name, url, offers_csv):
    problems = []
    response = client.get(url)
    assert response.status_code == 200, response.content
    body = json.loads(response.content)
    if isinstance(body, dict) and set(body) == PAGE_ENVELOPE:
        body = body["results"]
    walk_json(body, name, url, problems)
    if offers_csv:
        joiner = "&" if "?" in url else "?"
        response = client.get(f"{url}{joiner}format=csv")
        assert response.status_code == 200, response.content
        walk_api_csv(response.content.decode(), f"{url} (CSV)", problems)

    assert problems == []


def walk_chart_csv(chart, text, where, problems):
    """Checks every numeric cell of a chart CSV against the precision of its column's kind."""
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    kinds = dict(chart.columns)
    assert header == [label for label, _ in chart.columns], where
    for line, row in enumerate(rows[1:], start=2):
        for column, cell in zip(header, row, strict=True):
            kind = kinds[column]
            if cell == "":
                continue
            if kind not in KIND_PRECISIONS:
                if LOOKS_NUMERIC.match(cell):
                    problems.append(
                        f"{where} line {line} {column}: {cell} is in a column of kind {kind!r}, "
                        "which has no documented precision"
                    )
                continue
            problem = too_precise(cell, KIND_PRECISIONS[kind])
            if problem:
                problems.append(f"{where} line {line} {column}: {problem}")


def charts_in_context(response):
    """Every chart any template of the response was given."""
    found = {}
    for context in response.context:
        for value in context.flatten().values():
            values = value.values() if isinstance(value, dict) else value
            values = values if isinstance(values, list | tuple | type({}.values())) else [value]
            for item in values:
                if isinstance(item, Chart):
                    found[id(item)] = item
    return list(found.values())


def charts_of(response):
    """(the charts the CSV may be the table of, CSV URL) for each CSV a page links to."""
    context = response.context
    if "csv_urls" in context:
        charts = context["charts"]
        return [([charts[slug]], url) for slug, url in context["csv_urls"].items()]
    # The compare and scenario pages: one CSV, the table of one of their charts.
    return [(charts_in_context(response), context["csv_url"])]


@pytest.mark.parametrize("page", PAGES_WITH_CHARTS)
def test_no_chart_csv_of_a_page_has_more_digits_than_its_chart_shows(client, page):
    problems = []
    response = client.get(page)
    assert response.status_code == 200
    found = charts_of(response)
    assert found, page
    for candidates, url in found:
        csv_response = client.get(url)
        assert csv_response.status_code == 200, url
        text = csv_response.content.decode()
        header = next(csv.reader(io.StringIO(text)))
        (chart,) = [c for c in candidates if [label for label, _ in c.columns] == header]
        walk_chart_csv(chart, text, url, problems)

    assert problems == []


# Every chart of the ally pages, on allies whose data differ in kind: the largest spender, a
# series break (LUX), late accessions (FIN, SWE, MKD), a defence-specific deflator (NLD), the
# highest shares (POL, EST) and an ally with fiscal years (CAN).
ALLIES_WALKED = ["USA", "LUX", "FIN", "SWE", "MKD", "NLD", "POL", "EST", "CAN"]


@pytest.mark.parametrize("iso3", ALLIES_WALKED)
def test_no_ally_chart_csv_has_more_digits_than_its_chart_shows(client, iso3):
    problems = []
    response = client.get(f"/members/{iso3}/")
    charts = response.context["charts"]
    assert charts, iso3
    for chart in charts:
        url = f"/members/{iso3}/charts/{chart.slug}.csv"
        csv_response = client.get(url)
        assert csv_response.status_code == 200, url
        walk_chart_csv(chart, csv_response.content.decode(), url, problems)

    assert problems == []
