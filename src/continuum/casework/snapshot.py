"""Casework's tables in a county snapshot (columns in docs/county-format.md).

episodes, episode_family_members, team_members, assessments, assessment_domains, plans, goals, goal_ratings,
reviews, sessions, cohorts, cohort_facilitators, cohort_members, cohort_sessions, cohort_attendance and
closure_feedback load after the front door's tables, which episodes refer to. An episode or a cohort names
its programme by the catalogue's slug.

The loader refuses what the services would refuse: a closed episode without its closure reason or level at
close, a step down without where the child went, a step up without its referral, "other" without a note, an
open episode with closure details; an assessment, plan, review or session outside its episode (before its
start, or on or after its end); more sessions than the programme's session limit (a snapshot carries no
manager's agreement to go beyond it); a goal rating outside 0-10; an assessment area that is not one of its
domain's; a re-assessment of another episode; a quote without consent to quote; attendance at a course
session that is not in the file, or by a child not on the course.

Some checks compare a row with rows above it, so `tables()` builds the specifications afresh for each load.
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

from continuum import tables as t
from continuum import vocabulary as v
from continuum.casework.models import (
    Assessment,
    AssessmentDomain,
    ClosureFeedback,
    Cohort,
    CohortAttendance,
    CohortFacilitator,
    CohortMember,
    CohortSession,
    Episode,
    EpisodeFamilyMember,
    Goal,
    GoalRating,
    Plan,
    Review,
    Session,
    TeamMember,
)
from continuum.programmes.selectors import programme_list, programme_slug_reader

Problem = tuple[str, str] | None
# Each episode read so far: id -> (child, start, end); the measures' tables check questionnaires against it.
Episodes = dict[uuid.UUID, tuple[uuid.UUID, datetime.date, datetime.date | None]]
_AREAS = {domain: v.codes(areas) for domain, areas in v.ASSESSMENT_AREA.items()}


class _Load:
    """What one load has read so far, for the checks that compare a row with rows above it."""

    def __init__(self, episodes: Episodes) -> None:
        self._limit_of: dict[uuid.UUID, int | None] | None = None
        self.episodes = episodes
        self.limits: dict[uuid.UUID, int] = {}  # episode id -> its programme's session limit
        self.sessions: Counter[uuid.UUID] = Counter()
        self.assessments: dict[uuid.UUID, uuid.UUID] = {}  # id -> episode
        self.course_sessions: set[tuple[uuid.UUID, int]] = set()
        self.course_members: set[tuple[uuid.UUID, uuid.UUID]] = set()

    def _limits(self) -> dict[uuid.UUID, int | None]:
        """Each programme's session limit, by its id."""
        if self._limit_of is None:
            self._limit_of = dict(programme_list(active=False).values_list("pk", "session_limit"))
        return self._limit_of

    # -- episodes ---------------------------------------------------------------------------------------

    def episode(self, row: dict[str, Any]) -> Problem:
        """A closed episode says how it closed; an open one does not. Every complete row is remembered."""
        self.episodes[row["episode_id"]] = (row["person_id"], row["start_date"], row["end_date"])
        limit = self._limits().get(row["programme"])
        if limit is not None:
            self.limits[row["episode_id"]] = limit
        reason = row["closure_reason"]
        if row["end_date"] is None:
            for name in ("closure_reason", "level_at_close", "step_down_to", "step_up_referral_id"):
                if row[name] not in (None, ""):
                    return name, "must be empty while the episode is open (it has no end date)"
            return None
        if row.get("next_session_on") is not None:
            return "next_session_on", "must be empty for a closed episode: it has no next session"
        if not reason:
            return "closure_reason", "is required for a closed episode"
        if row["level_at_close"] is None:
            return "level_at_close", "is required for a closed episode"
        if reason == "stepped_down" and not row["step_down_to"]:
            return "step_down_to", "is required when the episode was stepped down: say where the child went"
        if reason != "stepped_down" and row["step_down_to"]:
            return "step_down_to", f"must be empty: the episode closed as {reason!r}, not stepped down"
        if reason == "stepped_up" and row["step_up_referral_id"] is None:
            return "step_up_referral_id", "is required when the episode was stepped up: the referral it made"
        if reason != "stepped_up" and row["step_up_referral_id"] is not None:
            return "step_up_referral_id", f"must be empty: the episode closed as {reason!r}, not stepped up"
        if reason == "other" and not row["closure_note"]:
            return "closure_note", "is required when the reason is 'other': say why the episode closed"
        return None

    def within(self, column: str) -> Callable[[dict[str, Any]], Problem]:
        """A row's date falls in its episode: on or after the start, and before the end date."""

        def check(row: dict[str, Any]) -> Problem:
            episode = self.episodes.get(row["episode_id"])
            day = row[column]
            if episode is None or day is None:
                return None
            _, start, end = episode
            if day < start:
                return column, f"{day.isoformat()} is before the episode started ({start.isoformat()})"
            if end is not None and day >= end:
                return column, f"{day.isoformat()} is not before the episode's end ({end.isoformat()})"
            return None

        return check

    def session_limit(self, row: dict[str, Any]) -> Problem:
        limit = self.limits.get(row["episode_id"])
        if limit is None:
            return None
        self.sessions[row["episode_id"]] += 1
        if self.sessions[row["episode_id"]] > limit:
            return "episode_id", f"the episode has more than the programme's limit of {limit} sessions"
        return None

    # -- assessments ------------------------------------------------------------------------------------

    def previous(self, row: dict[str, Any]) -> Problem:
        self.assessments[row["assessment_id"]] = row["episode_id"]
        earlier = row["previous_assessment_id"]
        if earlier is None:
            return None
        if self.assessments.get(earlier) != row["episode_id"] or earlier == row["assessment_id"]:
            return "previous_assessment_id", f"{earlier} is not an earlier assessment in this episode"
        return None

    @staticmethod
    def areas(row: dict[str, Any]) -> Problem:
        wrong = [code for code in row["areas"] if code not in _AREAS[row["domain"]]]
        if wrong:
            allowed = ", ".join(sorted(_AREAS[row["domain"]]))
            return "areas", f"{wrong[0]!r} is not an area of {row['domain']} ({allowed})"
        return None

    # -- courses ----------------------------------------------------------------------------------------

    def course_session(self, row: dict[str, Any]) -> Problem:
        self.course_sessions.add((row["cohort_id"], row["number"]))
        return None

    def course_member(self, row: dict[str, Any]) -> Problem:
        self.course_members.add((row["cohort_id"], row["episode_id"]))
        left, joined = row["left_on"], row["joined_on"]
        if left is not None and left < joined:
            return "left_on", f"{left.isoformat()} is before the child joined ({joined.isoformat()})"
        return None

    def attendance(self, row: dict[str, Any]) -> Problem:
        if (row["cohort_id"], row["number"]) not in self.course_sessions:
            return "number", f"session {row['number']} of cohort {row['cohort_id']} is not in cohort_sessions"
        if (row["cohort_id"], row["episode_id"]) not in self.course_members:
            return "episode_id", f"{row['episode_id']} is not a member of cohort {row['cohort_id']}"
        return None


