"""Admin logins: failures counted per user and per address, a lockout that ends by itself,
security events in the log, long passwords, sessions that end when idle."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "a-correct-horse-battery-42"


@pytest.fixture(autouse=True)
def fast_hashes(settings):
    """Dozens of logins per test: a fast hasher keeps them quick (the rules are the same)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def chief():
    return User.objects.create_superuser("chief", "chief@example.org", PASSWORD)


def log_in(username, password, address="198.51.100.1"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})
    return client, response


def logged_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_the_right_password_logs_in(chief):
    assert logged_in(log_in("chief", PASSWORD)[1])


def test_the_11th_attempt_after_ten_wrong_passwords_is_refused_even_when_right(chief):
    statuses = [log_in("chief", f"guess-{n}")[1].status_code for n in range(10)]
    _, right = log_in("chief", PASSWORD)

    # The form answers a wrong password with 200 until the 10th failure locks the name out.
    assert statuses[:9] == [200] * 9
    assert statuses[9] == 429
    assert right.status_code == 429
    assert not logged_in(right)
    assert "too many" in right.content.decode().lower()


def test_the_lockout_is_per_user_name_from_any_address(chief):
    for n in range(10):
        log_in("chief", f"guess-{n}", address=f"198.51.100.{n + 1}")
    assert log_in("chief", PASSWORD, address="203.0.113.50")[1].status_code == 429


def test_the_lockout_is_per_address_across_user_names(chief):
    for n in range(10):
        log_in(f"nobody-{n}", "guess", address="198.51.100.66")
    assert log_in("chief", PASSWORD, address="198.51.100.66")[1].status_code == 429
    # From elsewhere the same user gets in: one address cannot lock the site.
    assert logged_in(log_in("chief", PASSWORD, address="203.0.113.50")[1])


def test_a_lockout_leaves_other_users_and_the_public_site_working(chief):
    User.objects.create_superuser("deputy", "d@example.org", PASSWORD)
    for n in range(10):
        log_in("chief", f"guess-{n}", address=f"198.51.100.{n + 1}")
    assert logged_in(log_in("deputy", PASSWORD, address="203.0.113.50")[1])
    public = Client(REMOTE_ADDR="198.51.100.1")
    assert public.get("/").status_code == 200
    assert public.get("/api/v1/targets/").status_code == 200


def test_the_lockout_ends_by_itself_after_the_cool_off(chief, settings):
    for n in range(10):
        log_in("chief", f"guess-{n}")
    assert log_in("chief", PASSWORD)[1].status_code == 429
    # As if the cool-off had passed since the last failure.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )
    assert logged_in(log_in("chief", PASSWORD)[1])


def test_a_success_resets_the_count(chief):
    for n in range(9):
        log_in("chief", f"guess-{n}")
    assert logged_in(log_in("chief", PASSWORD)[1])
    assert log_in("chief", "guess-again")[1].status_code == 200


def test_failed_logins_and_lockouts_are_logged_with_user_and_address(chief, caplog):
    caplog.set_level(logging.INFO, logger="nato_tracker.security")
    for n in range(10):
        log_in("chief", f"guess-{n}", address="198.51.100.9")
    records = [r for r in caplog.records if r.name == "nato_tracker.security"]
    failed = [r for r in records if r.event == "login_failed"]
    locked = [r for r in records if r.event == "login_locked_out"]
    assert len(failed) == 10
    assert {(r.username, r.client_ip) for r in failed} == {("chief", "198.51.100.9")}
    assert [(r.username, r.client_ip) for r in locked] == [("chief", "198.51.100.9")]
    assert all(PASSWORD not in r.getMessage() and "guess" not in r.getMessage() for r in records)


def test_a_login_is_logged_with_user_and_address(chief, caplog):
    caplog.set_level(logging.INFO, logger="nato_tracker.security")
    log_in("chief", PASSWORD, address="198.51.100.10")
    [record] = [r for r in caplog.records if getattr(r, "event", None) == "login"]
    assert (record.username, record.client_ip) == ("chief", "198.51.100.10")


@pytest.mark.parametrize("password", ["Short-pw-42", "elevenchars"])
def test_a_password_under_twelve_characters_is_refused(password):
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password(password)


def test_a_twelve_character_password_passes():
    validate_password("vN3-quill-rx")


def test_a_session_ends_after_thirty_idle_minutes_and_each_request_renews_it(chief):
    client, response = log_in("chief", PASSWORD)
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    renewed = client.get("/admin/")
    assert renewed.status_code == 200
    assert renewed.cookies["sessionid"]["max-age"] == 30 * 60
