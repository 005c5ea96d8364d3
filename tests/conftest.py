"""Shared fixtures: a small county whose users must see exactly what the access policy allows.

The world (built through the services, as production builds it):

  agencies: Early Help (eh), Children's Social Care (csc), Northgate and Southgate schools, Police,
            Health, CAMHS, Council
  amy   - on Northgate's roll; open early help (alice is lead); known to police; open with CAMHS
  ben   - amy's half-brother; on Southgate's roll; open child in need with social care (bob is lead)
  cara  - no agency involved with her at all
  dan   - early help closed last year; nobody has a current relationship
  mum   - amy's and ben's mother (an adult)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client

from continuum.agencies.access import SystemActor
from continuum.agencies.models import Agency, Practitioner, Team, User
from continuum.agencies.services import allocation_add, involvement_close, involvement_open
from continuum.people.models import Person
from continuum.people.services import address_add, person_create, relationship_add

TODAY = datetime.date.today()

# The programme slugs the catalogue's data migration guarantees: the synthetic county and the front door's
# snapshot name programmes by them.
GUARANTEED_PROGRAMME_SLUGS = frozenset(
    {
        "power",
        "shift",
        "staying-together",
        "no-wrong-door",
        "pause",
        "redthread",
        "more-than-mentors",
        "functional-family-therapy",
        "inside-out",
        "step-up-step-down",
        "strengthening-families",
        "creative-life-story",
        "kooth",
        "harmony-groups",
        "lyft",
    }
)


def years_ago(years: int, days: int = 0) -> datetime.date:
    return TODAY.replace(year=TODAY.year - years, day=min(TODAY.day, 28)) - datetime.timedelta(days=days)


@dataclass
class World:
    agencies: dict[str, Agency]
    users: dict[str, User]
    people: dict[str, Person]

    def __getattr__(self, name: str):  # world.alice, world.amy
        for group in (self.users, self.people, self.agencies):
            if name in group:
                return group[name]
        raise AttributeError(name)


ACCOUNTS = {
    # username: (role, agency key)
    "frontdoor": ("front_door", "eh"),
    "alice": ("practitioner", "eh"),
    "manager": ("team_manager", "eh"),
    "bob": ("practitioner", "csc"),
    "cscmanager": ("team_manager", "csc"),
    "dsl_north": ("school_dsl", "northgate"),
    "dsl_south": ("school_dsl", "southgate"),
    "police": ("police_liaison", "police"),
    "nurse": ("health_practitioner", "health"),
    "camhs": ("health_practitioner", "camhs"),
    "chair": ("panel_chair", "eh"),
    "analyst": ("analyst", "council"),
    "admin": ("administrator", "council"),
}


def build_world() -> World:
    agencies = {
        key: Agency.objects.create(name=name, kind=kind)
        for key, name, kind in [
            ("eh", "Test Early Help", "early_help"),
            ("csc", "Test Social Care", "childrens_social_care"),
            ("northgate", "Northgate Academy", "school"),
            ("southgate", "Southgate Primary", "school"),
            ("police", "Test Police", "police"),
            ("health", "Test Health Trust", "health"),
            ("camhs", "Test CAMHS", "camhs"),
            ("council", "Test County Council", "council"),
        ]
    }
    teams = {key: Team.objects.create(agency=a, name=f"{a.name} team") for key, a in agencies.items()}
    users: dict[str, User] = {}
    for username, (role, agency_key) in ACCOUNTS.items():
        user = User.objects.create(username=username, first_name=username.title(), last_name="Tester")
        Practitioner.objects.create(
            user=user,
            given_name=username.title(),
            family_name="Tester",
            email=f"{username}@example.org",
            role=role,
            agency=agencies[agency_key],
            team=teams[agency_key],
        )
        users[username] = user
    users["nobody"] = User.objects.create(username="nobody")  # signs in, but has no practitioner profile

    system = SystemActor("test set-up")
    front = users["frontdoor"]
    people = {
        "amy": person_create(
            actor=front,
            given_name="Amy",
            family_name="Ashdown",
            date_of_birth=years_ago(11),
            sex="F",
            ethnicity="WBRI",
            nhs_number="9434765919",
            upn="H801200001001",
            send_status="K",
        ),
        "ben": person_create(
            actor=front,
            given_name="Benjamin",
            known_as="Ben",
            family_name="Carter",
            date_of_birth=years_ago(8),
            sex="M",
            ethnicity="MWBC",
        ),
        "cara": person_create(
            actor=front,
            given_name="Cara",
            family_name="Dunmore",
            date_of_birth=years_ago(14),
            sex="F",
            ethnicity="BAFR",
        ),
        "dan": person_create(
            actor=front,
            given_name="Dan",
            family_name="Ellery",
            date_of_birth=years_ago(9),
            sex="M",
            ethnicity="WOTH",
        ),
        "mum": person_create(
            actor=front,
            given_name="Megan",
            family_name="Ashdown",
            date_of_birth=years_ago(36),
            sex="F",
            ethnicity="WBRI",
        ),
    }
    a = agencies
    involvement_open(
        actor=system, person=people["amy"], agency=a["northgate"], kind="school_roll", start_date=years_ago(1)
    )
    involvement_open(
        actor=system,
        person=people["amy"],
        agency=a["eh"],
        kind="early_help",
        start_date=years_ago(0, 60),
        team=teams["eh"],
        lead_practitioner=users["alice"].practitioner,
    )
    allocation_add(
        actor=system,
        person=people["amy"],
        practitioner=users["alice"].practitioner,
        kind="lead",
        start_date=years_ago(0, 60),
    )
    involvement_open(
        actor=system,
        person=people["amy"],
        agency=a["police"],
        kind="police_contact",
        start_date=years_ago(0, 30),
    )
    involvement_open(actor=system, person=people["amy"], agency=a["camhs"], kind="camhs", start_date=years_ago(0, 90))
    involvement_open(
        actor=system, person=people["ben"], agency=a["southgate"], kind="school_roll", start_date=years_ago(3)
    )
    involvement_open(
        actor=system,
        person=people["ben"],
        agency=a["csc"],
        kind="cin",
        start_date=years_ago(0, 20),
        lead_practitioner=users["bob"].practitioner,
    )
    allocation_add(
        actor=system,
        person=people["ben"],
        practitioner=users["bob"].practitioner,
        kind="lead",
        start_date=years_ago(0, 20),
    )
    dan_eh = involvement_open(
        actor=system, person=people["dan"], agency=a["eh"], kind="early_help", start_date=years_ago(2)
    )
    involvement_close(actor=system, involvement=dan_eh, end_date=years_ago(1))
    relationship_add(
        actor=front,
        from_person=people["mum"],
        to_person=people["amy"],
        kind="parent",
        source="Referral form",
        confidence="confirmed",
    )
    relationship_add(
        actor=front,
        from_person=people["mum"],
        to_person=people["ben"],
        kind="parent",
        source="Referral form",
        confidence="confirmed",
    )
    relationship_add(
        actor=front,
        from_person=people["amy"],
        to_person=people["ben"],
        kind="half_sibling",
        source="Referral form",
        confidence="reported",
    )
    address_add(
        actor=front,
        person=people["amy"],
        address_line="1 Test Street",
        town="Testbury",
        postcode="sf1 2ab",
        start_date=years_ago(3),
    )
    return World(agencies=agencies, users=users, people=people)


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def client_for(world):
    """A signed-in test client for a world user. csrf=True enforces CSRF tokens, which a browser would send."""

    def make(username: str, *, csrf: bool = False) -> Client:
        client = Client(enforce_csrf_checks=csrf)
        client.force_login(world.users[username])
        return client

    return make
