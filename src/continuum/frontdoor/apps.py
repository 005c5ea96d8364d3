from django.apps import AppConfig

from continuum.govuk.navigation import NavItem


class FrontdoorConfig(AppConfig):
    name = "continuum.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door"
    url_prefix = "referrals/"
    audit_events = {
        "referral_create": "Made a referral",
        "referral_view": "Read a referral",
        "referral_list": "Read a list of referrals",
        "candidate_search": "Searched for existing records while making a referral",
        "referral_decide": "Decided the level of need and route for a referral",
        "referral_close": "Closed a referral",
        "transfer_accept": "Accepted a referral sent to the team",
        "transfer_decline": "Declined a referral sent to the team",
        "referral_allocate": "Allocated a referred child to a practitioner",
        "waiting_list_add": "Put a referred child on a waiting list",
        "waiting_list_remove": "Took a child off a waiting list",
        "queue_view": "Read the front door's queue",
        "dashboard_view": "Read the front door's dashboard",
        "dashboard_export": "Downloaded the front door's dashboard figures",
        "caseloads_view": "Read the team's caseloads and waiting lists",
    }

    def navigation(self) -> list[NavItem]:
        from continuum.agencies import access

        return [
            NavItem("Refer a child", "frontdoor:start", access.can_refer, order=5),
            NavItem("Front door", "frontdoor:queue", access.can_screen, order=6),
            NavItem("Referrals", "frontdoor:mine", access.can_refer, order=7),
            NavItem("Caseloads", "frontdoor:caseloads", access.can_manage_team, order=35),
            NavItem("Dashboard", "frontdoor:dashboard", access.can_see_front_door_figures, order=36),
        ]

    def ready(self) -> None:
        from continuum.frontdoor import access, sections  # noqa: F401  (relationship sources; record section)
