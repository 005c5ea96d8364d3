"""Casework: an episode of support for a child and family, from a front-door decision (or opened directly by a
lead practitioner) to its close — the team around the family, the early help assessment, the plan and its
goals rated over time, reviews, sessions within the programme's limit, group cohorts, and the family's
feedback at the end."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from continuum import vocabulary as v
from continuum.periods import Period

LEVELS = [(int(code), label) for code, label in v.LEVEL_OF_NEED]
CONCERNS = [(int(code), label) for code, label in v.CONCERN]


class Episode(Period):
    """An episode of support: from its start to its end date (the first day it no longer runs)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=20, unique=True, help_text="The number staff quote: EH-2026-000123")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="episodes")
    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="episodes"
    )
    lead_practitioner = models.ForeignKey(
        "agencies.Practitioner", on_delete=models.PROTECT, related_name="episodes_led"
    )
    team = models.ForeignKey("agencies.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Where it came from: the front door's referral and decision, and the allocation that made the lead.
    referral = models.ForeignKey(
        "frontdoor.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="episodes"
    )
    decision = models.ForeignKey(
        "frontdoor.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="episodes"
    )
    allocation = models.ForeignKey(
        "agencies.Allocation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The lead agency's early help involvement the episode opened (None when the agency already had one open): it
    # gives the lead's colleagues the working relationship agency_involvement, and closes with the episode.
    involvement = models.ForeignKey(
        "agencies.Involvement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_date = models.DateField(default=timezone.localdate)
    level_at_start = models.PositiveSmallIntegerField(choices=LEVELS)
    level_at_close = models.PositiveSmallIntegerField(choices=LEVELS, null=True, blank=True)
    closure_reason = models.CharField(max_length=20, choices=v.CLOSURE_REASON, blank=True)
    closure_note = models.TextField(blank=True)
    step_down_to = models.CharField(max_length=20, choices=v.STEP_DOWN_TO, blank=True)
    step_down_note = models.CharField(max_length=300, blank=True, help_text="Which service, and who there knows")
    step_up_referral = models.ForeignKey(
        "frontdoor.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="stepped_up_from"
    )
    next_session_on = models.DateField(
        null=True, blank=True, help_text="When the next session is booked, as given with the last session recorded"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_date"]
        indexes = [
            models.Index(fields=["lead_practitioner", "end_date"]),
            models.Index(fields=["programme", "start_date"]),
            models.Index(fields=["person", "start_date"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.end_date is not None

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.end_date is not None:
            if not self.closure_reason:
                errors["closure_reason"] = "Give the reason the episode closed"
            if self.level_at_close is None:
                errors["level_at_close"] = "Give the level of need at close"
            if self.closure_reason == "stepped_down" and not self.step_down_to:
                errors["step_down_to"] = "Say where the child went when the episode was stepped down"
            if self.closure_reason == "other" and not self.closure_note.strip():
                errors["closure_note"] = "Say why the episode closed"
        if errors:
            raise ValidationError(errors)


class EpisodeFamilyMember(models.Model):
    """Someone in the family the episode works with (the assessment is whole-family)."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="family")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    relationship = models.CharField(max_length=20, choices=v.RELATIONSHIP_KIND)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["episode", "person"], name="episode_family_member_once")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relationship_display()})"


class TeamMember(Period):
    """A practitioner in the team around the family, usually from another agency. While a member is current
    they have a working relationship with the child (the relationship source `team_around_family`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="team_around_family")
    practitioner = models.ForeignKey("agencies.Practitioner", on_delete=models.PROTECT, related_name="taf_places")
    role = models.CharField(max_length=200, help_text="What they do for the family, e.g. school attendance support")
    start_date = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["start_date"]
        indexes = [models.Index(fields=["practitioner", "end_date"])]

    def __str__(self) -> str:
        return f"{self.practitioner} for {self.episode}"


class Assessment(models.Model):
    """An early help assessment of the whole family, by the three domains of the assessment triangle, with the
    child's and the parents' own words. A re-assessment names the one before, so the change shows domain by
    domain."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="assessments")
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reassessments")
    completed_on = models.DateField(default=timezone.localdate)
    assessor = models.ForeignKey("agencies.Practitioner", on_delete=models.PROTECT, related_name="+")
    child_words = models.TextField(help_text="What the child said, in their own words")
    parent_words = models.TextField(help_text="What the parents or carers said, in their own words")
    summary = models.TextField(help_text="The analysis: what life is like for the child, what needs to change")
    proposed_level = models.PositiveSmallIntegerField(choices=LEVELS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["completed_on", "created_at"]

    def __str__(self) -> str:
        return f"Assessment for {self.episode} on {self.completed_on}"


class AssessmentDomain(models.Model):
    """One domain of an assessment: the concern it raises, strengths as well as needs, and the areas it covers."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=30, choices=v.ASSESSMENT_DOMAIN)
    concern = models.PositiveSmallIntegerField(choices=CONCERNS)
    strengths = models.TextField()
    needs = models.TextField(blank=True)
    areas = models.JSONField(default=list, blank=True, help_text="Codes from ASSESSMENT_AREA[domain] that need work")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "domain"], name="assessment_domain_once")]

    def __str__(self) -> str:
        return self.get_domain_display()


class Plan(models.Model):
    """The plan agreed with the child and family, reviewed at a set interval."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="plan")
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agreed_on = models.DateField(default=timezone.localdate)
    review_every_weeks = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(1), MaxValueValidator(26)]
    )
    next_review_due = models.DateField(db_index=True)
    child_views = models.TextField(blank=True, help_text="The child's views on the plan, in their words")
    family_views = models.TextField(blank=True, help_text="The family's views on the plan, in their words")

    def __str__(self) -> str:
        return f"Plan for {self.episode}"


class Goal(models.Model):
    """A SMART goal agreed with the child or family; rated 0–10 over time (goal-based outcomes)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    description = models.TextField(help_text="What will change, in the family's words")
    success_looks_like = models.TextField(help_text="How everyone will know it has happened")
    who = models.CharField(max_length=300, help_text="Who will do what")
    target_date = models.DateField()
    agreed_with = models.CharField(max_length=10, choices=v.VOICE)
    achieved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description[:60]


class GoalRating(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ratings")
    rated_on = models.DateField(default=timezone.localdate)
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(0), MaxValueValidator(10)])
    rated_by = models.CharField(max_length=12, choices=v.RATED_BY)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["rated_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__lte=10), name="goal_rating_at_most_ten"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/10 on {self.rated_on}"


class Review(models.Model):
    """A review of the plan, with the child's and family's views."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField(default=timezone.localdate)
    child_views = models.TextField()
    family_views = models.TextField()
    summary = models.TextField(help_text="What has changed and what happens next")
    next_review_due = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey("agencies.Practitioner", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["held_on"]

    def __str__(self) -> str:
        return f"Review of {self.episode} on {self.held_on}"


class SessionLimitExtension(models.Model):
    """A manager's agreement to go beyond the programme's session limit, with the reason."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="session_extensions")
    extra_sessions = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(52)])
    reason = models.TextField()
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.extra_sessions} more sessions for {self.episode}"


class Session(models.Model):
    """A session of support: what kind, whether it happened, and the case note."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField()
    kind = models.CharField(max_length=12, choices=v.SESSION_TYPE)
    attendance = models.CharField(max_length=22, choices=v.SESSION_ATTENDANCE)
    duration_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    practitioner = models.ForeignKey("agencies.Practitioner", on_delete=models.PROTECT, related_name="+")
    case_note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["held_on", "recorded_at"]
        indexes = [models.Index(fields=["episode", "held_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} session on {self.held_on}"


class Cohort(Period):
    """A course of a group programme: a venue, facilitators from several agencies, and its sessions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=200)
    venue = models.CharField(max_length=200)
    start_date = models.DateField()
    planned_sessions = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(52)])

    class Meta:
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return self.name


