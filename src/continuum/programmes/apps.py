from django.apps import AppConfig

from continuum.govuk.navigation import NavItem


class ProgrammesConfig(AppConfig):
    name = "continuum.programmes"
    label = "programmes"
    verbose_name = "Programmes"
    url_prefix = "programmes/"
    audit_events = {
        "programme_save": "Changed a programme in the catalogue",
        "rules_version": "Added a version of a programme's eligibility rules",
        "eligibility_view": "Checked a child's eligibility for programmes",
    }

    def navigation(self) -> list[NavItem]:
        return [NavItem("Programmes", "programmes:library", lambda user: user.is_authenticated, order=60)]
