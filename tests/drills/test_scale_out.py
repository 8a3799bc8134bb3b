"""Scale-out proof: two app servers on two ports share one PostgreSQL and one Redis.

A write through one server is seen at once through the other (no stale cache entry), and an
import previewed on one is confirmed on the other.
"""

import json
import shutil
import subprocess
import sys

import pytest

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


def multipart(fields, file_name, content):
    """(body, content type) of a multipart/form-data upload with one file field."""
    boundary = "drill-boundary-7f3a"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"'
        "\r\nContent-Type: text/csv\r\n\r\n"
    )
    body = "".join(parts).encode() + head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def staff_token(server):
    """An API token for the drill's admin, made with the app's own command."""
    result = subprocess.run(
        [sys.executable, "manage.py", "create_api_token", ADMIN[0]],
        cwd=ROOT,
        env=server.env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def test_an_import_previewed_on_one_server_is_confirmed_on_the_other(two_servers):
    (a, b), _ = two_servers
    headers = {"Authorization": f"Token {staff_token(a)}"}
    before = json.loads(get(b.url + "/api/v1/figures/?member=POL&year=2024")[2])
    assert before["results"][0]["defence_usd_const2021_m"] != 40000.0

    upload = b"iso3,year,metric,value,status\nPOL,2024,defence_usd_const2021_m,40000,actual\n"
    body, content_type = multipart({"edition": "nato-2026"}, "revision.csv", upload)
    status, _, answer = get(
        a.url + IMPORT_PREVIEW_PATH + "?dry_run=1",
        headers={**headers, "Content-Type": content_type},
        method="POST",
        data=body,
    )
    assert status == 200, answer
    preview = json.loads(answer)
    assert preview["status"] == "previewed"
    assert preview["counts"]["changed"] == 1
    # Nothing is written by the preview: B still answers the old value.
    unchanged = json.loads(get(b.url + "/api/v1/figures/?member=POL&year=2024")[2])
    assert (
        unchanged["results"][0]["defence_usd_const2021_m"]
        == before["results"][0]["defence_usd_const2021_m"]
    )

    status, _, answer = get(
        b.url + f"{IMPORT_PREVIEW_PATH}{preview['id']}/apply/", headers=headers, method="POST"
    )
    assert status == 201, answer

    for server in (a, b):
        after = json.loads(get(server.url + "/api/v1/figures/?member=POL&year=2024")[2])
        assert after["results"][0]["defence_usd_const2021_m"] == 40000.0, server.url
