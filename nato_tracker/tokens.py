"""API tokens (django-rest-knox): making one for a user, and revoking them all on a new password.

Knox stores only a digest of each token and gives each an expiry (settings: REST_KNOX); what it
leaves to the project is that a stolen token dies with the password it was made under.
"""

import logging
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.dispatch import receiver
from knox.models import AuthToken

logger = logging.getLogger("nato_tracker.security")


def create_token(user, hours=None):
    """Makes a token for `user`; returns (the AuthToken row, the token text shown only now)."""
    if hours is None:
        return AuthToken.objects.create(user)
    return AuthToken.objects.create(user, expiry=timedelta(hours=hours))


@receiver(pre_save, sender=get_user_model())
def revoke_tokens_on_password_change(sender, instance, raw=False, update_fields=None, **kwargs):
    # Any change of the stored hash counts, however it was made (admin, changepassword, a
    # password reset, code); a restore (raw) or a save that leaves the password out does not.
    # Django rehashing a password at login after an upgrade of its hasher revokes too: rare,
    # and a new token is one command away.
    if raw or instance.pk is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is None or stored == instance.password:
        return
    revoked, _ = AuthToken.objects.filter(user_id=instance.pk).delete()
    if revoked:
        logger.info(
            "password of %r changed: %d API tokens revoked",
            instance.get_username(),
            revoked,
            extra={"event": "tokens_revoked", "username": instance.get_username()},
        )
