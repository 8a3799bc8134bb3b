"""/feeds/editions.atom: valid Atom, one entry per edition and per applied revision."""

import csv
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from spending.importing import apply_batch, choose_edition, preview_upload
from tests.spending.import_files import EXPORT_COLUMNS, csv_bytes, export_rows

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client):
    response = client.get("/feeds/editions.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    # RFC 4287, 4.1.1: a feed has an id, a title, an updated date and a self link.
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    found = feed.findall(f"{ATOM}entry")
    for entry in found:
        for name in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{name}") is not None, name
    return [
        {
            "id": entry.findtext(f"{ATOM}id"),
            "title": entry.findtext(f"{ATOM}title"),
            "summary": entry.findtext(f"{ATOM}summary"),
        }
        for entry in found
    ]


def test_the_feed_holds_the_shipped_editions_with_their_headline_counts(client):
    by_title = {entry["title"]: entry for entry in entries(client)}
    assert len(by_title) == 2
    entry = by_title["Edition loaded: Defence Expenditure of NATO Countries (2014-2026)"]

    assert entry["title"] == "Edition loaded: Defence Expenditure of NATO Countries (2014-2026)"
    assert "data cut-off 3 July 2026" in entry["summary"]
    # 2026 shares (fixtures/): all but Slovenia (1.61%) at 2%; EST, GRC, LTU, LVA, POL at
    # 3.5%; LTU (5.33%) and EST (5.10%) at 5% on core defence alone.
    assert (
        "In 2026: 30 of 31 allies at 2%, 5 of 31 allies at 3.5%, 2 of 31 allies at 5%"
        in (entry["summary"])
    )
    # The 2025 edition's newest year, 2025, holds the share estimates of 16 allies,
    # counted on NATO's rounding to 2 decimals.
    with open(FIXTURES / "figures_2025_edition.csv", newline="", encoding="utf-8") as f:
        shares = [
            round(float(row["value"]), 2)
            for row in csv.DictReader(f)
            if row["year"] == "2025"
            and row["metric"] == "nato_share_of_gdp_pct"
            and not row["iso3"].startswith("NATO")
        ]
    at = [sum(share >= threshold for share in shares) for threshold in (2, 3.5, 5)]
    older = by_title["Edition loaded: Defence Expenditure of NATO Countries (2014-2025)"]
    assert (
        f"In 2025: {at[0]} of {len(shares)} allies at 2%, {at[1]} of {len(shares)} allies at "
        f"3.5%, {at[2]} of {len(shares)} allies at 5%"
    ) in older["summary"]
    assert (len(shares), at) == (16, [16, 3, 0])


def test_an_imported_edition_and_a_revision_each_add_an_entry(client):
    rows = export_rows(iso3="POL")
    rows[-1][EXPORT_COLUMNS.index("defence_usd_current_m")] = "99999"
    choice = choose_edition("nato-2027", title="NATO 2027", cutoff_on="2027-07-01")
    apply_batch(preview_upload(csv_bytes(rows), "2027.csv", choice).pk)

    titles = [entry["title"] for entry in entries(client)]
    assert titles[0] == "Edition loaded: NATO 2027"
    assert len(titles) == 3  # and the two shipped editions

    revised = export_rows(iso3="DEU")
    revised[-1][EXPORT_COLUMNS.index("military_personnel_k")] = "190.5"
    apply_batch(preview_upload(csv_bytes(revised), "fix.csv", choose_edition("nato-2026")).pk)

    found = entries(client)
    assert len(found) == 4
    assert found[0]["title"] == (
        "Revision of Defence Expenditure of NATO Countries (2014-2026): 1 value changed"
    )
    assert "DEU; fields: military_personnel_k." in found[0]["summary"]


def test_every_page_links_the_feed_in_its_head_and_footer(client):
    for url in ("/", "/members/DEU/", "/compare/", "/scenarios/"):
        page = client.get(url).content.decode()
        assert (
            '<link rel="alternate" type="application/atom+xml" '
            'title="New editions and revisions" href="/feeds/editions.atom">'
        ) in page, url
        assert 'class="feed" href="/feeds/editions.atom"' in page, url
