"""The query parameters each public page documents, and its canonical query string.

A parameter a page does not document (``?utm_source=…``, ``?x=1``) is answered with a 301 to
the same URL without it, never a render, so junk query strings cost nothing and are never
stored. Each page's remaining parameters, in the order below and one value each, form the
canonical query string the page cache keys on; their values are checked by the page itself
(a bad one is a 400 with the allowed values, never stored).
"""

from urllib.parse import urlencode

from django.urls import Resolver404, resolve

# URL name -> documented parameters, in canonical order.
PAGE_PARAMETERS = {
    "overview": ("year", "sort", "dir"),
    "overview-chart-csv": ("year",),
    "member-detail": (),
    "member-chart-csv": (),
    "methodology": (),
    "map": ("year",),
    "tables": ("edition", "measure", "format"),
    "downloads": (),
    "revisions": (),
    "embed-overview-chart": ("year",),
    "embed-member-chart": (),
    "embed-compare": ("member", "metric", "from", "to"),
    # `members` is the old spelling of `member`, kept so old links reach the compare page's 301.
    "compare": ("member", "members", "metric", "from", "to", "format"),
    # The scenario explorer (spending/pages/scenarios.py): the alliance's page sends a chosen
    # member, with the rest of the state, on to that member's page.
    "scenarios": (
        "member",
        "target",
        "deadline",
        "ramp",
        "gdp_growth",
        "defence_growth",
        "edition",
        "format",
    ),
    "member-scenario": (
        "target",
        "deadline",
        "ramp",
        "gdp_growth",
        "defence_growth",
        "edition",
        "format",
    ),
}
# Parameters whose values are a list that may be given as several values.
LISTS = {"member", "members"}


def documented_parameters(path):
    """The parameters the page at `path` documents; () for any other path (a 404 has none)."""
    try:
        name = resolve(path).url_name
    except Resolver404:
        return ()
    return PAGE_PARAMETERS.get(name, ())


def canonical_query(path, query):
    """(canonical query string, names given but not documented) for a page's QueryDict."""
    allowed = documented_parameters(path)
    pairs = []
    for name in allowed:
        if name not in query:
            continue
        values = query.getlist(name)
        pairs.append((name, ",".join(values) if name in LISTS else values[-1]))
    unknown = [name for name in query if name not in allowed]
    repeated = [name for name in allowed if name not in LISTS and len(query.getlist(name)) > 1]
    return urlencode(pairs, safe=","), unknown + repeated
