import re

import pytest

pytestmark = pytest.mark.django_db


def table_rows(html):
    """The ISO3 codes of the overview table's rows, in order."""
    return re.findall(r'<tr data-iso3="([A-Z]{3})"', html)


def test_it_lists_all_32_allies_with_iceland_not_applicable(client, django_assert_max_num_queries):
    # Four for the page, one for the data version the page cache keys on.
    with django_assert_max_num_queries(6):
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    rows = table_rows(html)
    assert len(rows) == 32
    iceland = html[html.index('data-iso3="ISL"') :].split("</tr>")[0]
    assert "not applicable" in iceland
    assert "0.00%" not in iceland
    assert "31 allies with figures, 32 members in all" in html


def test_it_shows_statuses_in_words_and_symbols_not_colour_alone(client):
    html = client.get("/").content.decode()
    poland = html[html.index('data-iso3="POL"') :].split("</tr>")[0]
    assert "4.68%" in poland
    assert "✓ met" in poland
    slovenia = html[html.index('data-iso3="SVN"') :].split("</tr>")[0]
    assert "✗ not met" in slovenia


def test_it_gives_headline_counts_with_their_denominator(client):
    html = client.get("/").content.decode()
    assert "30 of 31" in html  # allies at 2% in 2026 (NATO estimate): all but Slovenia
    assert "NATO estimate" in html


@pytest.mark.parametrize(
    ("query", "first", "last"),
    [
        ("", "ALB", "USA"),
        ("?sort=share&dir=desc", "LTU", "ISL"),
        ("?sort=share&dir=asc", "SVN", "ISL"),
    ],
)
def test_the_table_sorts_with_members_without_values_last(client, query, first, last):
    rows = table_rows(client.get("/" + query).content.decode())
    assert (rows[0], rows[-1]) == (first, last)


def test_an_unknown_sort_key_falls_back_to_names(client):
    rows = table_rows(client.get("/?sort=<script>").content.decode())
    assert rows[0] == "ALB"
