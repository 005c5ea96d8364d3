from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "continuum.signals"
    label = "signals"
    verbose_name = "Agency feeds"
    audit_events = {
        "feed_load": "Loaded an agency feed",
        "feed_refused": "Refused an agency feed that had errors",
    }