def _areas(value: Any) -> list[str]:
    """Assessment areas as codes separated by semicolons ("education;health"), read as a list."""
    text = t.text(500, False)(value)
    codes = [code.strip() for code in text.split(";") if code.strip()]
    every = set().union(*_AREAS.values())
    for code in codes:
        if code not in every:
            raise ValueError(f"{code!r} is not an assessment area")
    return codes


def _quote(row: dict[str, Any]) -> Problem:
    if row["quote"] and not row["consent_to_quote"]:
        return "quote", "must be empty unless the family consented to be quoted"
    return None


def _codes(choices: Any) -> v.Codes:
    return tuple((str(code), str(label)) for code, label in choices)


def _level(required: bool = True) -> t.Reader:
    return t.number(int, required, minimum=1, maximum=4)


def tables(episodes: Episodes) -> tuple[t.Table, ...]:
    """Casework's tables, in load order, for one load; each episode read is added to `episodes`."""
    load = _Load(episodes)
    return (
        t.Table(
            "episodes",
            {
                "episode_id": t.uuid_(),
                "reference": t.text(20),
                "person_id": t.uuid_(),
                "programme": programme_slug_reader(required=False),
                "lead_practitioner_id": t.uuid_(),
                "team_id": t.uuid_(False),
                "referral_id": t.uuid_(False),
                "decision_id": t.uuid_(False),
                "allocation_id": t.uuid_(False),
                "start_date": t.date(),
                "end_date": t.date(False),
                "level_at_start": _level(),
                "level_at_close": _level(False),
                "closure_reason": t.code(v.CLOSURE_REASON, False),
                "closure_note": t.text(5_000, False, multiline=True),
                "step_down_to": t.code(v.STEP_DOWN_TO, False),
                "step_down_note": t.text(300, False),
                "step_up_referral_id": t.uuid_(False),
                "next_session_on": t.date(False),
            },
            optional=frozenset({"next_session_on"}),  # added after the first casework snapshots
            key="episode_id",
            references={
                "person_id": "people",
                "lead_practitioner_id": "practitioners",
                "team_id": "teams",
                "referral_id": "referrals",
                "decision_id": "decisions",
                "allocation_id": "allocations",
                "step_up_referral_id": "referrals",
            },
            checks=(t.ends_on_or_after_start, load.episode),
            unique=(("reference",),),
            model=Episode,
            renames={"episode_id": "id", "programme": "programme_id"},
        ),
        t.Table(
            "episode_family_members",
            {"episode_id": t.uuid_(), "person_id": t.uuid_(), "relationship": t.code(v.RELATIONSHIP_KIND)},
            references={"episode_id": "episodes", "person_id": "people"},
            unique=(("episode_id", "person_id"),),
            model=EpisodeFamilyMember,
            replace_by="episode_id",
        ),
        t.Table(
            "team_members",
            {
                "team_member_id": t.uuid_(),
                "episode_id": t.uuid_(),
                "practitioner_id": t.uuid_(),
                "role": t.text(200),
                "start_date": t.date(),
                "end_date": t.date(False),
            },
            key="team_member_id",
            references={"episode_id": "episodes", "practitioner_id": "practitioners"},
            checks=(t.ends_on_or_after_start, load.within("start_date")),
            model=TeamMember,
            renames={"team_member_id": "id"},
        ),
        t.Table(
            "assessments",
            {
                "assessment_id": t.uuid_(),
                "episode_id": t.uuid_(),
                "previous_assessment_id": t.uuid_(False),
                "completed_on": t.date(),
                "assessor_practitioner_id": t.uuid_(),
                "child_words": t.text(20_000, multiline=True),
                "parent_words": t.text(20_000, multiline=True),
                "summary": t.text(20_000, multiline=True),
                "proposed_level": _level(),
            },
            key="assessment_id",
            references={"episode_id": "episodes", "assessor_practitioner_id": "practitioners"},
            checks=(load.within("completed_on"), load.previous),
            model=Assessment,
            renames={
                "assessment_id": "id",
                "previous_assessment_id": "previous_id",
                "assessor_practitioner_id": "assessor_id",
            },
        ),
        t.Table(
            "assessment_domains",
            {
                "assessment_id": t.uuid_(),
                "domain": t.code(v.ASSESSMENT_DOMAIN),
                "concern": t.number(int, True, minimum=0, maximum=3),
                "strengths": t.text(20_000, multiline=True),
                "needs": t.text(20_000, False, multiline=True),
                "areas": _areas,
            },
            references={"assessment_id": "assessments"},
            checks=(load.areas,),
            unique=(("assessment_id", "domain"),),
            model=AssessmentDomain,
            replace_by="assessment_id",
        ),
        t.Table(
            "plans",
            {
                "plan_id": t.uuid_(),
                "episode_id": t.uuid_(),
                "assessment_id": t.uuid_(False),
                "agreed_on": t.date(),
                "review_every_weeks": t.number(int, True, minimum=1, maximum=26),
                "next_review_due": t.date(),
                "child_views": t.text(20_000, False, multiline=True),
                "family_views": t.text(20_000, False, multiline=True),
            },
            key="plan_id",
            references={"episode_id": "episodes", "assessment_id": "assessments"},
            checks=(load.within("agreed_on"),),
            unique=(("episode_id",),),
            model=Plan,
            renames={"plan_id": "id"},
        ),
        t.Table(
            "goals",
            {
                "goal_id": t.uuid_(),
                "plan_id": t.uuid_(),
                "description": t.text(20_000, multiline=True),
                "success_looks_like": t.text(20_000, multiline=True),
                "who": t.text(300),
                "target_date": t.date(),
                "agreed_with": t.code(v.VOICE),
                "achieved_on": t.date(False),
            },
            key="goal_id",
            references={"plan_id": "plans"},
            model=Goal,
            renames={"goal_id": "id"},
        ),
        t.Table(
            "goal_ratings",
            {
                "goal_id": t.uuid_(),
                "rated_on": t.date(),
                "rating": t.number(int, True, minimum=0, maximum=10),
                "rated_by": t.code(v.RATED_BY),
            },
            references={"goal_id": "goals"},
            model=GoalRating,
            replace_by="goal_id",
        ),
        t.Table(
            "reviews",
            {
                "review_id": t.uuid_(),
                "episode_id": t.uuid_(),
                "held_on": t.date(),
                "child_views": t.text(20_000, multiline=True),
                "family_views": t.text(20_000, multiline=True),
                "summary": t.text(20_000, multiline=True),
                "next_review_due": t.date(False),
                "reviewed_by_practitioner_id": t.uuid_(),
            },
            key="review_id",
            references={"episode_id": "episodes", "reviewed_by_practitioner_id": "practitioners"},
            checks=(load.within("held_on"),),
            model=Review,
            renames={"review_id": "id", "reviewed_by_practitioner_id": "reviewed_by_id"},
        ),
        t.Table(
            "sessions",
            {
                "session_id": t.uuid_(),
                "episode_id": t.uuid_(),
                "held_on": t.date(),
                "kind": t.code(v.SESSION_TYPE),
                "attendance": t.code(v.SESSION_ATTENDANCE),
                "duration_minutes": t.number(int, minimum=1, maximum=600),
                "practitioner_id": t.uuid_(),
                "case_note": t.text(20_000, False, multiline=True),
            },
            key="session_id",
            references={"episode_id": "episodes", "practitioner_id": "practitioners"},
            checks=(load.within("held_on"), load.session_limit),
            model=Session,
            renames={"session_id": "id"},
        ),
        t.Table(
            "cohorts",
            {
                "cohort_id": t.uuid_(),
                "programme": programme_slug_reader(required=True),
                "name": t.text(200),
                "venue": t.text(200),
                "start_date": t.date(),
                "end_date": t.date(False),
                "planned_sessions": t.number(int, True, minimum=1, maximum=52),
            },
            key="cohort_id",
            checks=(t.ends_on_or_after_start,),
            model=Cohort,
            renames={"cohort_id": "id", "programme": "programme_id"},
        ),
        t.Table(
            "cohort_facilitators",
            {"cohort_id": t.uuid_(), "practitioner_id": t.uuid_()},
            references={"cohort_id": "cohorts", "practitioner_id": "practitioners"},
            unique=(("cohort_id", "practitioner_id"),),
            model=CohortFacilitator,
            replace_by="cohort_id",
        ),
        t.Table(
            "cohort_members",
            {"cohort_id": t.uuid_(), "episode_id": t.uuid_(), "joined_on": t.date(), "left_on": t.date(False)},
            references={"cohort_id": "cohorts", "episode_id": "episodes"},
            checks=(load.course_member,),
            unique=(("cohort_id", "episode_id"),),
            model=CohortMember,
            replace_by="cohort_id",
        ),
        t.Table(
            "cohort_sessions",
            {"cohort_id": t.uuid_(), "number": t.number(int, True, minimum=1, maximum=52), "held_on": t.date()},
            references={"cohort_id": "cohorts"},
            checks=(load.course_session,),
            unique=(("cohort_id", "number"),),
            model=CohortSession,
            replace_by="cohort_id",
        ),
        t.Table(
            "cohort_attendance",
            {
                "cohort_id": t.uuid_(),
                "number": t.number(int, True, minimum=1, maximum=52),
                "episode_id": t.uuid_(),
                "attended": t.boolean,
            },
            references={"cohort_id": "cohorts", "episode_id": "episodes"},
            checks=(load.attendance,),
            unique=(("cohort_id", "number", "episode_id"),),
            model=CohortAttendance,
        ),
        t.Table(
            "closure_feedback",
            {
                "feedback_id": t.uuid_(),
                "episode_id": t.uuid_(),
                "given_by": t.code(v.VOICE),
                "given_on": t.date(),
                "helpfulness": t.number(int, True, minimum=1, maximum=5),
                "what_helped": t.text(20_000, False, multiline=True),
                "what_could_be_better": t.text(20_000, False, multiline=True),
                "consent_to_quote": t.boolean,
                "quote": t.text(20_000, False, multiline=True),
            },
            key="feedback_id",
            references={"episode_id": "episodes"},
            checks=(_quote,),
            model=ClosureFeedback,
            renames={"feedback_id": "id"},
        ),
    )


