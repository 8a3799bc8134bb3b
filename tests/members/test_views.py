import re

import pytest

pytestmark = pytest.mark.django_db


def history_years(html):
    table = html[html.index('id="history-table"') :].split("</table>")[0]
    return re.findall(
        r'<th scope="row">(\d{4})( <span class="badge" title="NATO estimate">)?', table
    )


def test_poland_shows_2026_down_to_2014_with_2025_and_2026_as_estimates(
    client, django_assert_max_num_queries
):
    # Five for the page, one for the data version the page cache keys on; the ally's maths
    # stored by a first visit (tests/spending/test_page_answers.py counts that one).
    client.get("/members/POL/")
    with django_assert_max_num_queries(6):
        response = client.get("/members/POL/")
    assert response.status_code == 200
    years = history_years(response.content.decode())
    # Newest first, so a phone opens the wide table on the years a reader came for.
    assert [int(year) for year, _ in years] == list(range(2026, 2013, -1))
    assert [int(year) for year, badge in years if badge] == [2026, 2025]


def test_the_member_page_shows_progress_toward_each_target(client):
    html = client.get("/members/DEU/").content.decode()
    assert 'id="target-core-3.5pct"' in html
    core = html[html.index('id="target-core-3.5pct"') :].split("</div>")[0]
    assert "✗ not met" in core
    assert "2030" in core  # projected year at the 2021-2026 trend
    assert "3.30%" in core  # required real growth a year to reach 3.5% by 2035


def test_iceland_is_not_applicable_never_zero(client):
    html = client.get("/members/ISL/").content.decode()
    assert "Not applicable" in html
    assert "no armed forces" in html
    assert "0.00%" not in html


@pytest.mark.parametrize(
    ("iso3", "text"),
    [
        ("CAN", "April 2025 – March 2026"),
        ("GBR", "April 2025 – March 2026"),
        ("USA", "October 2024 – September 2025"),
    ],
)
def test_fiscal_year_allies_carry_a_note(client, iso3, text):
    html = client.get(f"/members/{iso3}/").content.decode()
    assert 'id="fiscal-year-note"' in html
    assert text in html


def test_a_calendar_year_ally_has_no_fiscal_year_note(client):
    assert 'id="fiscal-year-note"' not in client.get("/members/POL/").content.decode()


def test_a_lower_case_code_redirects_to_the_canonical_address(client):
    response = client.get("/members/pol/")
    assert response.status_code == 301
    assert response["Location"] == "/members/POL/"


def test_an_unknown_code_is_404(client):
    assert client.get("/members/XYZ/").status_code == 404
