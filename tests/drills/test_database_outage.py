"""Drill: PostgreSQL stops under a running app; the app answers 503 with a clear message while
it is down and 200 once it is back, without a restart.

The cluster is a throwaway one (initdb + pg_ctl in a temporary folder), never the machine's.
"""

import json
import shutil

import pytest
from django.urls import Resolver404, resolve

from tests.drills.servers import (
    PG_BIN,
    Gunicorn,
    PostgresCluster,
    app_env,
    get,
    release,
    wait_until,
)

pytestmark = pytest.mark.skipif(
    not (PG_BIN / "initdb").exists() or not shutil.which("pg_isready"),
    reason=f"PostgreSQL server binaries not found in {PG_BIN} (set PG_BIN)",
)

PAGES = ["/", "/members/POL/"]
# Present once the JSON API is merged; checked whenever the URL exists.
API = "/api/v1/progress/"


def api_exists():
    try:
        resolve(API)
    except Resolver404:
        return False
    return True


@pytest.fixture
def cluster(tmp_path):
    cluster = PostgresCluster().init()
    yield cluster
    cluster.destroy()


def test_pages_answer_503_while_postgres_is_down_and_200_after_without_restart(cluster, tmp_path):
    env = app_env(DATABASE_URL=cluster.url(), STATIC_ROOT=tmp_path / "static", CONN_MAX_AGE=60)
    release(env)
    with Gunicorn(env) as server:
        before = {path: get(server.url + path) for path in PAGES}
        assert {path: answer[0] for path, answer in before.items()} == dict.fromkeys(PAGES, 200)
        processes = server.worker_pids()

        cluster.stop()
        for path in PAGES:
            status, headers, body = get(server.url + path)
            assert status == 503, path
            assert headers["Content-Type"].startswith("text/html")
            assert "The database is unreachable" in body.decode()
            assert headers["Retry-After"] == "30"
        if api_exists():
            status, headers, body = get(server.url + API)
            assert status == 503
            assert json.loads(body)["code"] == "database_unavailable"
        assert get(server.url + "/readyz")[0] == 503
        assert get(server.url + "/healthz")[0] == 200, "liveness must not depend on the database"

        cluster.start()
        wait_until(lambda: get(server.url + "/readyz")[0] == 200, 30, "readiness after restart")
        for path in PAGES:
            status, _, body = get(server.url + path)
            assert status == 200, path
            assert body == before[path][2]
        assert server.worker_pids() == processes, "the app recovered without restarting"
        log_lines = [json.loads(line) for line in server.log().splitlines() if line.startswith("{")]
        assert any(line["message"].startswith("database unavailable") for line in log_lines)
