"""Children, family members and associates; their households, relationships and the places in their lives."""

from __future__ import annotations

import datetime
import unicodedata
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from continuum import vocabulary as v
from continuum.identifiers import (
    nhs_number_normalise,
    nhs_number_problem,
    postcode_normalise,
    upn_problem,
)
from continuum.periods import Period

ADULT_AGE = 18


def name_key(value: str) -> str:
    """Lower case, accents and punctuation removed: how names are compared and searched."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    letters = "".join(c for c in decomposed if c.isalnum() or c.isspace())
    return " ".join(letters.lower().split())


def search_key(*names: str) -> str:
    """Each name compacted (no spaces, hyphens or accents), space-separated and space-padded: ' alhashimi amy '."""
    compact = [name_key(n).replace(" ", "") for n in names]
    return " " + " ".join(c for c in compact if c) + " "


def age_on(date_of_birth: datetime.date, on: datetime.date) -> int:
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


class Household(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    structure = models.CharField(max_length=20, choices=v.HOUSEHOLD_STRUCTURE, blank=True)
    address_line = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    locality = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)

    def __str__(self) -> str:
        return f"Household at {self.postcode or 'unknown address'}"


class Person(models.Model):
    """Anyone in a child's world: the child, family members, carers and associates."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    given_name = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=100)
    known_as = models.CharField(max_length=100, blank=True, help_text="The name the person prefers to be called")
    date_of_birth = models.DateField(null=True, blank=True)
    dob_approximate = models.BooleanField(
        default=False, help_text="The date of birth is an estimate (for example an age assessment)"
    )
    sex = models.CharField(max_length=1, choices=v.SEX, default="U")
    ethnicity = models.CharField(max_length=4, choices=v.ETHNICITY, default="NOBT")
    first_language = models.CharField(max_length=8, choices=v.LANGUAGE, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True)
    upn = models.CharField("Unique pupil number", max_length=13, blank=True, db_index=True)
    send_status = models.CharField("SEND status", max_length=1, choices=v.SEND_STATUS, blank=True)
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    # Normalised copies of the names, kept in step by save(), so search behaves alike on SQLite and PostgreSQL.
    given_name_key = models.CharField(max_length=100, editable=False, db_index=True)
    family_name_key = models.CharField(max_length=100, editable=False, db_index=True)
    known_as_key = models.CharField(max_length=100, editable=False, blank=True, db_index=True)
    # Every name run together word by word (" amy ashdown "), for finding part names and names written
    # with or without a hyphen or space ("Al-Hashimi", "Al Hashimi", "ordon").
    search_key = models.CharField(max_length=520, editable=False, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["family_name_key", "date_of_birth"]),
            # Tell it once (frontdoor) looks for everyone born on a date, or on the date with day and month swapped.
            models.Index(fields=["date_of_birth"], name="people_person_born_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_keys()
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        shown = f"{self.given_name} {self.family_name}"
        return f"{shown} (known as {self.known_as})" if self.known_as and self.known_as != self.given_name else shown

    def age(self, on: datetime.date | None = None) -> int | None:
        if self.date_of_birth is None:
            return None
        return age_on(self.date_of_birth, on or timezone.localdate())

    @property
    def is_child(self) -> bool:
        age = self.age()
        return age is not None and age < ADULT_AGE

    def refresh_keys(self) -> None:
        self.nhs_number = nhs_number_normalise(self.nhs_number)
        self.upn = (self.upn or "").strip().upper()
        self.given_name_key = name_key(self.given_name)
        self.family_name_key = name_key(self.family_name)
        self.known_as_key = name_key(self.known_as)
        self.search_key = search_key(self.given_name, self.middle_names, self.family_name, self.known_as)

    def clean(self) -> None:
        self.refresh_keys()
        errors: dict[str, str] = {}
        if not self.given_name_key:
            errors["given_name"] = "Enter a given name"
        if not self.family_name_key:
            errors["family_name"] = "Enter a family name"
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            errors["date_of_birth"] = "Date of birth must be today or in the past"
        if self.date_of_birth and self.date_of_birth < datetime.date(1900, 1, 1):
            errors["date_of_birth"] = "Date of birth must be after 1 January 1900"
        if self.nhs_number and (problem := nhs_number_problem(self.nhs_number)):
            errors["nhs_number"] = f"NHS number is not valid: {problem}"
        if self.upn and (problem := upn_problem(self.upn)):
            errors["upn"] = f"Unique pupil number is not valid: {problem}"
        if errors:
            raise ValidationError(errors)


class Address(Period):
    """Where a person has lived; the open-ended row is the current address."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    address_line = models.CharField(max_length=200)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, db_index=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return f"{self.address_line}, {self.postcode}"

    def clean(self) -> None:
        self.postcode = postcode_normalise(self.postcode)
        super().clean()


class HouseholdMember(Period):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_memberships")
    household_role = models.CharField(max_length=20, choices=v.HOUSEHOLD_ROLE)

    def __str__(self) -> str:
        return f"{self.person} ({self.get_household_role_display()})"


class Relationship(Period):
    """A typed link between two people: 'from_person is <kind> of to_person' (symmetric kinds read both ways)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    from_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_from")
    to_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to")
    kind = models.CharField(max_length=20, choices=v.RELATIONSHIP_KIND)
    source = models.CharField(max_length=100, help_text="Where this was learnt: a record, an agency, a case note")
    confidence = models.CharField(max_length=10, choices=v.CONFIDENCE, default="reported")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_person=models.F("to_person")), name="relationship_not_to_self"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_person} is {self.get_kind_display().lower()} of {self.to_person}"

    def clean(self) -> None:
        if self.from_person_id and self.from_person_id == self.to_person_id:
            raise ValidationError("A person cannot have a relationship with themselves")
        super().clean()


class Place(models.Model):
    """A location that matters to safeguarding: a school, a park, a shop, a transport hub."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=v.PLACE_KIND)
    name = models.CharField(max_length=200)
    locality = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    x = models.FloatField(null=True, blank=True, help_text="Easting in metres")
    y = models.FloatField(null=True, blank=True, help_text="Northing in metres")

    def __str__(self) -> str:
        return self.name
