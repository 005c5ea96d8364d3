"""A draft referral's answers, as the question pages keep them (plain Python: no Django).

The answers are one JSON object kept in ReferralDraft.answers:

    child           what the referrer typed about the child (names, date of birth, address)
    child_choice    {"person_id": id} for an existing record chosen, or {"new": true, "possible_matches": [ids]}
    family          [{"typed": {...}, "relationship": code, "person_id": id or null, "possible_matches": [ids]}]
    family_pending  the family member being added, until their existing record is chosen or a new one is
    family_done     the referrer has said there is nobody more to add
    reasons, story, child_wants, family_wants, wishes_done, consent, consent_reason

A question page changes only its own keys; changing the child's details forgets the record chosen for
them, so tell-it-once runs again on what was typed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

# The question pages in the order the referrer meets them.
STEPS = ("child", "child-matches", "family", "family-member", "family-matches", "reasons", "story", "wishes", "consent")


@dataclass(frozen=True)
class NewPerson:
    """Someone to record as a new person, in the referrer's words."""

    given_name: str
    family_name: str
    known_as: str = ""
    date_of_birth: datetime.date | None = None
    address_line: str = ""
    town: str = ""
    postcode: str = ""


@dataclass(frozen=True)
class Named:
    """A person a referral names: an existing record chosen, or a new person with the existing records that
    tell-it-once found for them (for the front door to check)."""

    person_id: Any = None
    new: NewPerson | None = None
    possible_matches: tuple[str, ...] = ()
    relationship: str = ""


def next_step(answers: dict[str, Any]) -> str | None:
    """The first question not yet answered, or None when the referral can be checked and sent."""
    if not answers.get("child"):
        return "child"
    if not answers.get("child_choice"):
        return "child-matches"
    if answers.get("family_pending"):
        return "family-matches"
    if not answers.get("family_done"):
        return "family"
    if not answers.get("reasons"):
        return "reasons"
    if not str(answers.get("story", "")).strip():
        return "story"
    if not answers.get("wishes_done"):
        return "wishes"
    if not answers.get("consent"):
        return "consent"
    return None


def typed_date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def new_person(typed: dict[str, Any]) -> NewPerson:
    return NewPerson(
        given_name=str(typed.get("given_name", "")),
        family_name=str(typed.get("family_name", "")),
        known_as=str(typed.get("known_as", "")),
        date_of_birth=typed_date(typed.get("date_of_birth")),
        address_line=str(typed.get("address_line", "")),
        town=str(typed.get("town", "")),
        postcode=str(typed.get("postcode", "")),
    )


def _named(typed: dict[str, Any], choice: dict[str, Any], relationship: str = "") -> Named:
    if choice.get("person_id"):
        return Named(person_id=choice["person_id"], relationship=relationship)
    return Named(
        new=new_person(typed),
        possible_matches=tuple(str(i) for i in choice.get("possible_matches", [])),
        relationship=relationship,
    )


def as_referral(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers as the keyword arguments of services.referrals.referral_create (less the actor)."""
    return {
        "child": _named(answers.get("child") or {}, answers.get("child_choice") or {}),
        "family": [
            _named(member.get("typed") or {}, member, str(member.get("relationship", "")))
            for member in answers.get("family") or []
        ],
        "reasons": [str(r) for r in answers.get("reasons") or []],
        "story": str(answers.get("story", "")),
        "child_wants": str(answers.get("child_wants", "")),
        "family_wants": str(answers.get("family_wants", "")),
        "consent": str(answers.get("consent", "")),
        "consent_reason": str(answers.get("consent_reason", "")),
    }
