from django.apps import AppConfig

from continuum.govuk.navigation import NavItem


class AuditConfig(AppConfig):
    name = "continuum.audit"
    label = "audit"
    url_prefix = "audit/"
    audit_events = {
        "break_glass_open": "Opened a child's record with emergency (break-glass) access",
        "break_glass_review": "Reviewed a break-glass access",
        "break_glass_note": "Added a note to a break-glass review",
        "break_glass_review_view": "Read a break-glass access for review",
        "trail_view": "Read the audit trail",
        "trail_export": "Downloaded or exported the audit trail",
    }

    def ready(self) -> None:
        from continuum.audit import access, checks  # noqa: F401  (the break_glass relationship source; checks)

    def navigation(self) -> list[NavItem]:
        from continuum.agencies import access

        return [
            NavItem("Audit", "audit:events", lambda user: access.audit_scope(user) != "none", order=40),
            NavItem("Break-glass reviews", "audit:break_glass", access.can_review_break_glass, order=50),
        ]
