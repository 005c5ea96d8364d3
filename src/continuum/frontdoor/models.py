"""The front door: referrals from any agency, tell-it-once drafts, decisions on the level of need and the
route, transfers to the services that take them, and allocation to a worker (or a waiting list)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from continuum import vocabulary as v
from continuum.periods import Period


class Referral(models.Model):
    """A child referred to the front door by a practitioner of any agency."""

    class Status(models.TextChoices):
        NEW = "new", "Waiting for a decision"
        DECIDED = "decided", "Decided"
        TRANSFERRED = "transferred", "Sent to a team to accept"
        ALLOCATED = "allocated", "Allocated to a practitioner"
        WAITING = "waiting", "On a waiting list"
        CLOSED = "closed", "Closed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=20, unique=True, help_text="The number a referrer quotes: FD-2026-000123")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    # Who referred: the account that made the referral here, and the practitioner it belongs to. A referral
    # loaded from a county snapshot (a council's earlier system, the synthetic county) names the
    # practitioner, who may never have had an account; each referral names at least one of the two.
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals_made"
    )
    referrer_practitioner = models.ForeignKey(
        "agencies.Practitioner", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals_made"
    )
    referrer_name = models.CharField(max_length=200)
    referrer_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="referrals_made")
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    story = models.TextField(help_text="What is happening, in the referrer's words")
    child_wants = models.TextField(blank=True, help_text="What the child wants, in their own words")
    family_wants = models.TextField(blank=True, help_text="What the family wants, in their own words")
    consent = models.CharField(max_length=12, choices=v.CONSENT)
    consent_reason = models.TextField(blank=True, help_text="Why consent was not sought")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW, db_index=True)
    possible_duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="An earlier referral for the same child within 30 days",
    )
    possible_matches = models.JSONField(
        default=list,
        blank=True,
        help_text="Existing records tell-it-once found for a person this referral recorded as new: "
        '[{"person_id": the new person, "candidates": [ids of the records found]}], for the front door to check',
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.TextField(blank=True, help_text="Why the referral was closed")
    allocation = models.ForeignKey(
        "agencies.Allocation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["received_at"]
        indexes = [models.Index(fields=["referrer_agency", "status"]), models.Index(fields=["person", "received_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(referrer__isnull=False) | models.Q(referrer_practitioner__isnull=False),
                name="referral_names_its_referrer",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    def clean(self) -> None:
        if self.consent == "not_sought" and not self.consent_reason.strip():
            raise ValidationError({"consent_reason": "Say why seeking consent would put the child at risk"})


class ReferralReason(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="reasons")
    reason = models.CharField(max_length=30, choices=v.REFERRAL_REASON)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["referral", "reason"], name="referral_reason_once")]

    def __str__(self) -> str:
        return self.get_reason_display()


class ReferralFamilyMember(models.Model):
    """Someone in the child's family the referrer named, found or newly recorded."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="family")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    relationship = models.CharField(max_length=20, choices=v.RELATIONSHIP_KIND)

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relationship_display()})"


class ReferralDraft(models.Model):
    """A referral being written: kept between sessions so signing out loses nothing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_drafts")
    answers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"Draft referral by {self.author} ({self.updated_at:%Y-%m-%d})"


class Decision(models.Model):
    """The front door's decision on a referral: the level of need, why, and where it goes."""

    class Change(models.TextChoices):
        FIRST = "first", "First decision for the child"
        SAME = "same", "Same level as before"
        STEP_UP = "step_up", "Stepped up"
        STEP_DOWN = "step_down", "Stepped down"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="decisions")
    # Who decided: the account, and the practitioner (a decision loaded from a snapshot names only the
    # practitioner); each decision names at least one of the two.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by_practitioner = models.ForeignKey(
        "agencies.Practitioner", null=True, blank=True, on_delete=models.PROTECT, related_name="decisions_made"
    )
    decided_at = models.DateTimeField(default=timezone.now, db_index=True)
    level = models.PositiveSmallIntegerField(choices=[(int(c), label) for c, label in v.LEVEL_OF_NEED])
    previous_level = models.PositiveSmallIntegerField(null=True, blank=True)
    change = models.CharField(max_length=10, choices=Change.choices)
    rationale = models.TextField()
    route = models.CharField(max_length=20, choices=v.ROUTE)
    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    team = models.ForeignKey(
        "agencies.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The team asked to take the child, for a programme or a step up",
    )
    eligibility = models.JSONField(
        default=dict, blank=True, help_text="Each programme's eligibility as shown, with the rule-set version used"
    )
    outcome_for_referrer = models.TextField(blank=True, help_text="What the referrer is told")

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=False) | models.Q(decided_by_practitioner__isnull=False),
                name="decision_names_who_decided",
            )
        ]

    def __str__(self) -> str:
        return f"{self.referral}: level {self.level}, {self.get_route_display()}"


class Transfer(models.Model):
    """A referral sent to another team, which accepts it or declines it with a reason the front door sees."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the team"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="transfers")
    team = models.ForeignKey("agencies.Team", on_delete=models.PROTECT, related_name="transfers_received")
    sent_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.decision.referral} to {self.team}"


class WaitingListEntry(Period):
    """A child waiting for a place on a programme with a team because nobody there has room: from when
    they joined (start_date) to when they were allocated or taken off (end_date)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="waiting")
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="waiting")
    team = models.ForeignKey("agencies.Team", on_delete=models.PROTECT, related_name="waiting")
    start_date = models.DateField(default=timezone.localdate)
    outcome = models.CharField(max_length=200, blank=True, help_text="Why the wait ended")

    class Meta:
        ordering = ["start_date"]
        verbose_name_plural = "waiting list entries"

    def __str__(self) -> str:
        return f"{self.referral} waiting for {self.programme}"


class SchoolOffer(models.Model):
    """Something a school took up besides referring: training, a trauma-awareness workshop, tools."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="offers_taken")
    offer = models.CharField(max_length=20, choices=v.SCHOOL_OFFER)
    on = models.DateField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-on"]

    def __str__(self) -> str:
        return f"{self.get_offer_display()} at {self.agency} on {self.on}"
