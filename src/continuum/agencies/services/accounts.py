"""Administering accounts: every change audited, none to one's own account, and any change that would give
someone access to children's records held until a second administrator approves it.

What counts as giving access: after the change, an active account is linked to a practitioner whose
role may open children's records, manage accounts or read the audit trail, and the change touched the
role, the agency, the team, the link between account and practitioner, the account being active, or
the email address that password links go to. Anything else (names, caseload, deactivating, moving
someone to a role that sees no child) applies at once, and is audited.

Passwords: an administrator never sets or sees another person's password. Resetting sends the person
a single-use link to set a new one, and their old password stops working at once.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from continuum.agencies import access
from continuum.agencies.models import AccessChange, Agency, Practitioner, Team, User
from continuum.audit.services import AuditAction, audit_record

PRACTITIONER_ACCESS_FIELDS = ("role", "agency", "team", "user")
PRACTITIONER_PLAIN_FIELDS = ("given_name", "family_name", "email", "caseload_capacity")
ACCOUNT_ACCESS_FIELDS = ("is_active", "email")
ACCOUNT_PLAIN_FIELDS = ("username", "first_name", "last_name")


def _require_administrator(actor: User) -> None:
    access.require(access.can_manage_accounts(actor))


def _not_own(actor: User, *accounts: User | None) -> None:
    """Nobody changes, or approves a change to, their own account or practitioner record."""
    if any(a is not None and a.pk == actor.pk for a in accounts):
        raise PermissionDenied("You cannot change your own account: ask another administrator")


def _value(obj: Any, field: str) -> Any:
    """A field's value as the change record keeps it: ids for links, plain values otherwise."""
    if field in ("agency", "team", "user"):
        related = getattr(obj, f"{field}_id")
        return str(related) if related is not None else None
    return getattr(obj, field)


def _opens_children(role: str, user_id: Any, active: bool = True) -> bool:
    """Would an active account with this role be able to read children's records or change who can?"""
    rules = access.policy().role(role)
    if user_id is None or not active or rules is None:
        return False
    return rules.scope != "none" or rules.manages_accounts or rules.audit != "none"


def practitioner_save(*, actor: User, practitioner: Practitioner, wanted: dict[str, Any]) -> AccessChange | None:
    """Save an administrator's edit of a practitioner (new or existing). Returns the change waiting for a
    second administrator, if any part of the edit would give access to children's records."""
    _require_administrator(actor)
    with transaction.atomic():
        current = (
            Practitioner.objects.select_for_update(of=("self",)).select_related("user").get(pk=practitioner.pk)
            if practitioner.pk and Practitioner.objects.filter(pk=practitioner.pk).exists()
            else None
        )
        _not_own(actor, current.user if current else None, wanted.get("user"))
        target = current or practitioner
        if current is None:
            # A new practitioner: everything but the link to an account is recorded now.
            for field in PRACTITIONER_PLAIN_FIELDS + ("role", "agency", "team"):
                setattr(target, field, wanted[field])
            target.user = None
            target.full_clean()
            target.save()
            _audit(actor, target, "agencies.practitioner_create", f"Practitioner {target.name} recorded", {})
            plain_changed: list[str] = []
        else:
            plain_changed = [f for f in PRACTITIONER_PLAIN_FIELDS if getattr(target, f) != wanted[f]]
        access_changed = {
            f: {"from": _value(target, f), "to": _value_of(wanted[f])}
            for f in PRACTITIONER_ACCESS_FIELDS
            if _value(target, f) != _value_of(wanted[f])
        }
        after_user = wanted["user"].pk if wanted.get("user") is not None else None
        after_active = wanted["user"].is_active if wanted.get("user") is not None else False
        held = bool(access_changed) and _opens_children(wanted["role"], after_user, after_active)
        for field in plain_changed:
            setattr(target, field, wanted[field])
        if access_changed and not held:
            for field in access_changed:
                setattr(target, field, wanted[field])
        if plain_changed or (access_changed and not held):
            target.full_clean()
            target.save()
            applied = plain_changed + ([] if held else list(access_changed))
            _audit(
                actor,
                target,
                "agencies.practitioner_update",
                f"Practitioner {target.name}: changed {', '.join(sorted(applied))}",
                {"fields": sorted(applied), **({} if held else {"access": access_changed})},
            )
        if not held:
            return None
        return _request(actor, practitioner=target, changes=access_changed, what=f"practitioner {target.name}")