def _attendance(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Course attendance as the model holds it: by the session's and the member's ids, looked up once the
    courses' sessions and members are written (they are replaced, with their attendance, on every load)."""
    cohorts = {row["cohort_id"] for row in rows}
    sessions: dict[tuple[uuid.UUID, int], int] = {}
    members: dict[tuple[uuid.UUID, uuid.UUID], int] = {}
    wanted = sorted(cohorts)
    for start in range(0, len(wanted), 500):
        batch = wanted[start : start + 500]
        for pk, cohort, number in CohortSession.objects.filter(cohort_id__in=batch).values_list(
            "pk", "cohort_id", "number"
        ):
            sessions[(cohort, number)] = pk
        for pk, cohort, episode in CohortMember.objects.filter(cohort_id__in=batch).values_list(
            "pk", "cohort_id", "episode_id"
        ):
            members[(cohort, episode)] = pk
    return [
        {
            "session_id": sessions[(row["cohort_id"], row["number"])],
            "member_id": members[(row["cohort_id"], row["episode_id"])],
            "attended": row["attended"],
        }
        for row in rows
    ]


# Tables whose checked rows are turned into the model's fields before they are written.
PREPARE: dict[str, Callable[[list[dict[str, Any]]], list[dict[str, Any]]]] = {"cohort_attendance": _attendance}
