"""The append-only audit trail, and break-glass grants."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    EXPORT = "export", "Exported"
    IMPORT = "import", "Imported"
    BREAK_GLASS = "break_glass", "Break-glass access"
    REFUSED = "refused", "Refused"


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit row."""


class AuditEvent(models.Model):
    """One access to or change of a child's data. Rows are never updated or deleted: the database refuses it.

    The actor is copied (not a foreign key) so the trail stays whole when accounts change.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_username = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=30, blank=True)
    actor_agency_id = models.UUIDField(null=True, blank=True, db_index=True)
    actor_agency = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    event = models.CharField(
        max_length=80, blank=True, db_index=True, help_text="What happened, named by the module that recorded it"
    )
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64, blank=True)
    person_id = models.UUIDField(null=True, blank=True, db_index=True, help_text="The child or person concerned")
    purpose = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")


class BreakGlassGrant(models.Model):
    """Time-limited emergency access to one child's record, with the reason given and a manager's review."""

    class Outcome(models.TextChoices):
        APPROPRIATE = "appropriate", "Appropriate"
        INAPPROPRIATE = "inappropriate", "Not appropriate - follow up"

    class Route(models.TextChoices):
        AGENCY = "agency", "The user's own agency's managers"
        COUNCIL = "council", "The council's designated reviewers (the agency has no manager to review it)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="break_glass_grants")
    reason_code = models.CharField(max_length=30)
    routed_to = models.CharField(max_length=10, choices=Route.choices, default=Route.AGENCY)
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"Break-glass by {self.user} at {self.granted_at:%Y-%m-%d %H:%M}"


class BreakGlassNote(models.Model):
    """A note added to a break-glass review after it was recorded: it appends, and never replaces the review."""

    id = models.BigAutoField(primary_key=True)
    grant = models.ForeignKey(BreakGlassGrant, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Note by {self.author} at {self.at:%Y-%m-%d %H:%M}"
