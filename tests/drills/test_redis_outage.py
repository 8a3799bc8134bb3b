"""Drill: the shared Redis stops in the middle of a run; every request still succeeds."""

import shutil
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.drills.servers import Gunicorn, RedisServer, app_env, get, wait_until

pytestmark = pytest.mark.skipif(
    not shutil.which("redis-server"), reason="redis-server not installed (Debian: redis-server)"
)

PATHS = ["/", "/members/POL/", "/members/ISL/", "/readyz"]


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


def hammer(url, stop, statuses):
    """Requests the pages in turn until `stop` is set, recording every status."""
    while not stop.is_set():
        for path in PATHS:
            statuses.append((path, get(url + path, timeout=15)[0]))


def test_every_request_succeeds_while_redis_stops_and_comes_back(released_sqlite, redis_server):
    env = app_env(**released_sqlite, REDIS_URL=redis_server.url)
    with Gunicorn(env) as server:
        pages = {path: get(server.url + path)[2] for path in PATHS[:3]}
        assert int(redis_server.command("DBSIZE")) > 0, "pages should be cached in Redis"

        stop, statuses = threading.Event(), []
        with ThreadPoolExecutor(4) as pool:
            clients = [pool.submit(hammer, server.url, stop, statuses) for _ in range(4)]
            wait_until(lambda: len(statuses) >= 20, 30, "requests before the outage")
            redis_server.stop()
            during = len(statuses)
            wait_until(lambda: len(statuses) >= during + 40, 30, "requests during the outage")
            stop.set()
            for client in clients:
                client.result()

        assert len(statuses) > during
        assert [s for s in statuses if s[1] != 200] == []
        # The pages served from the database are the same as those served from the cache.
        for path, body in pages.items():
            assert get(server.url + path)[2] == body
        assert "cache unavailable" in server.log()

        # Redis back on the same port: the servers use it again, without a restart.
        redis_server.start()
        wait_until(
            lambda: (
                get(server.url + "/members/POL/")[0] == 200
                and int(redis_server.command("DBSIZE")) > 0
            ),
            30,
            "the cache to be filled again",
        )
        assert server.alive()
