"""The OpenAPI 3 schema: valid with no warnings, served with local docs, and obeyed by the
API under Schemathesis' generated requests."""

import re

import pytest
import schemathesis
import yaml
from django.core.management import call_command
from hypothesis import HealthCheck, settings

pytestmark = pytest.mark.django_db

OPERATIONS = [
    "GET /api/v1/alliance/",
    "GET /api/v1/editions/",
    "GET /api/v1/fair-share/",
    "GET /api/v1/figures/",
    "GET /api/v1/imports/{id}/",
    "GET /api/v1/members/",
    "GET /api/v1/members/{iso3}/",
    "GET /api/v1/members/{iso3}/history/",
    "GET /api/v1/progress/",
    "GET /api/v1/scenarios/",
    "GET /api/v1/targets/",
    "POST /api/v1/imports/",
    "POST /api/v1/imports/{id}/apply/",
    "POST /api/v1/imports/{id}/rollback/",
]


def test_the_schema_validates_with_no_warnings(tmp_path):
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    schema = yaml.safe_load(out.read_text())
    operations = [
        f"{method.upper()} {path}" for path, item in schema["paths"].items() for method in item
    ]
    assert sorted(operations) == OPERATIONS
    assert schema["openapi"].startswith("3.")


def test_the_schema_is_served_at_api_v1_schema(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert "/api/v1/progress/" in response.json()["paths"]


def test_the_docs_load_their_scripts_from_local_static_files(client):
    html = client.get("/api/docs/").content.decode()

    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("drf_spectacular_sidecar" in source for source in sources)
    assert not [source for source in sources if source.startswith(("http:", "https:", "//"))]


@pytest.fixture
def api_schema(db):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from nato_tracker.wsgi import application

    # As Django's test client does: a request must not close the test's connection, which
    # holds the test transaction (PostgreSQL would lose it).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    # Explicit examples and Hypothesis' random valid and invalid requests ("fuzzing", 25 per
    # operation and mode). Off: the "coverage" phase's exhaustive boundary cases (over a
    # minute here) and "stateful" (a read-only API has no links between operations).
    config = schemathesis.Config.from_dict(
        {
            "phases": {
                "coverage": {"enabled": False},
                "stateful": {"enabled": False},
            },
        }
    )
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=config)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The read-only API; the staff-only import endpoints have their own tests.
schema = (
    schemathesis.pytest.from_fixture("api_schema")
    .include(method="GET")
    .exclude(path_regex="^/api/v1/imports/")
)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_obeys_its_schema(case):
    # Every check but "schema-valid data is accepted": whether a member code, a year or an
    # edition exists depends on the data, not the schema, and those answer 400 by design.
    case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance])
