from django.apps import AppConfig


class NatoTrackerConfig(AppConfig):
    """The project itself as an app: connects the security event log and token revocation."""

    name = "nato_tracker"
    verbose_name = "NATO Spending Tracker"

    def ready(self):
        from nato_tracker import security, tokens  # noqa: F401  (connect the receivers)
