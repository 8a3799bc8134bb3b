"""Security events as log lines: logins, failed logins and lockouts, with user and address.

The login lockout itself is django-axes (settings: AXES_*); these receivers only log, on the
logger ``nato_tracker.security``, so a log collector can alert on them.
"""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from nato_tracker.clientip import client_ip

logger = logging.getLogger("nato_tracker.security")


def address_of(request):
    return client_ip(request) if request is not None else None


@receiver(user_login_failed)
def log_failed_login(sender, credentials, request=None, **kwargs):
    username = credentials.get("username")
    address = address_of(request)
    logger.warning(
        "login failed for %r from %s",
        username,
        address,
        extra={"event": "login_failed", "username": username, "client_ip": address},
    )


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    address = address_of(request)
    logger.info(
        "login of %r from %s",
        user.get_username(),
        address,
        extra={"event": "login", "username": user.get_username(), "client_ip": address},
    )


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    logger.warning(
        "login locked out for %r from %s",
        username,
        ip_address,
        extra={"event": "login_locked_out", "username": username, "client_ip": ip_address},
    )
