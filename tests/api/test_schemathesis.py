"""Schemathesis against the whole API, import endpoints included: every phase, every check.

The CLI runs against a live server, as it would against production: the examples in the
schema, the coverage phase's boundary cases, random valid and invalid requests (fuzzing) and
stateful sequences along the links it infers (upload → show, apply, roll back). Settings that
keep it bounded and repeatable are in schemathesis.toml beside this file.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from nato_tracker.tokens import create_token
from spending.importing import apply_batch, choose_edition, preview_upload
from spending.models import ImportBatch
from tests.spending.import_files import pol_2024_personnel

pytestmark = pytest.mark.schemathesis

SCHEMA = "/api/v1/schema/?format=json"
CONFIG = Path(__file__).with_name("schemathesis.toml")
PHASES = ["Examples", "Coverage", "Fuzzing", "Stateful"]


@pytest.fixture
def importer_token(nato_data):
    """An importer's token, and imports #1 (applied) and #2 (previewed) for the id operations."""
    user = User.objects.create_user("fuzzer", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="Figures importer")[0])
    for value in ("250", "260"):
        preview_upload(pol_2024_personnel(value), "pol.csv", choose_edition("nato-2026"), user=user)
    apply_batch(ImportBatch.objects.order_by("pk").first().pk, user=user)
    return create_token(user)[1]


def test_the_whole_api_passes_every_schemathesis_phase_and_check(
    live_server, importer_token, settings, client
):
    paths = client.get(SCHEMA).json()["paths"]
    operations = sum(len(item) for item in paths.values())
    settings.PAGE_ANON_THROTTLE_RATE = "100000/minute"
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(CONFIG),
        "run",
        live_server.url + SCHEMA,
        "--url",
        live_server.url,
        "--phases",
        ",".join(phase.lower() for phase in PHASES),
        "--checks",
        "all",
        "--workers",
        "1",
        "--no-color",
        "--header",
        f"Authorization: Token {importer_token}",
    ]
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
    report = result.stdout + result.stderr

    assert result.returncode == 0, report[-20000:]
    assert f"Selected: {operations}/{operations}" in report, report[-5000:]
    for phase in PHASES:
        assert f"✅ {phase}" in report, report[-5000:]
