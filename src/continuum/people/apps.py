from django.apps import AppConfig

from continuum.govuk.navigation import NavItem


class PeopleConfig(AppConfig):
    name = "continuum.people"
    label = "people"
    url_prefix = "children/"
    audit_events = {
        "person_create": "Recorded a new person",
        "person_update": "Changed a person's details",
        "address_add": "Recorded an address",
        "relationship_add": "Recorded a relationship between two people",
        "person_search": "Searched for a person",
        "person_view": "Opened a person's record",
        "person_export": "Downloaded a person's record",
        "break_glass_search": "Searched for a child before emergency access",
        "population_view": "Read counts of the county's children",
    }

    def ready(self) -> None:
        from continuum.people import sections  # noqa: F401  (people's own parts of the record)

    def navigation(self) -> list[NavItem]:
        from continuum.agencies import access

        return [
            NavItem("Find a child", "people:search", access.can_search_people, order=10),
            NavItem("Emergency access", "people:break_glass", access.can_break_glass, order=20),
            NavItem("Population", "people:population", access.can_see_aggregates, order=30),
        ]