def _value_of(value: Any) -> Any:
    if isinstance(value, Agency | Team | User):
        return str(value.pk)
    return value


def account_save(*, actor: User, account: User, wanted: dict[str, Any]) -> AccessChange | None:
    """Save an administrator's edit of an existing account: names at once; reactivation or a new email
    address (where password links go) held for a second administrator when the account opens records."""
    _require_administrator(actor)
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=account.pk)
        _not_own(actor, current)
        plain = [f for f in ACCOUNT_PLAIN_FIELDS if getattr(current, f) != wanted[f]]
        sensitive = {
            f: {"from": getattr(current, f), "to": wanted[f]}
            for f in ACCOUNT_ACCESS_FIELDS
            if getattr(current, f) != wanted[f]
        }
        profile = current.profile
        opens = profile is not None and _opens_children(profile.role, current.pk, wanted["is_active"])
        held = {f: c for f, c in sensitive.items() if opens and not (f == "is_active" and c["to"] is False)}
        applied = plain + [f for f in sensitive if f not in held]
        for field in applied:
            setattr(current, field, wanted[field])
        if applied:
            current.full_clean(exclude=["password"])
            current.save()
            _audit(
                actor,
                current,
                "agencies.account_update",
                f"Account {current.username}: changed {', '.join(sorted(applied))}",
                {"fields": sorted(applied)},
            )
        if not held:
            return None
        return _request(actor, account=current, changes=held, what=f"account {current.username}")


def agency_save(*, actor: User, agency: Agency, wanted: dict[str, Any]) -> AccessChange | None:
    """Save an administrator's edit of an agency (new or existing). Changing the kind of an agency whose staff
    sign in changes what information-sharing rules let them read, so that waits for a second administrator."""
    _require_administrator(actor)
    with transaction.atomic():
        current = Agency.objects.select_for_update().filter(pk=agency.pk).first()
        target = current or agency
        fields = [f for f in wanted if f != "kind" or current is None]
        changed = [f for f in fields if current is None or _value(current, f) != _value_of(wanted[f])]
        for field in changed:
            setattr(target, field, wanted[field])
        kind = current is not None and current.kind != wanted["kind"]
        staffed = kind and Practitioner.objects.filter(agency=target, user__is_active=True).exists()
        if kind and not staffed:
            target.kind = wanted["kind"]
            changed.append("kind")
        if changed:
            target.full_clean()
            target.save()
            _audit(
                actor,
                target,
                "agencies.agency_save" if current else "agencies.agency_create",
                f"Agency {target.name}: {'changed ' + ', '.join(sorted(changed)) if current else 'recorded'}",
                {"fields": sorted(changed)},
            )
        if not staffed:
            return None
        assert current is not None
        return _request(
            actor, agency=current, changes={"kind": {"from": current.kind, "to": wanted["kind"]}}, what=f"{current}"
        )


def _request(
    actor: User,
    *,
    changes: dict[str, Any],
    what: str,
    practitioner: Practitioner | None = None,
    account: User | None = None,
    agency: Agency | None = None,
) -> AccessChange:
    summary = f"Change {', '.join(sorted(changes))} of {what}"
    change = AccessChange.objects.create(
        practitioner=practitioner,
        account=account,
        agency=agency,
        changes=changes,
        summary=summary[:300],
        requested_by=actor,
    )
    _audit(actor, change, "agencies.access_change_request", summary, {"changes": changes})
    return change


def _subjects(change: AccessChange) -> list[User | None]:
    """Every account a change touches: the account, the practitioner's account now, the one it would link, and
    the accounts of an agency whose kind would change."""
    linked = (change.changes.get("user") or {}).get("to")
    new_user = User.objects.filter(pk=linked).first() if linked else None
    staff = list(User.objects.filter(practitioner__agency_id=change.agency_id)) if change.agency_id else []
    return [change.account, change.practitioner.user if change.practitioner else None, new_user, *staff]


