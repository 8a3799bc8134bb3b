"""Scale-out proof: two app servers on two ports share one PostgreSQL and one Redis.

A write through one server is seen at once through the other (no stale cache entry), and an
import previewed on one is confirmed on the other.
"""

import shutil
import subprocess
import sys

import pytest
from django.urls import Resolver404, resolve

from tests.drills.admin_client import AdminClient
from tests.drills.servers import (
    PG_BIN,
    ROOT,
    Gunicorn,
    PostgresCluster,
    RedisServer,
    app_env,
    get,
    release,
)

pytestmark = pytest.mark.skipif(
    not (PG_BIN / "initdb").exists() or not shutil.which("redis-server"),
    reason=f"needs PostgreSQL server binaries in {PG_BIN} and redis-server",
)

ADMIN = ("drill-admin", "a-long-drill-only-password-42")
# The importer's HTTP flow (issue 5): upload for a stored preview, then confirm it by id.
IMPORT_PREVIEW_PATH = "/api/v1/imports/"


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    """Servers A and B with the production settings, one shared database and Redis."""
    folder = tmp_path_factory.mktemp("scale-out")
    cluster = PostgresCluster().init()
    redis = RedisServer().start()
    # Plain http on loopback: the session cookie may not be Secure here.
    env = app_env(
        DATABASE_URL=cluster.url(),
        REDIS_URL=redis.url,
        STATIC_ROOT=folder / "static",
        SECURE_COOKIES=0,
    )
    release(env)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "createsuperuser",
            "--noinput",
            "--username",
            ADMIN[0],
            "--email",
            "drill@example.org",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SUPERUSER_PASSWORD": ADMIN[1]},
        check=True,
        capture_output=True,
    )
    servers = [Gunicorn(env).start(), Gunicorn(env).start()]
    yield servers, redis
    for server in servers:
        server.stop()
    redis.stop()
    cluster.destroy()


def test_a_target_renamed_through_one_server_is_shown_at_once_by_the_other(two_servers):
    (a, b), redis = two_servers
    for server in (a, b):
        page = get(server.url + "/members/POL/")[2].decode()
        assert "3.5% of GDP on core defence" in page
    cached = int(redis.command("DBSIZE"))
    assert cached > 0, "the page should be in the shared cache"

    admin = AdminClient(a.url)
    admin.log_in(*ADMIN)
    target_id = admin.object_id("/admin/spending/target/", "3.5% of GDP on core defence")
    change = f"/admin/spending/target/{target_id}/change/"
    fields = admin.form(change)
    fields["name"] = "3.5% of GDP on core defence (renamed in drill)"
    fields["_save"] = "Save"
    status, url, _ = admin.post(change, fields)
    assert status == 200
    assert url.endswith("/admin/spending/target/"), "the change was not saved"

    for server in (b, a):
        page = get(server.url + "/members/POL/")[2].decode()
        assert "3.5% of GDP on core defence (renamed in drill)" in page, server.url


def importer_http_flow_exists():
    try:
        resolve(IMPORT_PREVIEW_PATH)
    except Resolver404:
        return False
    return True


@pytest.mark.skipif(
    not importer_http_flow_exists(),
    reason=(
        f"needs the importer's HTTP preview/confirm flow at {IMPORT_PREVIEW_PATH} (issue 5), "
        "not on this branch; enable at merge by adapting the two requests below"
    ),
)
def test_an_import_previewed_on_one_server_is_confirmed_on_the_other(two_servers, tmp_path):
    (a, b), _ = two_servers
    admin_a, admin_b = AdminClient(a.url), AdminClient(b.url)
    admin_a.log_in(*ADMIN)
    admin_b.log_in(*ADMIN)
    upload = tmp_path / "figures.csv"
    upload.write_text((ROOT / "fixtures" / "figures.csv").read_text())
    raise NotImplementedError(
        "adapt to the merged importer: POST the file to A, read the preview id, confirm on B, "
        "then check the rows on both servers"
    )
