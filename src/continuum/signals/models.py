"""What the agency feeds leave in the operational store.

- `FeedLoad`: every load, with its files' checksums and counts (the audit trail names it too).
- `SourcePerson`: a person as one source knows them (a pupil by UPN, a police nominal, an SSDA903 CHILD), with
  the identity details the source sent. Linkage resolves these to people; nothing here is a `people.Person`.
- `SignalEvent`: a row that is an event in a child's timeline (an incident, a missing episode, an A&E attendance,
  a period of care ...), keyed by its source key so that a corrected re-send replaces it.
- `AttendanceTerm`: a pupil's attendance at one school in one term, with the term's weeks inside it. The marks
  themselves are Parquet under the feeds store (docs/architecture.md, "Where each kind of row lives").
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class FeedLoad(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    feed = models.CharField(max_length=20)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    loaded_by_name = models.CharField(max_length=200, help_text="The user, or the command and operating-system user")
    files = models.JSONField(default=list, help_text="Each file: name, table, sha256, rows")
    inserted = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    quarantined = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.feed} load at {self.started_at:%Y-%m-%d %H:%M}"


class SourcePerson(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    feed = models.CharField(max_length=20)
    ref = models.CharField(max_length=100, help_text="The source's own id for the person")
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    ethnicity = models.CharField(max_length=4, blank=True)
    upn = models.CharField(max_length=13, blank=True)
    upn_usable = models.BooleanField(default=False, help_text="Present and its check letter matches")
    nhs_number = models.CharField(max_length=10, blank=True)
    nhs_number_usable = models.BooleanField(default=False, help_text="Present and its check digit matches")
    school_urn = models.CharField(max_length=6, blank=True)
    detail = models.JSONField(
        default=dict,
        help_text="The rows of the source's tables about the person alone (SSDA903 header, uasc, oc2, oc3; CIN child), "
        "by table: their values, codes with their meanings",
    )
    row_hash = models.CharField(max_length=40, help_text="Of the identity details and detail, to skip unchanged rows")
    first_load = models.ForeignKey(FeedLoad, on_delete=models.PROTECT, related_name="+")
    last_load = models.ForeignKey(FeedLoad, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "ref"], name="signals_source_person_unique")]

    def __str__(self) -> str:
        return f"{self.feed} person {self.ref}"


class SignalEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    feed = models.CharField(max_length=20)
    table = models.CharField(max_length=30)
    key = models.CharField(max_length=300, help_text="The row's source key, its values joined by |")
    source_person = models.ForeignKey(SourcePerson, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=40)
    occurred_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    detail = models.JSONField(default=dict, help_text="The row's values, codes with their meanings")
    row_hash = models.CharField(max_length=40)
    load = models.ForeignKey(FeedLoad, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "table", "key"], name="signals_event_unique")]
        indexes = [models.Index(fields=["source_person", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.kind} on {self.occurred_on}"


class AttendanceTerm(models.Model):
    """A pupil's sessions at one school in one term (DfE census terms: autumn 1 August to 31 December, spring to
    Easter Sunday, summer to 31 July), counted as the DfE counts them, with the same counts for each week."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source_person = models.ForeignKey(SourcePerson, on_delete=models.PROTECT, related_name="attendance_terms")
    school_urn = models.CharField(max_length=6)
    term_start = models.DateField()
    term = models.CharField(max_length=6, help_text="autumn, spring or summer")
    possible = models.PositiveIntegerField(help_text="Possible sessions: every mark but those not counted")
    present = models.PositiveIntegerField(help_text="Present, or at approved educational activity")
    authorised = models.PositiveIntegerField()
    unauthorised = models.PositiveIntegerField()
    not_counted = models.PositiveIntegerField()
    weeks = models.JSONField(
        default=list, help_text="Each week from its Monday: [monday, possible, present, authorised, unauthorised]"
    )
    row_hash = models.CharField(max_length=40, default="", help_text="Of the counts and weeks, to skip unchanged rows")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_person", "school_urn", "term_start"], name="signals_attendance_term_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.term} term from {self.term_start}"


# --- Issue 15: indicators, the single view's concerns, the attendance protocol and the gap finder --------------------


