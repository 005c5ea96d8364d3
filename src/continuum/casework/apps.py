from django.apps import AppConfig

from continuum.govuk.navigation import NavItem


def _sees_feedback(user: object) -> bool:
    from continuum.agencies import access

    return access.can_manage_team(user) or access.can_see_aggregates(user)


class CaseworkConfig(AppConfig):
    name = "continuum.casework"
    label = "casework"
    verbose_name = "Casework"
    url_prefix = "casework/"
    audit_events = {
        "episode_open": "Opened an episode of support",
        "episode_view": "Read an episode of support",
        "episode_close": "Closed an episode of support",
        "episode_step_up": "Stepped an episode up to children's social care",
        "team_member_add": "Added a practitioner to the team around the family",
        "team_member_end": "Ended a practitioner's place in the team around the family",
        "assessment_record": "Recorded an early help assessment",
        "assessment_view": "Read an early help assessment",
        "plan_save": "Agreed or changed the plan",
        "goal_rate": "Rated progress towards a goal",
        "review_record": "Recorded a review of the plan",
        "session_record": "Recorded a session",
        "session_limit_extend": "Agreed sessions beyond the programme's limit",
        "cohort_save": "Set up or changed a group programme's course",
        "cohort_attendance": "Recorded attendance at a group session",
        "cohort_view": "Read a group programme's course",
        "feedback_record": "Recorded the family's feedback at closure",
        "caseload_view": "Read a caseload of episodes",
        "feedback_view": "Read a programme's closure feedback and the quotes given with consent",
    }

    def navigation(self) -> list[NavItem]:
        from continuum.agencies import access

        return [
            NavItem("My caseload", "casework:caseload", access.can_lead_casework, order=8),
            NavItem("What families said", "casework:feedback_index", _sees_feedback, order=60),
        ]

    def ready(self) -> None:
        from continuum.casework import access, sections  # noqa: F401  (relationship source; record section)
