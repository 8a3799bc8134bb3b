"""The query parameters of the API's endpoints: a DRF serializer per endpoint, every error at once.

A refusal is a `ValidationError` whose detail maps each bad parameter to `{message, allowed,
value}`; `errors.handle_exception` turns it into the 400 `{detail, errors: [...]}`. What a value
may be often depends on the data (the members, editions and years held): the view passes those
in the serializer's context (`members`, `editions`, `years`).

Serializers rather than django-filter FilterSets: most endpoints read stored answers or frames,
not a queryset to filter, and one mechanism serves them all.
"""

import re

from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from spending.fields import HISTORY_METRICS
from spending.models import Status

MAX_PAGE_SIZE = 1000
# Far past any real last page (which answers its own 400), far below a database integer.
MAX_PAGE = 1_000_000
DEFAULT_PAGE_SIZE = 100
ISO3_PATTERN = r"^[A-Za-z]{3}$"
PAGING = ("page", "page_size")


def error(value, message, allowed):
    """The detail of one fault (`value` None: no single value to show)."""
    return {"message": message, "allowed": allowed, **({} if value is None else {"value": value})}


def refusal(parameter, value, message, allowed):
    """The ValidationError of one bad parameter."""
    return ValidationError({parameter: error(value, message, allowed)})


def refusals(errors):
    """The ValidationError of `{parameter, value, message, allowed}` faults, by parameter."""
    grouped = {}
    for fault in errors:
        detail = error(fault["value"], fault["message"], fault["allowed"])
        grouped.setdefault(fault["parameter"], []).append(detail)
    return ValidationError(grouped)


class Parameter(serializers.Field):
    """One query parameter: a string in, a value out, or a refusal saying what is allowed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def refuse(self, value, message, allowed):
        raise ValidationError(error(value, message, allowed))

    def to_representation(self, value):
        return value


class Text(Parameter):
    """Any value, checked later by the code that reads it (the scenarios')."""

    def to_internal_value(self, value):
        return value


class Integer(Parameter):
    """An integer from `low` to `high`."""

    def __init__(self, low, high, **kwargs):
        super().__init__(**kwargs)
        self.low, self.high = low, high

    def to_internal_value(self, value):
        return self.integer(value, self.low, self.high)

    def integer(self, value, low, high):
        allowed = f"an integer from {low} to {high}"
        try:
            number = int(value)
        except ValueError:
            self.refuse(value, "not an integer", allowed)
        if not low <= number <= high:
            self.refuse(value, "out of range", allowed)
        return number


class HeldYear(Integer):
    """A year within the years held (context `years`: sorted, may be empty)."""

    def __init__(self, **kwargs):
        super().__init__(None, None, **kwargs)

    def to_internal_value(self, value):
        years = self.context["years"]
        if not years:
            self.refuse(value, "no figures are held", "no year")
        return self.integer(value, years[0], years[-1])


class Choice(Parameter):
    """One of `choices`, or of the context's list named `held` (the editions held)."""

    def __init__(self, choices=None, held=None, message="unknown value", **kwargs):
        super().__init__(**kwargs)
        self.choices, self.held, self.message = choices, held, message

    def to_internal_value(self, value):
        choices = self.choices if self.held is None else self.context[self.held]
        if value not in choices:
            self.refuse(value, self.message, ", ".join(choices))
        return value


class Items(Parameter):
    """A comma-separated list, each item matching `pattern`."""

    pattern = allowed = None

    def items(self, value):
        items = value.split(",")
        if not all(re.fullmatch(self.pattern, item) for item in items):
            self.refuse(value, "malformed list", self.allowed)
        return items


class HeldYears(Items):
    """Comma-separated years within the years held (context `years`); sorted, once each."""

    pattern, allowed = r"^\d{4}$", "four-digit years"

    def to_internal_value(self, value):
        items, years = self.items(value), self.context["years"]
        bad = [item for item in items if not years or not years[0] <= int(item) <= years[-1]]
        if bad:
            held = (
                f"years from {years[0]} to {years[-1]}" if years else "no year: no figures are held"
            )
            self.refuse(",".join(bad), "out of range", held)
        return sorted({int(item) for item in items})


class Members(Items):
    """Comma-separated ISO3 codes of the members held (context `members`), any case;
    upper-cased, once each, in the order given."""

    pattern, allowed = ISO3_PATTERN, "comma-separated ISO3 codes such as POL,DEU"

    def to_internal_value(self, value):
        codes, known = [item.upper() for item in self.items(value)], self.context["members"]
        unknown = [code for code in codes if code not in known]
        if unknown:
            self.refuse(",".join(unknown), "unknown member", ", ".join(sorted(known)))
        return list(dict.fromkeys(codes))


class Query(serializers.Serializer):
    """An endpoint's query parameters: its fields, and `format`. Refused at once, with the
    values: an unknown parameter, one given twice, one given empty."""

    def to_internal_value(self, query):
        allowed = [*(name for name in self.fields if name not in PAGING), "format"]
        allowed += [name for name in PAGING if name in self.fields]
        errors = {}
        for name in query:
            if name not in allowed:
                errors[name] = error(query.get(name), "unknown parameter", ", ".join(allowed))
            elif len(query.getlist(name)) > 1:
                errors[name] = error(
                    None, "given more than once", "one value (lists: comma-separated)"
                )
            elif not query.get(name):
                errors[name] = error("", "empty value", "a value, or no parameter for no filter")
        given = {name: query.get(name) for name in query if name not in errors and name != "format"}
        try:
            values = super().to_internal_value(given)
        except ValidationError as faults:
            errors.update(faults.detail)
        if errors:
            raise ValidationError(errors)
        return values


class ListQuery(Query):
    """The query of a list: its own parameters, then the page (`page_size` checked first)."""

    page_size = Integer(1, MAX_PAGE_SIZE)
    page = Integer(1, MAX_PAGE)


class MemberQuery(ListQuery):
    member = Members()


class EditionQuery(ListQuery):
    """One year of one edition (default: the newest's every year)."""

    year = HeldYear()
    edition = Choice(held="editions", message="unknown edition")


class ProgressQuery(MemberQuery, EditionQuery):
    pass


class FigureQuery(ListQuery):
    member = Members()
    year = HeldYears()
    year_min = HeldYear()
    year_max = HeldYear()
    status = Choice(Status.values)
    edition = Choice(held="editions")

    def validate(self, values):
        year_min, year_max = values.get("year_min"), values.get("year_max")
        if year_min is not None and year_max is not None and year_min > year_max:
            raise refusal("year_min", str(year_min), "after year_max", f"at most {year_max}")
        return values


class HistoryQuery(ListQuery):
    metric = Choice(HISTORY_METRICS, default="share_of_gdp_pct")
