from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "continuum.agencies"
    label = "agencies"
    audit_events = {
        "account_set": "Set up a demonstration account with a password (command line only)",
        "account_create": "Created an account (its owner sets the password through a link)",
        "account_update": "Changed an account's names, or deactivated it",
        "password_reset": "Reset an account's password: the old one stopped working and its owner was sent a link",
        "password_set": "Set a new password through a single-use link",
        "agency_create": "Recorded an agency",
        "agency_save": "Changed an agency",
        "record_save": "Changed a team in the admin pages",
        "practitioner_create": "Recorded a practitioner",
        "practitioner_update": "Changed a practitioner's details",
        "access_change_request": "Asked for a change that gives access to children's records (a second admin decides)",
        "access_change_approve": "Approved and applied a change that gives access to children's records",
        "access_change_refuse": "Refused a change that would give access to children's records, or found it stale",
        "involvement_open": "Recorded that an agency started a service with a child",
        "involvement_close": "Recorded that an agency's service with a child ended",
        "allocation_add": "Allocated a practitioner to a child",
        "allocation_end": "Ended a practitioner's allocation to a child",
    }

    def ready(self) -> None:
        # The access policy's own relationship sources, its system check, and agencies' record sections.
        from continuum.agencies import access, checks, sections  # noqa: F401
