from typing import Any

from django.apps import AppConfig

from continuum.govuk.navigation import HomePanel, NavItem


def _concerns_list(user: Any) -> bool:
    from continuum.agencies import access

    return access.can_screen(user)


def _alerts(user: Any) -> bool:
    from continuum.agencies import access

    return access.can_lead_casework(user)


class SignalsConfig(AppConfig):
    name = "continuum.signals"
    label = "signals"
    verbose_name = "Agency feeds"
    url_prefix = "multi-agency/"
    audit_events = {
        "feed_load": "Loaded an agency feed",
        "feed_refused": "Refused an agency feed that had errors",
        # Indicators
        "indicators_run": "Computed every child's indicators from the agency feeds",
        # The single view
        "single_view": "Read a child's single multi-agency view",
        # Cause for concern and triangulation
        "concern_raise": "Raised a cause for concern about a child",
        "concern_view": "Read a cause for concern",
        "concern_list": "Read the list of open causes for concern",
        "concern_triangulation": "Called for a triangulation discussion about a child",
        "concern_review": "Reviewed a cause for concern",
        "concern_close": "Closed a cause for concern with its outcome",
        # Attendance protocol
        "alerts_raise": "Raised attendance alerts from the attendance protocol",
        "alert_view": "Read an attendance alert",
        "alert_follow_up": "Recorded the follow-up of an attendance alert",
        # Falling through the gap
        "gap_run": "Ran the gap finder over every child",
        "gap_list": "Read the list of children falling through the gap",
        "gap_cohort": "Read the cohort of children the gap finder flags",
    }

    def navigation(self) -> list[NavItem]:
        from continuum.agencies import access

        return [
            NavItem("Concerns", "signals:concerns", _concerns_list, order=16),
            NavItem("Falling through the gap", "signals:gap", access.can_find_gaps, order=17),
            NavItem("Gap cohort", "signals:gap_cohort", access.can_see_gap_cohort, order=47),
            NavItem("Attendance alerts", "signals:alerts", _alerts, order=26),
            NavItem("Indicators", "signals:indicators", lambda user: True, order=90),
        ]

    def home_panels(self) -> list[HomePanel]:
        from continuum.signals.views.alerts import home_panel as alerts_panel
        from continuum.signals.views.concerns import home_panel as concerns_panel

        return [
            HomePanel("signals/home_alerts.html", alerts_panel, order=10),
            HomePanel("signals/home_concerns.html", concerns_panel, order=20),
        ]

    def ready(self) -> None:
        from continuum.signals import (  # noqa: F401
            checks,  # start-up checks: every feed event kind has a category; the settings files are well formed
            sections,  # the single view tab
            sections_concerns,  # causes for concern on the record; the concern settings' check
        )
