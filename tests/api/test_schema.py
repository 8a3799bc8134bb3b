"""The OpenAPI 3 schema: valid with no warnings and served with local docs (Schemathesis checks
that the API obeys it: test_schemathesis.py)."""

import re

import pytest
import yaml
from django.core.management import call_command

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
    "GET /api/v1/revisions/",
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
