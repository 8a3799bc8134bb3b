"""The API's paging: DRF's page-number pagination over Django's paginator, over rows held in
memory (a list) or left in the database (DatabaseRows, one query a page)."""

from django.core.paginator import EmptyPage
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import F, Func, Subquery
from rest_framework.pagination import PageNumberPagination

from spending.api.filters import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, refusal


class Paginator(DjangoPaginator):
    """Django's paginator, fetching a page before counting the rows: rows left in the database
    count themselves in the page's query. Past the last page: a 400 naming it."""

    def page(self, number):
        bottom = (int(number) - 1) * self.per_page
        rows = self.object_list[bottom : bottom + self.per_page]
        return self._get_page(rows, self.validate_number(number), self)

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except EmptyPage as error:
            allowed = f"an integer from 1 to {self.num_pages}"
            raise refusal("page", str(number), "past the last page", allowed) from error


class Pagination(PageNumberPagination):
    """`?page=` and `?page_size=`, checked with the other parameters by `filters.ListQuery`."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    django_paginator_class = Paginator


class DatabaseRows:
    """An answer's rows left in the database and read one page (a slice) at a time: the page's
    query also counts every matching row (a subquery the database runs once) unless `total`
    is known already (counted from stored answers), so a page costs one query, and reads only
    its own rows however many match. `to_row` turns the fetched `fields` into the output row
    (already serialized)."""

    def __init__(self, queryset, fields, to_row, total=None):
        self.queryset, self.fields, self.to_row = queryset, fields, to_row
        self.total = total

    def all(self):
        return [self.to_row(values) for values in self.queryset.values_list(*self.fields)]

    def count(self):
        """How many rows match: known from the page fetched, else counted."""
        if self.total is None:
            self.total = self.queryset.count()
        return self.total

    def __getitem__(self, page):
        if self.total is not None:
            return [self.to_row(values) for values in self.queryset.values_list(*self.fields)[page]]
        matching = self.queryset.order_by().values(n=Func(F("pk"), function="COUNT"))
        fetched = list(
            self.queryset.annotate(total_rows=Subquery(matching)).values_list(
                *self.fields, "total_rows"
            )[page]
        )
        if fetched:
            self.total = fetched[0][-1]
        elif not page.start:
            self.total = 0
        return [self.to_row(values[:-1]) for values in fetched]
