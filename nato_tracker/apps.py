from django.apps import AppConfig


class NatoTrackerConfig(AppConfig):
    """The project itself as an app: connects the security event log (no models)."""

    name = "nato_tracker"
    verbose_name = "NATO Spending Tracker"

    def ready(self):
        from nato_tracker import security  # noqa: F401  (connects the receivers)
