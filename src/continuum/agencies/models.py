"""Agencies, their teams and practitioners; an agency's involvement with a child; who is allocated to whom."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from continuum import vocabulary as v
from continuum.periods import Period


class User(AbstractUser):
    """A person who signs in. What they may see comes from their Practitioner profile, never from is_staff."""

    @property
    def profile(self) -> Practitioner | None:
        try:
            return self.practitioner
        except Practitioner.DoesNotExist:
            return None


class Agency(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=v.AGENCY_KIND)
    locality = models.CharField(max_length=100, blank=True)
    school_phase = models.CharField(max_length=10, choices=v.SCHOOL_PHASE, blank=True)
    urn = models.CharField("URN", max_length=6, blank=True, help_text="School unique reference number")
    contact_phone = models.CharField(max_length=30, blank=True, help_text="Where other agencies call about a child")
    contact_email = models.EmailField(blank=True, help_text="Where other agencies write about a child")
    place = models.ForeignKey("people.Place", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    locality = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_name_unique_in_agency")]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.name})"


class Practitioner(models.Model):
    """Someone who works with children for an agency; a user account when they sign in."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="practitioner")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=30, choices=v.ROLE)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="practitioners")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    caseload_capacity = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The most children this practitioner should hold at once"
    )

    class Meta:
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def name(self) -> str:
        return str(self)

    def clean(self) -> None:
        if self.team is not None and self.agency_id and self.team.agency_id != self.agency_id:
            raise ValidationError({"team": "The team must belong to the practitioner's agency"})


class Involvement(Period):
    """An agency's service with a child (CIN, CP plan, looked after, early help, CAMHS); open until it ends."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="involvements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="involvements")
    kind = models.CharField(max_length=30, choices=v.INVOLVEMENT_KIND)
    start_date = models.DateField()
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    lead_practitioner = models.ForeignKey(Practitioner, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["agency", "end_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.agency.name})"

    @property
    def is_open(self) -> bool:
        return self.is_current()


class Allocation(Period):
    """A practitioner allocated to a child: the lead practitioner or a member of the team around the family."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="allocations")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="allocations")
    kind = models.CharField(max_length=20, choices=v.ALLOCATION_KIND)
    start_date = models.DateField()

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["practitioner", "end_date"])]

    def __str__(self) -> str:
        return f"{self.practitioner} ({self.get_kind_display()})"


class AccessChange(models.Model):
    """A change to an account that would give someone access to children's records, waiting for a second
    administrator: a practitioner's role, agency or team, linking an account to a practitioner, reactivating
    an account, changing the email address its password links go to, or changing the kind of an agency
    whose staff sign in (information-sharing rules follow the kind of agency).

    Nobody approves their own request or a change to their own account; the change is applied only if
    the account still looks as it did when the change was asked for.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved and applied"
        REFUSED = "refused", "Refused"
        SUPERSEDED = "superseded", "Not applied: the account changed meanwhile"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practitioner = models.ForeignKey(
        Practitioner, null=True, blank=True, on_delete=models.PROTECT, related_name="access_changes"
    )
    account = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="access_changes")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="access_changes")
    changes = models.JSONField(help_text='{"field": {"from": old, "to": new}} for each field to change')
    summary = models.CharField(max_length=300)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return self.summary

    @property
    def subject(self) -> User | None:
        """The account whose access would change."""
        return self.account or (self.practitioner.user if self.practitioner else None)
