"""The query parameters of the API's endpoints, checked one by one, every error reported at once."""

import re

from spending.api.errors import Problem

MAX_PAGE_SIZE = 1000
# Far past any real last page (which answers its own 400), far below a database integer.
MAX_PAGE = 1_000_000
DEFAULT_PAGE_SIZE = 100
ISO3_PATTERN = r"^[A-Za-z]{3}$"


class QueryParameters:
    """The request's query parameters, checked one by one; `done()` raises all errors at once."""

    def __init__(self, request, names, paged):
        self.query = request.query_params
        self.errors = []
        allowed = [*names, "format", *(("page", "page_size") if paged else ())]
        for name in self.query:
            if name not in allowed:
                self.fail(name, self.query.get(name), "unknown parameter", ", ".join(allowed))
            elif len(self.query.getlist(name)) > 1:
                self.fail(name, None, "given more than once", "one value (lists: comma-separated)")
            elif not self.query.get(name):
                self.fail(name, "", "empty value", "a value, or no parameter for no filter")
        self.page_size = self.integer("page_size", 1, MAX_PAGE_SIZE)
        self.page = self.integer("page", 1, MAX_PAGE)

    def fail(self, parameter, value, message, allowed):
        self.errors.append(
            {"parameter": parameter, "value": value, "message": message, "allowed": allowed}
        )

    def text(self, name):
        """The value as given, None when absent (or empty: already reported)."""
        value = self.query.get(name)
        return value if value else None

    def integer(self, name, low, high):
        value = self.text(name)
        if value is None:
            return None
        allowed = f"an integer from {low}" + (f" to {high}" if high is not None else " up")
        try:
            number = int(value)
        except ValueError:
            self.fail(name, value, "not an integer", allowed)
            return None
        if number < low or (high is not None and number > high):
            self.fail(name, value, "out of range", allowed)
            return None
        return number

    def year(self, name, years):
        """A year within the years held (`years`: sorted, may be empty)."""
        if not years:
            value = self.text(name)
            if value is not None:
                self.fail(name, value, "no figures are held", "no year")
            return None
        return self.integer(name, years[0], years[-1])

    def years(self, name, years):
        """A comma-separated list of years held."""
        items = self.items(name, r"^\d{4}$", "four-digit years")
        if items is None:
            return None
        low, high = (years[0], years[-1]) if years else (None, None)
        allowed = f"years from {low} to {high}" if years else "no year: no figures are held"
        bad = [item for item in items if not years or not low <= int(item) <= high]
        if bad:
            self.fail(name, ",".join(bad), "out of range", allowed)
            return None
        return sorted({int(item) for item in items})

    def codes(self, name, known):
        """A comma-separated list of known ISO3 codes, any case; upper-cased."""
        items = self.items(name, ISO3_PATTERN, "comma-separated ISO3 codes such as POL,DEU")
        if items is None:
            return None
        codes = [item.upper() for item in items]
        unknown = [code for code in codes if code not in known]
        if unknown:
            self.fail(name, ",".join(unknown), "unknown member", ", ".join(sorted(known)))
            return None
        return list(dict.fromkeys(codes))

    def choice(self, name, choices, default=None):
        value = self.text(name)
        if value is None:
            return default
        if value not in choices:
            self.fail(name, value, "unknown value", ", ".join(choices))
            return None
        return value

    def items(self, name, pattern, allowed):
        value = self.text(name)
        if value is None:
            return None
        items = value.split(",")
        if not all(re.fullmatch(pattern, item) for item in items):
            self.fail(name, value, "malformed list", allowed)
            return None
        return items

    def done(self):
        if self.errors:
            names = ", ".join(dict.fromkeys(error["parameter"] for error in self.errors))
            raise Problem(400, f"Bad query parameter: {names}.", self.errors)
