"""The public /api/v1/ contract, response by response, against a recorded snapshot.

`contract/snapshot.json` holds, for every documented endpoint and its parameters, formats and
errors, the status, media type, attachment name and body the API answered on the shipped data
before spending/api.py became the package spending/api/. Any change to a URL, a field, a
value, an error or a CSV column shows here as a diff.

When an issue changes the contract on purpose (new data, new fields), re-record and review
the diff in the commit: `UPDATE_API_CONTRACT=1 pytest tests/api/test_contract_snapshot.py`.
"""

import json
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

SNAPSHOT = Path(__file__).parent / "contract" / "snapshot.json"

MEMBER_URLS = [
    "/api/v1/members/",
    "/api/v1/members/?format=csv",
    "/api/v1/members/?page=2&page_size=10",
    "/api/v1/members/?page_size=5&page=7",
    "/api/v1/members/POL/",
    "/api/v1/members/isl/",
    "/api/v1/members/XXX/",
    "/api/v1/members/POL/?format=csv",
    "/api/v1/members/POL/?page=2",
    "/api/v1/members/?member=POL",
]
HISTORY_URLS = [
    "/api/v1/members/POL/history/",
    "/api/v1/members/deu/history/?metric=defence_usd_current_m",
    "/api/v1/members/POL/history/?metric=equipment_share_pct&format=csv",
    "/api/v1/members/ISL/history/",
    "/api/v1/members/XXX/history/",
    "/api/v1/members/POL/history/?metric=gdp",
]
LIST_URLS = [
    "/api/v1/editions/",
    "/api/v1/editions/?format=csv",
    "/api/v1/targets/",
    "/api/v1/targets/?format=csv",
    "/api/v1/targets/?kind=floor",
]
FIGURE_URLS = [
    "/api/v1/figures/",
    "/api/v1/figures/?page=4",
    "/api/v1/figures/?page_size=500",
    "/api/v1/figures/?page_size=300&page=2",
    "/api/v1/figures/?format=csv",
    "/api/v1/figures/?member=POL",
    "/api/v1/figures/?member=pol,DEU&year=2024,2025",
    "/api/v1/figures/?year_min=2020&year_max=2022&status=actual",
    "/api/v1/figures/?status=estimate&format=csv",
    "/api/v1/figures/?edition=nato-2026&member=ISL",
    "/api/v1/figures/?member=CAN&year_min=2025",
    "/api/v1/figures/?member=XXX",
    "/api/v1/figures/?member=POL,,DEU",
    "/api/v1/figures/?year=1990",
    "/api/v1/figures/?year=twenty&status=guess&countries=POL",
    "/api/v1/figures/?year_min=2020&year_max=2016",
    "/api/v1/figures/?edition=nato-1999",
    "/api/v1/figures/?member=POL&member=DEU",
    "/api/v1/figures/?member=",
    "/api/v1/figures/?page_size=5000",
    "/api/v1/figures/?page_size=0",
    "/api/v1/figures/?page=-1",
    "/api/v1/figures/?page=999",
    "/api/v1/figures/?format=xlsx",
]
PROGRESS_URLS = [
    "/api/v1/progress/",
    "/api/v1/progress/?format=csv",
    "/api/v1/progress/?member=DEU",
    "/api/v1/progress/?member=pol,FRA,ISL",
    "/api/v1/progress/?edition=nato-2026",
    "/api/v1/progress/?edition=nato-2026&member=DEU",
    "/api/v1/progress/?year=2020",
    "/api/v1/progress/?year=2014&member=POL,USA",
    "/api/v1/progress/?year=2024&format=csv",
    "/api/v1/progress/?page_size=10&page=3",
    "/api/v1/progress/?year=2027",
    "/api/v1/progress/?member=POL,ZZZ",
    "/api/v1/progress/?edition=unknown",
]
ALLIANCE_URLS = [
    "/api/v1/alliance/",
    "/api/v1/alliance/?format=csv",
    "/api/v1/alliance/?year=2024",
    "/api/v1/alliance/?edition=nato-2026&year=2014",
    "/api/v1/alliance/?year=2013",
    "/api/v1/alliance/?edition=nope",
]
FAIR_SHARE_URLS = [
    "/api/v1/fair-share/",
    "/api/v1/fair-share/?year=2026",
    "/api/v1/fair-share/?year=2014&format=csv",
    "/api/v1/fair-share/?edition=nato-2026&year=2024&page_size=5&page=7",
    "/api/v1/fair-share/?year=2013",
    "/api/v1/fair-share/?edition=nope",
]
REVISION_URLS = [
    "/api/v1/revisions/",
    "/api/v1/revisions/?member=POL,deu",
    "/api/v1/revisions/?member=POL&format=csv",
    "/api/v1/revisions/?member=XXX",
]
OTHER_URLS = [
    "/api/v1/figures/?member=POL&year=2024 [Accept: text/csv]",
    "/api/v1/progress/?member=POL [Accept: text/csv;q=0.9, application/json]",
    "/api/v1/members/POL/ [Accept: text/csv]",
    "/api/v1/targets/ [Accept: application/xml]",
    "/api/v1/",
    "/api/v1/nothing/",
    "/api/v1/members",
    "/api/v1/figures?member=POL",
]
URLS = [
    *MEMBER_URLS,
    *HISTORY_URLS,
    *LIST_URLS,
    *FIGURE_URLS,
    *PROGRESS_URLS,
    *ALLIANCE_URLS,
    *FAIR_SHARE_URLS,
    *REVISION_URLS,
    *OTHER_URLS,
]


def capture(client, url):
    """What a client sees of one response (`url [Accept: type]` sends that Accept header)."""
    url, _, accept = url.removesuffix("]").partition(" [Accept: ")
    response = client.get(url, HTTP_ACCEPT=accept) if accept else client.get(url)
    media_type = response.get("Content-Type", "")
    seen = {
        "status": response.status_code,
        "content_type": media_type,
        "content_disposition": response.get("Content-Disposition"),
        "location": response.get("Location"),
    }
    text = response.content.decode()
    seen["body"] = json.loads(text) if media_type.startswith("application/json") else text
    return seen


@pytest.fixture(scope="module")
def snapshot():
    return json.loads(SNAPSHOT.read_text()) if SNAPSHOT.exists() else {}


def test_the_snapshot_covers_every_request_listed(snapshot):
    if os.environ.get("UPDATE_API_CONTRACT"):
        pytest.skip("re-recording")
    assert sorted(snapshot) == sorted(URLS)


@pytest.mark.parametrize("url", URLS)
def test_the_api_answers_as_recorded_before_the_rebuild(client, snapshot, url):
    seen = capture(client, url)

    if os.environ.get("UPDATE_API_CONTRACT"):
        recorded = json.loads(SNAPSHOT.read_text()) if SNAPSHOT.exists() else {}
        recorded[url] = seen
        recorded = {key: recorded[key] for key in URLS if key in recorded}
        SNAPSHOT.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
        return
    assert seen == snapshot[url]


def test_the_schema_is_as_recorded(client):
    schema = client.get("/api/v1/schema/?format=json")
    path = SNAPSHOT.with_name("schema.json")

    assert schema.status_code == 200
    if os.environ.get("UPDATE_API_CONTRACT"):
        path.write_text(json.dumps(schema.json(), indent=1, sort_keys=True) + "\n")
        return
    assert schema.json() == json.loads(path.read_text())
