import io
import json
import logging
import logging.config

import pytest
from django.conf import settings

from nato_tracker.requestlog import pick_request_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """The settings' stdout handler, writing into a buffer: what a log collector would read."""
    config = {**settings.LOGGING, "disable_existing_loggers": False}
    config["handlers"] = {**config["handlers"]}
    config["handlers"]["stdout"] = {**config["handlers"]["stdout"], "stream": "ext://sys.stdout"}
    buffer = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:]
    logging.config.dictConfig(config)
    handler = root.handlers[0]
    handler.setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    root.handlers[:] = saved


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("abc-123", True),
        ("0f8c2d1e9b7a4c3d", True),
        ("", False),
        (None, False),
        ("has spaces", False),
        ('{"json": 1}', False),
        ("x" * 65, False),
    ],
)
def test_an_incoming_request_id_is_kept_only_when_it_is_a_short_plain_token(incoming, kept):
    picked = pick_request_id(incoming)
    assert (picked == incoming) is kept
    assert len(picked) <= 64


def test_the_response_echoes_the_request_id_from_the_proxy(client):
    response = client.get("/healthz", headers={"X-Request-ID": "nginx-42"})
    assert response.headers["X-Request-ID"] == "nginx-42"


def test_a_request_without_an_id_gets_a_new_one(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert len(first) == 32
    assert first != second


def test_each_request_logs_one_json_line_with_its_id(client, json_log):
    client.get("/members/POL/", headers={"X-Request-ID": "trace-7"})
    lines = [line for line in json_log() if line["logger"] == "nato_tracker.requests"]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == "trace-7"
    assert line["method"] == "GET"
    assert line["path"] == "/members/POL/"
    assert line["status"] == 200
    assert line["level"] == "INFO"
    assert {"time", "message", "duration_ms"} <= set(line)


def test_import_messages_go_to_stdout_as_json(json_log):
    logging.getLogger("spending.importing").info("import applied", extra={"batch": 3, "rows": 12})
    logging.getLogger("spending.importing").warning("import rolled back", extra={"batch": 4})
    lines = [line for line in json_log() if line["logger"] == "spending.importing"]
    assert [(line["message"], line.get("batch")) for line in lines] == [
        ("import applied", 3),
        ("import rolled back", 4),
    ]
    assert lines[0]["request_id"] is None
