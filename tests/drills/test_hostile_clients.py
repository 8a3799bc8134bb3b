"""Drill: oversized bodies and slow clients do not take the app's workers down.

In docker-compose.yml nginx reads every request whole before passing it on (and cuts slow
clients off after 10 s), so these reach gunicorn only when it is exposed directly; even then
the same worker processes keep serving.
"""

import socket

import pytest

from tests.drills.servers import Gunicorn, app_env, get

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def server(released_sqlite):
    env = app_env(**released_sqlite, GUNICORN_THREADS=4, GUNICORN_TIMEOUT=10)
    with Gunicorn(env) as server:
        yield server


def open_connection(server, first_bytes):
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=15)
    connection.sendall(first_bytes)
    return connection


def send_oversized_post(server, body_size):
    """Sends a form POST of `body_size` bytes as fast as the server takes it; its answer."""
    connection = open_connection(
        server,
        b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        + f"Content-Length: {body_size}\r\n\r\n".encode(),
    )
    chunk = b"x" * 65536
    with connection:
        try:
            for _ in range(body_size // len(chunk)):
                connection.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before taking the whole body
        try:
            return connection.recv(64)
        except ConnectionResetError:
            return b""


def test_a_body_over_the_limit_is_refused_and_the_workers_keep_serving(server):
    processes = server.worker_pids()
    answer = send_oversized_post(server, 20 * 1024 * 1024)
    # 400 (too big) or 403 (no CSRF token): refused either way, before the body is processed.
    assert answer.startswith((b"HTTP/1.1 400", b"HTTP/1.1 403")) or answer == b""
    assert get(server.url + "/members/POL/")[0] == 200
    assert server.worker_pids() == processes


def test_a_lying_content_length_is_refused_without_waiting_for_the_body(server):
    processes = server.worker_pids()
    connection = open_connection(
        server,
        b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 999999999\r\n\r\na=1",
    )
    with connection:
        answer = connection.recv(64)
    assert answer.startswith((b"HTTP/1.1 400", b"HTTP/1.1 403"))
    assert get(server.url + "/")[0] == 200
    assert server.worker_pids() == processes


def test_slow_clients_hold_a_connection_but_the_workers_keep_serving_others(server):
    processes = server.worker_pids()
    slow = [
        # Headers that never end (slowloris).
        open_connection(server, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"),
        # A body that trickles in.
        open_connection(
            server,
            b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\na=",
        ),
        # Connected, silent.
        open_connection(server, b""),
    ]
    try:
        for path in ("/healthz", "/", "/members/POL/"):
            assert get(server.url + path, timeout=20)[0] == 200, path
    finally:
        for connection in slow:
            connection.close()
    for _ in range(5):
        assert get(server.url + "/members/ISL/", timeout=20)[0] == 200
    assert server.worker_pids() == processes
    assert server.alive()
