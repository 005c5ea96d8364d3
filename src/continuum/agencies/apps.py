from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "continuum.agencies"
    label = "agencies"
    audit_events = {
        "account_set": "Set up an account or reset its password",
        "involvement_open": "Recorded that an agency started a service with a child",
        "involvement_close": "Recorded that an agency's service with a child ended",
        "allocation_add": "Allocated a practitioner to a child",
        "allocation_end": "Ended a practitioner's allocation to a child",
    }

    def ready(self) -> None:
        # The access policy's own relationship sources, its system check, and agencies' record sections.
        from continuum.agencies import access, checks, sections  # noqa: F401
