"""Every note shown to readers is written for them: no compiler's caveat numbers or file names."""

import re

import pytest

from members.models import Member
from spending.models import Edition, SeriesBreak

pytestmark = pytest.mark.django_db

INTERNAL = re.compile(r"\bcaveat\b|\bC\d{1,2}\b|\bS\d{2}b?\b|\.md\b|fixtures/", re.IGNORECASE)


def test_member_edition_and_break_notes_name_no_internal_caveat():
    texts = [m.notes for m in Member.objects.all()]
    texts += [e.notes for e in Edition.objects.all()]
    texts += [b.reason + " " + b.source for b in SeriesBreak.objects.all()]

    assert [text for text in texts if INTERNAL.search(text)] == []


@pytest.mark.parametrize(
    "iso3", [m for m in ["DEU", "BGR", "LUX", "NLD", "ISL", "SVN", "ESP", "FIN"]]
)
def test_an_ally_page_shows_no_internal_caveat(client, iso3):
    html = client.get(f"/members/{iso3}/").content.decode()
    text = re.sub(r"<[^>]+>", " ", html)

    assert INTERNAL.search(text) is None, INTERNAL.search(text)


def test_germanys_note_names_its_source():
    note = Member.objects.get(iso3="DEU").notes

    assert "Bundestag" in note
    assert "particle.news" in note