class CohortFacilitator(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="facilitators")
    practitioner = models.ForeignKey("agencies.Practitioner", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "practitioner"], name="cohort_facilitator_once")]

    def __str__(self) -> str:
        return str(self.practitioner)


class CohortMember(models.Model):
    """A child (through their episode) on a course; left_on is set when they stop coming before the end."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="cohort_places")
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "episode"], name="cohort_member_once")]

    def __str__(self) -> str:
        return f"{self.episode} on {self.cohort}"


class CohortSession(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField()
    held_on = models.DateField()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["cohort", "number"], name="cohort_session_number_once")]

    def __str__(self) -> str:
        return f"{self.cohort}, session {self.number}"


class CohortAttendance(models.Model):
    session = models.ForeignKey(CohortSession, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CohortMember, on_delete=models.CASCADE, related_name="attendance")
    attended = models.BooleanField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="cohort_attendance_once")]

    def __str__(self) -> str:
        return f"{self.member}: {'attended' if self.attended else 'absent'}"


class ClosureFeedback(models.Model):
    """The child's or family's feedback at closure; quoted only with their consent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="feedback")
    given_by = models.CharField(max_length=10, choices=v.VOICE)
    given_on = models.DateField(default=timezone.localdate)
    helpfulness = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)], help_text="1 not at all helpful – 5 very helpful"
    )
    what_helped = models.TextField(blank=True)
    what_could_be_better = models.TextField(blank=True)
    consent_to_quote = models.BooleanField(default=False)
    quote = models.TextField(blank=True, help_text="What may be quoted, in their own words")

    class Meta:
        ordering = ["given_on"]

    def __str__(self) -> str:
        return f"Feedback on {self.episode} from the {self.get_given_by_display().lower()}"
