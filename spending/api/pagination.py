"""The API's paging: DRF's page-number pagination over rows held in memory or in the database."""

import math

from django.db.models import F, Func, Subquery
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from spending.api.errors import Problem
from spending.api.filters import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE


class Pagination(PageNumberPagination):
    """`?page=` and `?page_size=` (checked with the other parameters by `filters`), one query
    for a page left in the database, and a 400 naming the last page past it."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, rows, request, view=None):
        """The rows of the page asked for: `rows` is a ListedRows or a DatabaseRows."""
        self.request = request
        self.size = view.params.page_size or self.page_size
        self.number = view.params.page or 1
        page, self.total = rows.page(self.number, self.size)
        if not page and self.number > 1:
            raise past_last_page(self.number, self.total, self.size)
        return page

    def get_paginated_response(self, data):
        return Response(self.get_paginated_data(data))

    def get_paginated_data(self, data):
        return {
            "count": self.total,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        }

    def get_next_link(self):
        if self.number * self.size >= self.total:
            return None
        return replace_query_param(self.request.build_absolute_uri(), "page", self.number + 1)

    def get_previous_link(self):
        if self.number == 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, "page")
        return replace_query_param(url, "page", self.number - 1)


def past_last_page(number, total, size):
    pages = max(1, math.ceil(total / size))
    return Problem(
        400,
        "Bad query parameter: page.",
        [
            {
                "parameter": "page",
                "value": str(number),
                "message": "past the last page",
                "allowed": f"an integer from 1 to {pages}",
            }
        ],
    )


class ListedRows:
    """An answer's rows held in memory, to be shaped by the endpoint's serializer."""

    serialized = False

    def __init__(self, rows):
        self.rows = list(rows)

    def all(self):
        return self.rows

    def page(self, number, size):
        """(the rows of page `number`, how many rows there are in all)."""
        start = (number - 1) * size
        return self.rows[start : start + size], len(self.rows)


class DatabaseRows:
    """An answer's rows left in the database and read one page at a time: the page's query
    also counts every matching row (a subquery the database runs once), so a page costs one
    query, and reads only its own rows however many match. `to_row` turns the fetched
    `fields` into the output row."""

    serialized = True

    def __init__(self, queryset, fields, to_row):
        self.queryset, self.fields, self.to_row = queryset, fields, to_row

    def all(self):
        return [self.to_row(values) for values in self.queryset.values_list(*self.fields)]

    def page(self, number, size):
        start = (number - 1) * size
        matching = self.queryset.order_by().values(n=Func(F("pk"), function="COUNT"))
        fetched = list(
            self.queryset.annotate(total_rows=Subquery(matching)).values_list(
                *self.fields, "total_rows"
            )[start : start + size]
        )
        if not fetched:
            return [], self.queryset.count() if number > 1 else 0
        return [self.to_row(values[:-1]) for values in fetched], fetched[0][-1]
