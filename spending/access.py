"""Who may do which step of an import: one permission per step, checked by the admin and the API.

A staff flag alone grants nothing; the "Figures importer" group (migration 0006) holds them all.
"""

from rest_framework.permissions import BasePermission

IMPORTER_GROUP = "Figures importer"
VIEW = "spending.view_importbatch"
PREVIEW = "spending.preview_import"
APPLY = "spending.apply_import"
ROLL_BACK = "spending.rollback_import"
# What the importer group holds (migration 0006, and spending.apps after a flush).
IMPORTER_PERMISSIONS = (VIEW, PREVIEW, APPLY, ROLL_BACK)


def may(user, *permissions):
    """True when the active user holds every one of the import permissions named."""
    return bool(user and user.is_active and user.has_perms(permissions))


class ImportPermission(BasePermission):
    """DRF check: the view's `required_permissions[method]` (all of them) or 403."""

    message = "You need the import permission for this action (group “Figures importer”)."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        needed = view.required_permissions(request)
        return may(request.user, *needed)
