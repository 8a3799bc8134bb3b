"""Drill: PostgreSQL stops while an import is being applied. After the restart the figures are
exactly as before the import or exactly as after it, never in between.

Written against the importer's command (issue 5):
``python manage.py import_figures FILE --edition SLUG [--dry-run]``.
"""

import csv
import subprocess
import sys
import time

import pytest
from django.core.management import get_commands

from tests.drills.servers import PG_BIN, ROOT, PostgresCluster, app_env, release, wait_until

pytestmark = [
    pytest.mark.skipif(
        not (PG_BIN / "initdb").exists(), reason=f"PostgreSQL binaries not found in {PG_BIN}"
    ),
    pytest.mark.skipif(
        "import_figures" not in get_commands(),
        reason="needs the importer's `import_figures` command (issue 5), not on this branch",
    ),
]

EDITION = "nato-2026"
SNAPSHOT = (
    "SELECT count(*), md5(coalesce(string_agg(f::text, '|' ORDER BY f.id), '')) "
    "FROM spending_yearlyfigure f"
)


def snapshot(cluster):
    """(row count, digest of every figure row) read straight from the database."""
    out = subprocess.run(
        [
            str(PG_BIN / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(cluster.port),
            "-U",
            "postgres",
            "-d",
            "drill",
            "-At",
            "-c",
            SNAPSHOT,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def write_revised_figures(path):
    """The shipped figures with every value revised by 1% (synthetic drill data, never shipped)."""
    with open(ROOT / "fixtures" / "figures.csv", newline="") as source:
        rows = list(csv.DictReader(source))
    for row in rows:
        if row["value"]:
            row["value"] = repr(round(float(row["value"]) * 1.01, 6))
    with open(path, "w", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def cluster():
    cluster = PostgresCluster().init()
    yield cluster
    cluster.destroy()


@pytest.mark.parametrize("delay_s", [0.5, 1.5])
def test_postgres_stopped_during_an_import_leaves_the_data_before_or_after(
    cluster, tmp_path, delay_s
):
    env = app_env(DATABASE_URL=cluster.url(), STATIC_ROOT=tmp_path / "static")
    release(env)
    revised = tmp_path / "revised.csv"
    write_revised_figures(revised)
    command = [sys.executable, "manage.py", "import_figures", str(revised), "--edition", EDITION]
    before = snapshot(cluster)

    importing = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(delay_s)
    cluster.stop(mode="immediate")
    importing.wait(timeout=30)
    cluster.start()
    wait_until(lambda: snapshot(cluster), 30, "PostgreSQL back")
    during = snapshot(cluster)

    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    after = snapshot(cluster)
    assert after != before, "the revised file changes the figures"
    assert during in (before, after)