class IndicatorRun(models.Model):
    """One computation of every child's indicators (`continuum signals indicators`), as at a day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    as_of = models.DateField(help_text="The day the windows end on (inclusive)")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    definitions_sha256 = models.CharField(max_length=64, help_text="Of the indicator definitions file used")
    children = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    marks = models.BigIntegerField(default=0, help_text="Attendance marks read")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"indicators as at {self.as_of}"


class ChildIndicator(models.Model):
    """One child's value of one indicator over one window, as at the run's day (the latest run's rows only)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField(max_length=40, help_text="Its name in the indicator definitions")
    window = models.CharField(max_length=20, help_text="last_90_days, school_year or last_12_months")
    as_of = models.DateField()
    numerator = models.IntegerField(help_text="What was counted (sessions missed, incidents ...)")
    denominator = models.IntegerField(null=True, blank=True, help_text="For a rate: what it is out of")
    value = models.FloatField(help_text="The count, or the rate as a percentage")
    met = models.BooleanField(null=True, blank=True, help_text="For a threshold indicator (persistent absence)")
    trend = models.JSONField(default=list, help_text="Earlier periods, oldest first: [[period start, value], ...]")
    run = models.ForeignKey(IndicatorRun, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "indicator", "window"], name="signals_child_indicator_unique")
        ]
        indexes = [models.Index(fields=["indicator", "window", "met"])]

    def __str__(self) -> str:
        return f"{self.indicator} over {self.window}"


class Concern(models.Model):
    """A practitioner's cause for concern about a child, below the safeguarding threshold (Assure, seed 003)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=40, help_text="A concern category from the concern settings")
    note = models.TextField()
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(
        "agencies.Practitioner", on_delete=models.PROTECT, related_name="+", help_text="Who raised it, to contact"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    triangulation = models.BooleanField(default=False, help_text="A triangulation discussion was called for")
    triangulation_requested_at = models.DateTimeField(null=True, blank=True)
    review_by = models.DateField(help_text="When the concern should next be reviewed")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    outcome = models.CharField(max_length=40, blank=True, help_text="On closing: an outcome from the settings")
    outcome_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"concern raised {self.raised_at:%Y-%m-%d}"


class ConcernReview(models.Model):
    """A review of an open concern: what was found, and when to look again (or the closing review)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="reviews")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField()
    note = models.TextField()
    next_review_by = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["reviewed_at"]

    def __str__(self) -> str:
        return f"review on {self.reviewed_at:%Y-%m-%d}"


class AttendanceAlert(models.Model):
    """The attendance protocol (Hampshire, Surrey; seed 003): a run of unexplained absences by a child with an open
    involvement, for the allocated worker to follow up. Raised by `continuum signals alerts`; `key` makes a second
    run raise nothing new for the same run of absences."""

    class Rule(models.TextChoices):
        CONSECUTIVE = "consecutive", "Unexplained absences in a row"
        LOW_RATE = "low_rate", "Low attendance over recent weeks"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(max_length=200, unique=True, help_text="person|rule|first absence: one alert per run")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey("agencies.Practitioner", on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=20, choices=Rule.choices)
    school_urn = models.CharField(max_length=6, blank=True)
    first_absence = models.DateField(help_text="The first session of the run, or the window's start")
    last_absence = models.DateField()
    evidence = models.JSONField(default=dict, help_text="The sessions or weeks that met the rule, and the rule")
    raised_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)
    follow_up = models.CharField(max_length=40, blank=True, help_text="A follow-up action from the settings")
    follow_up_note = models.TextField(blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["recipient", "followed_up_at"])]

    def __str__(self) -> str:
        return f"attendance alert raised {self.raised_at:%Y-%m-%d}"


class GapFlag(models.Model):
    """A child the gap finder's rules flag: signals from two or more agencies in a window and no open involvement,
    with the evidence (each event: its date, kind and source). The latest run's flags only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=40, help_text="The rule's name in the gap finder's rules")
    as_of = models.DateField()
    agencies = models.JSONField(default=list, help_text="The kinds of agency whose signals met the rule")
    evidence = models.JSONField(default=list, help_text="Each event: date, feed, kind, label, source")
    first_flagged = models.DateField(help_text="The first run that flagged the child by this rule, unbroken since")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "rule"], name="signals_gap_flag_unique")]
        indexes = [models.Index(fields=["rule", "as_of"])]

    def __str__(self) -> str:
        return f"{self.rule} as at {self.as_of}"
