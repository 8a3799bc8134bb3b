import pytest

from spending.importing import choose_edition, preview_upload
from tests.spending.import_files import csv_bytes

pytestmark = pytest.mark.django_db


def test_errors_are_listed_in_the_order_of_the_files_lines():
    content = csv_bytes(
        [
            ["iso3", "year", "metric", "value", "status"],
            ["POL", "2024", "defence_usd_const2021_m", "-5", "actual"],
            ["ISL", "2024", "nato_share_of_gdp_pct", "0", "actual"],
            ["XXX", "2024", "nato_share_of_gdp_pct", "1", "actual"],
        ]
    )

    batch = preview_upload(content, "bad.csv", choose_edition("nato-2026"))

    places = [m["where"] for m in batch.preview["messages"] if m["level"] == "error"]
    assert [place.split()[-1] for place in places] == ["2", "3", "4"]
