"""Number formats for the pages: the value as stored, shown with its unit; "—" when missing."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

register = template.Library()

MISSING = "—"


@register.filter
def pct(value, decimals=2):
    """A percentage with NATO's two decimals."""
    if value is None:
        return MISSING
    return f"{value:.{int(decimals)}f}%"


@register.filter
def usd_m(value):
    """Million US dollars with thousands separators, no decimals."""
    if value is None:
        return MISSING
    return intcomma(f"{value:,.0f}".replace(",", ""))


@register.filter
def bn_usd(value):
    """Million US dollars shown in billions with one decimal."""
    if value is None:
        return MISSING
    return intcomma(f"{value / 1000:.1f}")


@register.filter
def number(value, decimals=1):
    """A plain number with the given decimals and thousands separators."""
    if value is None:
        return MISSING
    return intcomma(f"{value:.{int(decimals)}f}")


STATUS_HTML = {
    "na": '<span class="status na" title="NATO publishes no defence figures for this member">'
    "— not applicable</span>",
    None: '<span class="status unknown">? no data</span>',
    True: '<span class="status met">✓ met</span>',
    False: '<span class="status missed">✗ not met</span>',
}


@register.filter
def target_status(state, reports=True):
    """A target's state in words and a symbol, colour only a third cue; "not applicable" where
    NATO publishes no figures. A filter, not an included template: it runs in table loops."""
    if not reports:
        return mark_safe(STATUS_HTML["na"])
    met = (state or {}).get("met")
    return mark_safe(STATUS_HTML[None if met is None else bool(met)])


@register.filter
def get_item(mapping, key):
    """mapping[key], or an empty dict when either is missing."""
    if not mapping or key is None:
        return {}
    return mapping.get(key, {})


@register.simple_tag(takes_context=True)
def sort_link(context, key, label):
    """A column heading that sorts the table by `key`, toggling the direction when active."""
    active = context.get("sort") == key
    descending = context.get("descending", False)
    direction = "asc" if active and descending else "desc" if active else "asc"
    if not active and key == "share":
        direction = "desc"
    marker = (" ▼" if descending else " ▲") if active else ""
    query = {"sort": key, "dir": direction}
    if context.get("year_in_url"):
        query["year"] = context["year"]
    return format_html(
        # The anchor lands the reader back on the table, not 4,000 px above it.
        '<a href="?{}#all-allies">{}{}</a>',
        urlencode(query),
        label,
        marker,
    )


@register.filter
def cell(value, kind):
    """A chart table's cell in its kind's format: pct, amount, number, ratio, count, year or
    text."""
    if value is None or value == "":
        return MISSING
    if kind == "pct":
        return pct(value)
    if kind == "amount":
        return usd_m(value)
    if kind == "number":
        return number(value)
    if kind == "ratio":
        return number(value, 2)
    if kind == "count" and isinstance(value, float):
        return number(value, 0)
    return value


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """The page's own scheme and host before `path`: an address another site can use."""
    return context["request"].build_absolute_uri(path)


@register.filter
def exact(value):
    """A stored value exactly as stored, with thousands separators; "—" when missing."""
    if value is None:
        return MISSING
    # A whole number stored as a float is shown as NATO prints it (18,788, not 18,788.0).
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


@register.filter
def points(value):
    """A change in percentage points with its sign (+0.12, −0.23), NATO's two decimals."""
    if value is None:
        return MISSING
    rounded = round(float(value), 2)
    if rounded == 0:
        return "0.00"
    return f"+{rounded:.2f}" if rounded > 0 else f"−{-rounded:.2f}"
