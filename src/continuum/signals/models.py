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