def access_change_decide(*, actor: User, change_id: Any, approve: bool, note: str = "") -> AccessChange:
    """A second administrator approves (and so applies) or refuses a change that gives access to records."""
    _require_administrator(actor)
    with transaction.atomic():
        change = AccessChange.objects.select_for_update().get(pk=change_id)
        if change.status != AccessChange.Status.PENDING:
            raise ValidationError("This change has already been decided")
        if change.requested_by_id == actor.pk:
            raise PermissionDenied("A second administrator must approve a change you asked for")
        _not_own(actor, *_subjects(change))
        change.decided_by = actor
        change.decided_at = timezone.now()
        change.decision_note = note.strip()[:300]
        if not approve:
            change.status = AccessChange.Status.REFUSED
        elif _still_as_requested(change):
            _apply(change)
            change.status = AccessChange.Status.APPROVED
        else:
            change.status = AccessChange.Status.SUPERSEDED
        change.save()
        _audit(
            actor,
            change,
            f"agencies.access_change_{'approve' if change.status == AccessChange.Status.APPROVED else 'refuse'}",
            f"{change.get_status_display()}: {change.summary}",
            {"changes": change.changes, "status": change.status},
        )
    return change


def _target(change: AccessChange) -> Practitioner | User | Agency:
    if change.practitioner_id:
        return Practitioner.objects.select_for_update().get(pk=change.practitioner_id)
    if change.agency_id:
        return Agency.objects.select_for_update().get(pk=change.agency_id)
    assert change.account_id is not None
    return User.objects.select_for_update().get(pk=change.account_id)


def _still_as_requested(change: AccessChange) -> bool:
    target = _target(change)
    return all(_value(target, field) == c["from"] for field, c in change.changes.items())


def _apply(change: AccessChange) -> None:
    target = _target(change)
    for field, c in change.changes.items():
        if field in ("agency", "team", "user"):
            setattr(target, f"{field}_id", c["to"])
        else:
            setattr(target, field, c["to"])
    if isinstance(target, Practitioner) and target.user_id:
        Practitioner.objects.filter(user_id=target.user_id).exclude(pk=target.pk).update(user=None)
    target.full_clean(exclude=["password"])
    target.save()


def account_create(*, actor: User, username: str, first_name: str, last_name: str, email: str) -> User:
    """A new account with no password: the person sets their own through a single-use link."""
    _require_administrator(actor)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email, is_active=True)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
        _audit(actor, user, "agencies.account_create", f"Account {username} created", {})
        transaction.on_commit(lambda: _send_password_link(user, first=True))
    return user


def account_password_reset(*, actor: User, account: User) -> None:
    """Stop the account's password working and send its owner a link to set a new one (never to the administrator)."""
    _require_administrator(actor)
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=account.pk)
        _not_own(actor, current)
        if not current.email:
            raise ValidationError("The account has no email address to send the link to")
        current.set_unusable_password()
        current.save(update_fields=["password"])
        _audit(
            actor,
            current,
            "agencies.password_reset",
            f"Password reset for {current.username}: a link to set a new one sent to their email",
            {},
        )
        transaction.on_commit(lambda: _send_password_link(current, first=False))


PASSWORD_LINK_DAYS = 3


def _send_password_link(user: User, *, first: bool) -> None:
    from django.conf import settings

    token = default_token_generator.make_token(user)
    path = reverse("password_set", args=[urlsafe_base64_encode(force_bytes(user.pk)), token])
    what = "An account has been set up for you" if first else "Your password has been reset"
    send_mail(
        f"{settings.SERVICE_NAME}: set your password",
        f"{what} on {settings.SERVICE_NAME}. Set your password, within {PASSWORD_LINK_DAYS} days, at {path}\n"
        "If you did not expect this, tell your service desk.",
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        fail_silently=False,
    )


def password_set_recorded(*, user: User) -> None:
    """The person set their own password through their link (audited as done by them)."""
    with transaction.atomic():
        _audit(user, user, "agencies.password_set", f"{user.username} set a new password", {})


def _audit(actor: User, obj: Any, event: str, purpose: str, detail: dict[str, Any]) -> None:
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=obj, event=event, purpose=purpose[:300], detail=detail)
