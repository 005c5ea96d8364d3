"""Record linkage: who is who across the agency feeds and the people in the platform.

- `LinkModel`: a trained Splink model, saved and versioned; every link names the model that made it.
- `LinkRun`: each run of linkage (all records, or a day's new ones against those already linked).
- `Identity`: a person as linkage knows them. Its id is stable: it never changes because linkage ran again;
  an identity that gains records keeps its id. It is the platform's `people.Person` where one is in it.
- `Record`: one record linkage resolves (a `signals.SourcePerson`, or a `people.Person`), and the identity it
  belongs to, with how it came to belong there. `identity` is empty while the record waits for review.
- `ReviewPair`: a pair of records the model was unsure about, or one that would move a record between two
  identities already known; a person decides it.
- `IdentityChange`: every explicit change of who is who: a merge, its undoing, a split, a record moved by a
  reviewer. Its journal holds what moved so that an unmerge restores everything to where it was.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class LinkModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.PositiveIntegerField(unique=True, help_text="1, 2, 3 ... in the order the models were trained")
    trained_at = models.DateTimeField()
    trained_by_name = models.CharField(max_length=200)
    splink_version = models.CharField(max_length=20)
    file_format = models.PositiveSmallIntegerField(help_text="The version of Continuum's model file format")
    model = models.JSONField(help_text="The model file's content: Splink's settings and trained parameters")
    sha256 = models.CharField(max_length=64, help_text="Of the model file")
    records = models.PositiveIntegerField(help_text="How many records it was trained on")
    upper = models.FloatField(help_text="Pairs at or above this match probability link automatically")
    lower = models.FloatField(help_text="Pairs from this up to the upper threshold go to clerical review")

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"linkage model {self.version}"


class LinkRun(models.Model):
    KINDS = [("full", "All records"), ("incremental", "New records against those already linked")]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=12, choices=KINDS)
    backend = models.CharField(max_length=10, help_text="duckdb or spark")
    model = models.ForeignKey(LinkModel, on_delete=models.PROTECT, related_name="runs")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    run_by_name = models.CharField(max_length=200)
    records = models.PositiveIntegerField(default=0, help_text="Records considered")
    pairs = models.PositiveIntegerField(default=0, help_text="Pairs scored at or above the lower threshold")
    linked = models.PositiveIntegerField(default=0, help_text="Records linked automatically this run")
    new_identities = models.PositiveIntegerField(default=0)
    queued = models.PositiveIntegerField(default=0, help_text="Pairs sent to clerical review")
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.kind} linkage run at {self.started_at:%Y-%m-%d %H:%M}"


class Identity(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.OneToOneField(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The platform's person this identity is, where there is one",
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="Set by a merge"
    )
    created_at = models.DateTimeField()
    created_by_run = models.ForeignKey(LinkRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name_plural = "identities"

    def __str__(self) -> str:
        return f"identity {self.id}"


class Record(models.Model):
    HOW = [
        ("new", "The first record of a new identity"),
        ("auto", "Linked automatically: above the upper threshold"),
        ("review", "Linked by a reviewer"),
        ("merge", "Moved by a merge"),
        ("person", "The platform's own record of the person"),
    ]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source_person = models.OneToOneField(
        "signals.SourcePerson", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.OneToOneField("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    identity = models.ForeignKey(
        Identity, null=True, blank=True, on_delete=models.PROTECT, related_name="records", help_text="Empty: in review"
    )
    how = models.CharField(max_length=8, choices=HOW, blank=True)
    match_probability = models.FloatField(null=True, blank=True, help_text="Of the link that placed it, if any")
    model = models.ForeignKey(LinkModel, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(LinkRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    row_hash = models.CharField(max_length=40, blank=True, help_text="Of the identity details linkage compared")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(source_person__isnull=False, person__isnull=True)
                | Q(source_person__isnull=True, person__isnull=False),
                name="linkage_record_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"linkage record {self.id}"


class ReviewPair(models.Model):
    WHY = [
        ("band", "The model was unsure"),
        ("conflict", "It would move a record between two identities already known"),
        ("people", "Both are people already in the platform"),
    ]
    STATUS = [
        ("open", "Waiting"),
        ("accepted", "Same person"),
        ("rejected", "Not the same person"),
        ("not_sure", "Not sure"),
        ("stale", "Changed since it was queued"),
    ]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    left = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="+")
    match_probability = models.FloatField()
    model = models.ForeignKey(LinkModel, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(LinkRun, on_delete=models.PROTECT, related_name="+")
    why = models.CharField(max_length=8, choices=WHY)
    comparison = models.JSONField(
        default=list, help_text="The model's reasons: each compared field, its level, and the weight it gave"
    )
    state = models.CharField(
        max_length=64,
        help_text="Of both records' details and identities when queued: a decision on a changed pair is refused",
    )
    status = models.CharField(max_length=8, choices=STATUS, default="open")
    queued_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-match_probability"]
        constraints = [
            models.UniqueConstraint(
                fields=["left", "right"], condition=Q(status="open"), name="linkage_review_pair_open_unique"
            )
        ]

    def __str__(self) -> str:
        return f"review pair {self.id}"


class IdentityChange(models.Model):
    KINDS = [
        ("merge", "Merged"),
        ("unmerge", "Merge undone"),
        ("split", "Split"),
        ("move", "Record moved"),
    ]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=8, choices=KINDS)
    identity = models.ForeignKey(
        Identity,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Merge: the one kept. Split, move: the one changed",
    )
    other = models.ForeignKey(
        Identity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Merge: the one merged into it. Split: the new one. Move: where the record came from",
    )
    undoes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="undone_by",
        help_text="An unmerge's merge",
    )
    journal = models.JSONField(
        default=dict,
        help_text="What moved, to restore it: records [record, from identity, to identity] and the people's "
        "relationships [relationship, end, from person, to person]",
    )
    reason = models.TextField()
    review_pair = models.ForeignKey(ReviewPair, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    by_name = models.CharField(max_length=200)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"
