from django.apps import AppConfig

from continuum.govuk.navigation import NavItem


class MeasuresConfig(AppConfig):
    name = "continuum.measures"
    label = "measures"
    verbose_name = "Outcome measures"
    url_prefix = "measures/"
    audit_events = {
        "questionnaire_record": "Recorded a questionnaire's answers",
        "questionnaire_view": "Read a questionnaire's answers and scores",
        "measure_save": "Added or changed a custom index",
        "outcomes_view": "Read a programme's outcome report",
        "outcomes_export": "Downloaded a programme's outcome report",
    }

    def navigation(self) -> list[NavItem]:
        from continuum.agencies import access

        return [NavItem("Outcomes", "measures:outcomes", access.can_see_aggregates, order=37)]
