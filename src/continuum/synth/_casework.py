"""Casework and outcome measures: what happened in each early-help episode of support, and the SDQs at its ends.

Every early-help involvement led by a practitioner is an episode of support: those the front door allocated
this year carry their referral, decision and programme; earlier ones were opened by the lead practitioner on
a programme that fits the child's age (or none). An episode begins a few days after its allocation (the
first visit): a child allocated in the last few days has no episode yet. Around each episode: the family it
works with, the team around the family from other agencies, an early help assessment by the three domains
(re-assessed in longer episodes), the plan with its goals rated 0-10 at each review, sessions within the
programme's session limit, courses of the group programme, feedback at closure, and SDQs at entry and exit.

The SDQs carry a known, planted effect. Each child has a latent severity at entry (normal); at exit it has
moved by the programme's shift plus noise. Every item's response comes from the latent severity through a
graded response model (two logistic thresholds per item; prosocial items run the other way, the five
reverse-scored items are drawn as scored and written as ticked), so the expected change in total
difficulties for each programme is known exactly (Gauss-Hermite quadrature over the latent distribution)
and written to truth/outcomes.json with how it was generated. Whether an exit questionnaire is missing
depends only on how the episode closed, never on the child's severity, so the mean change of the pairs that
exist estimates the planted effect without bias.

Texts come from phrase banks written for this generator: they describe no real person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from continuum import vocabulary as vocab
from continuum.synth import _arrays as arr
from continuum.synth import _distributions as dist
from continuum.synth import _frontdoor as fdoor
from continuum.synth._agencies import Organisation, Staff
from continuum.synth._families import Population
from continuum.synth._geography import locality_names
from continuum.synth._relationships import Relationships
from continuum.synth._services import ALLOCATION_KINDS, Allocations, Services
from continuum.synth._services import K as INVOLVEMENT

PROGRAMMES = fdoor.PROGRAMMES
# Session limits as the programme catalogue gives them (seed 000: POWER offers up to 12 sessions).
SESSION_LIMIT = {"power": 12, "more-than-mentors": 10}
GROUP_PROGRAMME = "strengthening-families"
CLOSURES = [c for c, _ in vocab.CLOSURE_REASON]
STEP_DOWN_TO = [c for c, _ in vocab.STEP_DOWN_TO]
SESSION_TYPES = [c for c, _ in vocab.SESSION_TYPE]
ATTENDANCE = [c for c, _ in vocab.SESSION_ATTENDANCE]
DOMAINS = [c for c, _ in vocab.ASSESSMENT_DOMAIN]
TIMEPOINTS = ["entry", "exit"]
INFORMANTS = [c for c, _ in vocab.INFORMANT]
VERSIONS = ["4-17", "2-4", "11-17"]
VOICES = [c for c, _ in vocab.VOICE]
RATED_BY = [c for c, _ in vocab.RATED_BY]
IMPACT_ITEMS = ("impact_distress", "impact_home", "impact_friends", "impact_classroom", "impact_leisure")
TEACHER_IMPACT = (0, 2, 3)  # the teacher form asks about distress, peers and the classroom

# -- the planted outcomes (assumptions, chosen to look like the changes early-help evaluations report) -------

# Latent severity at entry: children referred to early help have raised difficulties on average.
LATENT_ENTRY_MEAN = 0.5
LATENT_ENTRY_SD = 0.8
# The shift of the latent severity between entry and exit, by programme ("" for an episode on no programme),
# and the spread of each child's own change around it (some improve, some do not, some deteriorate).
LATENT_SHIFT = {
    "power": -0.26,
    "functional-family-therapy": -0.22,
    "lyft": -0.15,
    "staying-together": -0.12,
    "strengthening-families": -0.2,
    "step-up-step-down": -0.1,
    "more-than-mentors": -0.18,
    "harmony-groups": -0.14,
    "no-wrong-door": -0.08,
    "": -0.05,
}
CHANGE_SD = 0.35
# A teacher sees the child in class: their view moves with the child's but less, and varies more.
TEACHER_CHANGE_FACTOR = 0.5
TEACHER_NOISE_SD = 0.3
# The graded response model: slope, and the two thresholds of each item in latent units.
SLOPE = 1.7
SECOND_STEP = 1.2
# SDQ items by subscale (Goodman 1997); the five items scored in reverse; prosocial items are strengths.
SUBSCALES = {
    "emotional": (3, 8, 13, 16, 24),
    "conduct": (5, 7, 12, 18, 22),
    "hyperactivity": (2, 10, 15, 21, 25),
    "peer": (6, 11, 14, 19, 23),
    "prosocial": (1, 4, 9, 17, 20),
}
REVERSED = (7, 11, 14, 21, 25)
DIFFICULTY_ITEMS = tuple(sorted(i for name, items in SUBSCALES.items() if name != "prosocial" for i in items))
# The chance an exit questionnaire is missing, by how the episode closed: families who disengage or move
# away rarely complete one.
EXIT_MISSING = {
    "needs_met": 0.08,
    "stepped_up": 0.4,
    "stepped_down": 0.1,
    "disengaged": 0.8,
    "moved_away": 0.85,
    "other": 0.25,
}
ITEM_MISSING = 0.03  # the share of questionnaires with one item left blank
TEACHER_SHARE = 0.15  # school-age children whose teacher also completes one

# How episodes close (assumption), and the group programme's drop-out (seed 001: 81% retention).
CLOSURE_SHARE = {
    "needs_met": 0.55,
    "stepped_up": 0.07,
    "stepped_down": 0.15,
    "disengaged": 0.14,
    "moved_away": 0.05,
    "other": 0.04,
}
COURSE_DROP_OUT = 0.08
COURSE_SESSIONS = 8
COURSE_SIZE = 8
ATTENDANCE_SHARE = (0.8, 0.11, 0.06, 0.03)  # attended, did not attend, cancelled by family, by service
DISENGAGED_ATTENDANCE = (0.55, 0.33, 0.1, 0.02)

# -- phrase banks ---------------------------------------------------------------------------------------------

CHILD_WORDS = (
    "I get angry and then I get into trouble, and I don't know how to stop it.",
    "Home is loud all the time. I'd like it to be calmer.",
    "I don't like going to school because people say things about me.",
    "I worry about my mum when I'm not there.",
    "I like football and my friends. I want to be able to sleep properly.",
    "Nobody listens to me at home, only my little brother gets listened to.",
    "I want to stop feeling scared when I go out.",
    "It's better when there's food in and everyone's not stressed.",
)
PARENT_WORDS = (
    "We love them but we are running out of ideas; every evening ends in a row.",
    "Since the split things have been hard and I have had no one to talk to.",
    "I want help with routines; mornings are chaos and school keeps ringing.",
    "I'm worried about who they are spending time with and I can't get them to talk to me.",
    "My own health has not been good and I know the children have been doing too much.",
    "We've moved three times in a year and I think it has unsettled everyone.",
    "I just want us to be a normal family again and do things together.",
)
SUMMARIES = (
    "The family are committed to change. The main worry is the child's behaviour at home and school, linked "
    "to stress in the household. Work will focus on routines, boundaries and the child's wellbeing.",
    "The child's emotional wellbeing is the priority. Parenting is warm but inconsistent; the family's "
    "housing and money worries add pressure. A plan with school and health is proposed.",
    "There are strengths in the relationships at home. School attendance and the child's worries need "
    "support; the parent would value help to set routines and to be heard by professionals.",
    "Needs have grown since the referral. The child is at risk of exclusion and the parent is isolated. "
    "Targeted support is proposed with a review in six weeks.",
)
STRENGTHS = {
    "developmental_needs": (
        "Enjoys sport and art; good relationships with some staff at school.",
        "Healthy, meets developmental milestones; curious and chatty once settled.",
        "Has a close friend and talks openly with a trusted adult.",
    ),
    "parenting_capacity": (
        "The parent is warm, wants to learn and has kept every appointment so far.",
        "Basic care is good; the child is fed, clean and gets to school most days.",
        "Parents agree on what they want for the child and are open to advice.",
    ),
    "family_environment": (
        "Grandparents nearby help with childcare and are a steady presence.",
        "The family are settled in their home and know their neighbours.",
        "The parent works part time and the family are connected to a local church.",
    ),
}
NEEDS = {
    "developmental_needs": (
        "Outbursts at home and in class; struggles to manage big feelings.",
        "Low mood and worry affect sleep and school attendance.",
        "Falling behind with reading; avoids school on some days.",
    ),
    "parenting_capacity": (
        "Boundaries are inconsistent and routines have broken down.",
        "The parent's own low mood makes it hard to respond to the child's needs.",
        "Conflict between the adults spills over into the child's life.",
    ),
    "family_environment": (
        "Overcrowded housing and rent arrears add stress.",
        "Isolated from friends and family since moving to the area.",
        "Debt and an irregular income mean food runs short at the end of the month.",
    ),
}
PLAN_CHILD_VIEWS = (
    "I want to have someone to talk to every week.",
    "I'd like the shouting to stop and to have more time with dad.",
    "I want to get back into school without getting anxious.",
    "I'm OK with the plan as long as I can still go to football.",
)
PLAN_FAMILY_VIEWS = (
    "We agree with the plan and want help with routines first.",
    "It feels good to have a plan written down that everyone signed up to.",
    "We'd like school to be part of this too.",
    "The plan is realistic; the housing part worries us most.",
)
# Goals: (what will change, how everyone will know, who will do what).
GOALS = (
    (
        "Calmer mornings so that the child gets to school on time.",
        "On time at least four days out of five for three weeks running.",
        "Parent sets a bedtime routine; lead practitioner visits weekly.",
    ),
    (
        "The child can name their feelings and use a calming plan when angry.",
        "Fewer incidents at school and home; the child says they feel more in control.",
        "Lead practitioner's one-to-one sessions; school mentor checks in daily.",
    ),
    (
        "The parent feels more confident setting boundaries.",
        "The parent rates their confidence at 7 or more and uses the agreed approach.",
        "Parent attends the parenting course; practitioner follows up at home.",
    ),
    (
        "The child has a trusted adult to talk to in school.",
        "The child can say who it is and has seen them weekly for a month.",
        "School's pastoral lead arranges a named adult.",
    ),
    (
        "The family's debts are under control and the rent is paid.",
        "A repayment plan is agreed and kept for two months.",
        "Parent meets the money adviser; practitioner helps with forms.",
    ),
    (
        "The child spends time with friends outside the home safely.",
        "Joins a club and the family know where they are after school.",
        "Youth worker introduces a local club; parents agree check-in times.",
    ),
    (
        "Less worry about leaving the house.",
        "The child walks to the shop and back on their own.",
        "Step-by-step plan in one-to-one sessions; parent practises with the child.",
    ),
)
REVIEW_CHILD_VIEWS = (
    "Things are a bit better. I still get cross but I walk away more.",
    "I like the sessions. School is still hard.",
    "Mum and me are arguing less.",
    "I don't really want to talk about it today.",
)
REVIEW_FAMILY_VIEWS = (
    "We've seen a real difference in the mornings.",
    "Some weeks are better than others; we want to keep going.",
    "It has been a hard month but the support has helped us cope.",
    "We feel listened to and know who to call.",
)
REVIEW_SUMMARIES = (
    "Good progress on routines; the goal about school attendance continues.",
    "Mixed progress: attendance improved, behaviour at home still a concern. Plan updated.",
    "The family engaged well; two goals nearly met. Next review to consider closing.",
    "Little change this period. Agreed to add support from school and review sooner.",
)
SESSION_NOTES = {
    "one_to_one": (
        "Worked on naming feelings using the feelings wheel; the child engaged well.",
        "Talked about friendships and practised what to say when teased.",
        "Reviewed the calming plan; the child used it twice this week.",
    ),
    "family": (
        "Home visit: agreed a morning routine chart with the family.",
        "Family session about rules at home; everyone contributed.",
        "Discussed the week; parent used the agreed approach at bedtime.",
    ),
    "group": (
        "Group session: play-based activities; the child joined in with support.",
        "Group session on sharing and turn-taking.",
    ),
    "school": (
        "Met the child in school with the pastoral lead; attendance plan reviewed.",
        "Session in school about managing worries before tests.",
    ),
}
NOT_HELD_NOTES = {
    "did_not_attend": "Did not attend. A letter was sent offering another appointment.",
    "cancelled_by_family": "The family cancelled; rearranged for next week.",
    "cancelled_by_service": "Cancelled because the practitioner was unwell; the family were told in advance.",
}
# Every case note by number: those of sessions held, by type, then those of sessions that were not.
HELD_NOTES = [text for kind in SESSION_TYPES for text in SESSION_NOTES[kind]]
CASE_NOTES = HELD_NOTES + [NOT_HELD_NOTES[a] for a in ATTENDANCE[1:]]
TAF_ROLES = {
    "school_dsl": "School: attendance and pastoral support",
    "health_practitioner": "Health: the child's health and development",
    "police_liaison": "Police: safety in the community",
    "voluntary": "Voluntary sector: youth work and activities",
}
STEP_DOWN_NOTES = {
    "school": "The pastoral lead at school will keep checking in weekly.",
    "health_visitor": "The health visitor will continue routine contact.",
    "gp": "The GP knows the family and will review the parent's health.",
    "childrens_centre": "The family hub's drop-in sessions, which the family already use.",
    "community": "A local community group the child has joined.",
    "youth_service": "The youth club on Thursdays, where the child has a key worker.",
    "other": "A universal service the family chose.",
}
CLOSURE_NOTE_OTHER = "The family asked to close; they feel they can manage with the support they now have."
HELPED = (
    "Having someone who listened and didn't judge us.",
    "The routines. Mornings are so much calmer.",
    "The group: meeting other parents going through the same.",
    "Being able to talk to someone outside school.",
    "Help with the forms and the money worries.",
)
BETTER = (
    "",
    "Sessions after school would have been easier.",
    "It took a long time to get started.",
    "More time at the end to say goodbye.",
)
QUOTES = (
    "I didn't think anyone could help but it's like a weight has been lifted.",
    "My son is a different boy. He talks to me now.",
    "They treated us like people, not a case.",
    "The course gave me the confidence to say no and stick to it.",
    "I can go to school now without feeling sick.",
    "I learnt that it's OK to ask for help.",
)
VENUES = ("Family Hub", "Community Centre", "Library meeting room")


@dataclass
class Casework:
    """Each table's rows as parallel arrays (people, staff, teams, referrals, decisions and allocations by index)."""

    # Episodes, in order of start.
    person: np.ndarray
    programme: np.ndarray  # index into PROGRAMMES, -1 for none
    lead: np.ndarray
    team: np.ndarray
    referral: np.ndarray  # -1 unless from this year's front door
    decision: np.ndarray
    allocation: np.ndarray
    start: np.ndarray
    end: np.ndarray  # -1 while open
    level: np.ndarray
    level_close: np.ndarray  # -1 while open
    closure: np.ndarray  # index into CLOSURES, -1 while open
    step_down: np.ndarray  # index into STEP_DOWN_TO, -1
    step_up_referral: np.ndarray  # -1
    reference: list[str]
    next_session: np.ndarray | None = None  # the next session booked in an open episode (day), -1 when none
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)  # the other tables' columns
    truth: dict = field(default_factory=dict)


def build(
    seed: int,
    pop: Population,
    services: Services,
    org: Organisation,
    staff: Staff,
    allocations: Allocations,
    relationships: Relationships,
    fd: fdoor.FrontDoor,
    as_of: int,
) -> Casework:
    """The casework of every early-help episode; adds the step-up referrals to the front door's year."""
    rng = arr.stream(seed, "casework")
    cw = _episodes(rng, services, pop, staff, allocations, fd, as_of)
    n = len(cw.person)
    age = np.clip(arr.whole_years(pop.dob[cw.person], cw.start), 0, 17)
    spans = np.array([dist.PROGRAMMES[slug].days for slug in PROGRAMMES] + [(90, 180)], dtype=np.int64)
    low, high = spans[cw.programme].T  # -1 (no programme) takes the last row
    planned_end = cw.start + low + (rng.random(n) * (high - low + 1)).astype(np.int64)
    until = np.where(cw.end >= 0, cw.end, as_of)  # the first day nothing more happens in the episode
    latent = _latent(rng, cw, n)
    dropped = _cohorts(rng, cw, org, staff, until, as_of)
    _close(rng, cw, dropped, as_of)
    _step_ups(rng, cw, pop, org, staff, fd, as_of)
    cw.tables["episode_family_members"] = _family(cw, pop, relationships)
    cw.tables["team_members"] = _team_around(rng, cw, pop, services, org, staff, age, until, as_of)
    _assessments(rng, cw, until)
    _plans(rng, cw, age, until, latent, planned_end, as_of)
    _sessions(rng, cw, until, planned_end)
    _feedback(rng, cw, age)
    _questionnaires(rng, cw, pop, services, age, until, planned_end, latent, as_of)
    return cw


# -- episodes -------------------------------------------------------------------------------------------------


def _episodes(
    rng: np.random.Generator,
    services: Services,
    pop: Population,
    staff: Staff,
    allocations: Allocations,
    fd: fdoor.FrontDoor,
    as_of: int,
) -> Casework:
    rows = services.involvements
    eh = np.flatnonzero((rows.kind == INVOLVEMENT["early_help"]) & (rows.lead >= 0))
    person, lead, team = rows.person[eh], rows.lead[eh], rows.team[eh]
    allocated_on, end = rows.start[eh], rows.end[eh]
    allocation = _allocation_of(allocations, person, lead, allocated_on, len(staff.role))
    referral_of = np.full(len(allocations.person), -1)
    placed = np.flatnonzero(fd.allocation >= 0)
    referral_of[fd.allocation[placed]] = placed
    referral = np.where(allocation >= 0, referral_of[np.maximum(allocation, 0)], -1)
    accepted = (fd.transfer_status == fdoor.ACCEPTED) & (fd.route[fd.transfer_decision] == fdoor.PROGRAMME)
    decision_of = np.full(len(fd.person), -1)
    decision_of[fd.decision_referral[fd.transfer_decision[accepted]]] = fd.transfer_decision[accepted]
    decision = np.where(referral >= 0, decision_of[np.maximum(referral, 0)], -1)
    # The first visit: a few days after the front door's allocation; an earlier case was opened at once.
    start = allocated_on + np.where(referral >= 0, rng.integers(2, 15, len(eh)), rng.integers(0, 8, len(eh)))
    start = np.where((end >= 0) & (start >= end - 7), allocated_on, start)
    keep = start < as_of
    order = np.flatnonzero(keep)[np.lexsort((person[keep], start[keep]))]
    person, lead, team, start, end = person[order], lead[order], team[order], start[order], end[order]
    referral, decision, allocation = referral[order], decision[order], allocation[order]
    n = len(order)
    age = np.clip(arr.whole_years(pop.dob[person], start), 0, 17)
    programme = np.where(decision >= 0, fd.programme[np.maximum(decision, 0)], _programme(rng, age))
    level = np.where(decision >= 0, fd.level[np.maximum(decision, 0)], 2 + (rng.random(n) < 0.4))
    year = arr.calendar(start)[0]
    serial = arr.group_arange(np.unique(year, return_counts=True)[1]) + 1
    reference = [f"EH-{y}-{s:06d}" for y, s in zip(year.tolist(), serial.tolist(), strict=True)]
    return Casework(
        person=person,
        programme=programme,
        lead=lead,
        team=team,
        referral=referral,
        decision=decision,
        allocation=allocation,
        start=start,
        end=end,
        level=level,
        level_close=np.full(n, -1),
        closure=np.full(n, -1),
        step_down=np.full(n, -1),
        step_up_referral=np.full(n, -1),
        reference=reference,
    )


def _allocation_of(
    allocations: Allocations, person: np.ndarray, lead: np.ndarray, day: np.ndarray, staff_count: int
) -> np.ndarray:
    """The lead allocation of each (child, practitioner) that began on or before the day (the latest), or -1."""
    rows = np.flatnonzero(allocations.kind == ALLOCATION_KINDS.index("lead"))
    shift = np.int64(1 << 21)
    pair = allocations.person[rows] * staff_count + allocations.practitioner[rows]
    key = pair * shift + allocations.start[rows] + (1 << 20)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    wanted_pair = person * staff_count + lead
    at = np.searchsorted(sorted_key, wanted_pair * shift + day + (1 << 20), side="right") - 1
    found = (at >= 0) & (sorted_key[np.maximum(at, 0)] // shift == wanted_pair)
    return np.where(found, rows[order[np.maximum(at, 0)]], -1)


def _programme(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    """A programme an earlier episode used, fitting the child's age; some episodes used none (-1)."""
    # POWER and the group programme were the early-help service's main offers (seeds 000 and 001).
    favoured = {"power": 14.0, GROUP_PROGRAMME: 4.0}
    weights = np.zeros((len(age), len(PROGRAMMES) + 1))
    for j, slug in enumerate(PROGRAMMES):
        low, high = dist.PROGRAMMES[slug].ages
        weights[:, j] = ((age >= low) & (age <= high)) * favoured.get(slug, 1.0)
    weights[:, -1] = 1.2
    chosen = arr.categorical_rows(rng, weights, np.arange(len(age)))
    return np.where(chosen == len(PROGRAMMES), -1, chosen)


def _close(rng: np.random.Generator, cw: Casework, dropped: np.ndarray, as_of: int) -> None:
    """How each closed episode ended, the level at close and where a stepped-down child went.

    A step up is a front-door referral, and the front door's records cover the last year: episodes that
    closed before then close for another reason. A family that left the group programme's course disengaged.
    """
    closed = cw.end >= 0
    n = len(cw.person)
    reason = arr.categorical(rng, np.array(list(CLOSURE_SHARE.values())), n)
    recent = (cw.end >= as_of - 360) & (cw.end <= as_of - 3)
    reason = np.where((reason == CLOSURES.index("stepped_up")) & ~recent, CLOSURES.index("needs_met"), reason)
    reason = np.where(dropped & closed, CLOSURES.index("disengaged"), reason)
    cw.closure = np.where(closed, reason, -1)
    after = {
        "needs_met": np.maximum(cw.level - 1, 1),
        "stepped_up": np.full(n, 4),
        "stepped_down": np.ones(n, dtype=np.int64),
        "disengaged": cw.level,
        "moved_away": cw.level,
        "other": np.maximum(cw.level - 1, 1),
    }
    level_close = np.select([cw.closure == CLOSURES.index(c) for c in after], list(after.values()), -1)
    cw.level_close = np.where(closed, level_close, -1)
    down = cw.closure == CLOSURES.index("stepped_down")
    cw.step_down = np.where(down, rng.integers(0, len(STEP_DOWN_TO), n), -1)


def _step_ups(
    rng: np.random.Generator,
    cw: Casework,
    pop: Population,
    org: Organisation,
    staff: Staff,
    fd: fdoor.FrontDoor,
    as_of: int,
) -> None:
    up = np.flatnonzero(cw.closure == CLOSURES.index("stepped_up"))
    social_care = org.locality_team["social_care"][org.team_locality[cw.team[up]]]
    concerns = [fdoor.REASONS.index(r) for r in ("neglect", "domestic_abuse", "exploitation", "behaviour")]
    reason = np.array(concerns)[rng.integers(0, len(concerns), len(up))]
    old = len(fd.person)
    where, decision_at = fdoor.add_step_ups(
        rng, fd, org, staff, cw.person[up], cw.end[up] - 1, cw.lead[up], social_care, cw.level[up], reason, as_of
    )
    cw.referral = np.where(cw.referral >= 0, where[np.maximum(cw.referral, 0)], -1)
    cw.decision = np.where(cw.decision >= 0, decision_at[np.maximum(cw.decision, 0)], -1)
    cw.step_up_referral[up] = where[old + np.arange(len(up))]


# -- who is involved ------------------------------------------------------------------------------------------


def _family(cw: Casework, pop: Population, relationships: Relationships) -> dict[str, np.ndarray]:
    episode, person, kind = fdoor.family_of(cw.person, pop, relationships)
    # A brother or sister can be related both ways round: each person once per episode.
    _, first = np.unique(episode * np.int64(pop.people) + person, return_index=True)
    first = np.sort(first)
    return {"episode": episode[first], "person": person[first], "kind": kind[first]}


def _team_around(
    rng: np.random.Generator,
    cw: Casework,
    pop: Population,
    services: Services,
    org: Organisation,
    staff: Staff,
    age: np.ndarray,
    until: np.ndarray,
    as_of: int,
) -> dict[str, np.ndarray]:
    """Practitioners from other agencies around each family: school, health, police, the voluntary sector."""
    n = len(cw.person)
    locality = org.team_locality[cw.team]
    school = services.school_of[cw.person]
    health_team = np.where(
        age < 5, org.locality_team["health_visiting"][locality], org.locality_team["school_nursing"][locality]
    )
    voluntary = org.voluntary_team[rng.integers(0, len(org.voluntary_team), n)]
    places = {
        "school_dsl": (school >= 0, 0.6, org.school_team[np.maximum(school, 0)], "school_dsl"),
        "health_practitioner": (np.ones(n, dtype=bool), 0.35, health_team, "health_practitioner"),
        "police_liaison": (age >= 10, 0.12, np.full(n, org.team["police"]), "police_liaison"),
        "voluntary": (age >= 8, 0.15, voluntary, "practitioner"),
    }
    parts = []
    for k, (allowed, share, team, role) in enumerate(places.values()):
        practitioner = fdoor._member(rng, staff, team, role)
        rows = np.flatnonzero(allowed & (rng.random(n) < share) & (practitioner >= 0))
        parts.append((rows, practitioner[rows], np.full(len(rows), k)))
    episode, practitioner, role_index = (np.concatenate([p[i] for p in parts]) for i in range(3))
    order = np.lexsort((role_index, episode))
    episode, practitioner, role_index = episode[order], practitioner[order], role_index[order]
    start = np.minimum(cw.start[episode] + rng.integers(0, 28, len(episode)), until[episode] - 1)
    return {
        "episode": episode,
        "practitioner": practitioner,
        "role": role_index,
        "start": np.maximum(start, cw.start[episode]),
        "end": cw.end[episode],
    }


# -- the group programme's courses ----------------------------------------------------------------------------


def _cohorts(
    rng: np.random.Generator, cw: Casework, org: Organisation, staff: Staff, until: np.ndarray, as_of: int
) -> np.ndarray:
    """Courses of the group programme: each locality team starts one every four to eight weeks, on a Tuesday, of
    eight weekly sessions; a child joins the first course starting at least three days into the episode. Children
    drop out (a share at random, and those whose episode ends before the course does); returns, for each
    episode, whether the child dropped out of a course that has ended (their episode closes as disengaged)."""
    n = len(cw.person)
    on_course = cw.programme == PROGRAMMES.index(GROUP_PROGRAMME)
    # Teams share courses where a team alone would have too few children for a group: each area (one team or
    # several) starts a course often enough that about COURSE_SIZE children start each, every four to eight weeks.
    teams = len(org.team_name)
    per_day = np.bincount(cw.team[on_course & (cw.start >= as_of - 730)], minlength=teams) / 730
    busy = np.flatnonzero(per_day > 0)
    areas = int(np.clip(round(per_day.sum() * 42 / COURSE_SIZE), 1, max(len(busy), 1)))
    area_of = np.zeros(teams, dtype=np.int64)
    area_of[busy[np.argsort(-per_day[busy], kind="stable")]] = np.arange(len(busy)) % areas
    area_rate = np.bincount(area_of, weights=per_day, minlength=areas)
    every = np.clip(7 * np.round(COURSE_SIZE / np.maximum(area_rate, 1e-9) / 7), 28, 56).astype(np.int64)
    area = area_of[cw.team]
    anchor = 5  # 1970-01-06, a Tuesday
    earliest = cw.start + 3
    course_start = earliest + (anchor - earliest) % every[area]
    member = np.flatnonzero(on_course & (course_start + 21 < until))  # a family closing sooner never joins
    keys, cohort_of = np.unique(area[member] * 100_000 + course_start[member], return_inverse=True)
    start = keys % 100_000
    first_member = np.full(len(keys), len(member))
    np.minimum.at(first_member, cohort_of, np.arange(len(member)))
    team = cw.team[member[first_member]]  # the course is run by the team of its first child
    c = len(keys)
    number = np.arange(COURSE_SESSIONS)
    session_day = start[:, None] + 7 * number[None, :]
    held = session_day < as_of
    last = session_day[:, -1]
    # Drop-out: the session a child stopped coming at (COURSE_SESSIONS if they stayed to the end).
    stop = np.full(len(member), COURSE_SESSIONS)
    quits = rng.random(len(member)) < COURSE_DROP_OUT
    stop = np.where(quits, rng.integers(1, COURSE_SESSIONS, len(member)), stop)
    ended_first = (session_day[cohort_of] >= until[member][:, None]).argmax(axis=1)
    ends_before = session_day[cohort_of, -1] >= until[member]
    stop = np.where(ends_before, np.minimum(stop, np.maximum(ended_first, 1)), stop)
    left = np.where(stop < COURSE_SESSIONS, session_day[cohort_of, np.minimum(stop, COURSE_SESSIONS - 1)], -1)
    left = np.where(left >= as_of, -1, np.minimum(left, until[member]))
    # Attendance at each session held while the child still came.
    m_rows = np.repeat(np.arange(len(member)), COURSE_SESSIONS)
    k = np.tile(number, len(member))
    came = (k < stop[m_rows]) & held[cohort_of[m_rows], k]
    m_rows, k = m_rows[came], k[came]
    attended = rng.random(len(k)) < 0.88
    # Facilitators: an early-help practitioner of the team and someone from a school, health or the voluntary sector.
    locality = org.team_locality[team]
    partner_team = np.where(
        rng.random(c) < 0.5,
        org.locality_team["school_nursing"][locality],
        org.voluntary_team[rng.integers(0, len(org.voluntary_team), c)],
    )
    own = fdoor._member(rng, staff, team, "practitioner")
    partner = np.where(partner_team >= 0, fdoor._member(rng, staff, partner_team, "health_practitioner"), -1)
    partner = np.where(partner >= 0, partner, fdoor._member(rng, staff, partner_team, "practitioner"))
    fac_cohort = np.concatenate([np.arange(c), np.arange(c)])
    fac_practitioner = np.concatenate([own, partner])
    keep = fac_practitioner >= 0
    order = np.lexsort((fac_practitioner[keep], fac_cohort[keep]))
    places = locality_names()
    month = arr.calendar(start)
    venue = rng.integers(0, len(VENUES), c)
    cw.tables["cohorts"] = {
        "team": team,
        "start": start,
        "end": np.where(last < as_of, last + 1, -1),
        "name": np.array(
            [
                f"Strengthening Families, {places[loc]}, {y}-{mo:02d}"
                for loc, y, mo in zip(locality, month[0], month[1], strict=True)
            ],
            dtype=object,
        ),
        "venue": np.array([f"{places[loc]} {VENUES[v]}" for loc, v in zip(locality, venue, strict=True)], dtype=object),
    }
    cw.tables["cohort_facilitators"] = {
        "cohort": fac_cohort[keep][order],
        "practitioner": fac_practitioner[keep][order],
    }
    cw.tables["cohort_members"] = {"cohort": cohort_of, "episode": member, "joined": start[cohort_of], "left": left}
    s_cohort = np.repeat(np.arange(c), COURSE_SESSIONS)
    s_number = np.tile(number, c)
    s_held = held.ravel()
    cw.tables["cohort_sessions"] = {
        "cohort": s_cohort[s_held],
        "number": s_number[s_held] + 1,
        "day": session_day.ravel()[s_held],
    }
    cw.tables["cohort_attendance"] = {
        "cohort": cohort_of[m_rows],
        "number": k + 1,
        "episode": member[m_rows],
        "attended": attended,
    }
    finished = last[cohort_of] < as_of
    stayed = (left < 0)[finished]
    cw.truth["retention"] = {
        GROUP_PROGRAMME: {
            "planted_drop_out": COURSE_DROP_OUT,
            "courses_finished": int(np.unique(cohort_of[finished]).size),
            "children_on_finished_courses": int(finished.sum()),
            "realised_retention": round(float(stayed.mean()), 4) if finished.any() else None,
            "how": "each locality team starts a course of 8 weekly sessions every 4 to 8 weeks; a child joins the "
            "first starting at least 3 days into the episode; a share drop out at random, and a child whose "
            "episode ends before the course does leaves then",
        }
    }
    dropped = np.zeros(n, dtype=bool)
    dropped[member[(left >= 0) & finished]] = True
    return dropped


# -- assessment, plan, goals, reviews ---------------------------------------------------------------------------


def _assessments(rng: np.random.Generator, cw: Casework, until: np.ndarray) -> None:
    n = len(cw.person)
    first = cw.start + rng.integers(7, 36, n)
    has = first < until
    again = first + rng.integers(90, 121, n)
    has_again = has & (again < until) & (rng.random(n) < 0.5)
    episode = np.concatenate([np.flatnonzero(has), np.flatnonzero(has_again)])
    day = np.concatenate([first[has], again[has_again]])
    order = np.lexsort((day, episode))
    episode, day = episode[order], day[order]
    a = len(episode)
    previous = np.where(np.r_[False, episode[1:] == episode[:-1]], np.arange(a) - 1, -1)
    # Concern in each domain: higher at level 3, lower at re-assessment.
    base = (cw.level[episode] - 2)[:, None] * 0.8 + 1.0 - (previous >= 0)[:, None] * 0.7
    concern = np.clip(np.round(base + rng.normal(0, 0.7, (a, len(DOMAINS)))), 0, 3).astype(np.int64)
    domain_rows = np.repeat(np.arange(a), len(DOMAINS))
    domain = np.tile(np.arange(len(DOMAINS)), a)
    flat = concern.ravel()
    # The areas that need work: none with no concern, one with some, two otherwise (of the domain's areas).
    lookup: list[str] = []
    offset = np.zeros(len(DOMAINS), dtype=np.int64)
    sizes = np.zeros(len(DOMAINS), dtype=np.int64)
    for d, name in enumerate(DOMAINS):
        codes = [code for code, _ in vocab.ASSESSMENT_AREA[name]]
        offset[d], sizes[d] = len(lookup), len(codes)
        lookup += ["", *codes, *(";".join(sorted({x, y})) for x in codes for y in codes)]
    size = sizes[domain]
    i = (rng.random(len(flat)) * size).astype(np.int64)
    j = (i + 1 + (rng.random(len(flat)) * (size - 1)).astype(np.int64)) % size
    at = np.select([flat == 0, flat == 1], [0, 1 + i], 1 + size + i * size + j)
    areas = arr.pick(lookup, offset[domain] + at)
    cw.tables["assessments"] = {
        "episode": episode,
        "previous": previous,
        "day": day,
        "child_words": rng.integers(0, len(CHILD_WORDS), a),
        "parent_words": rng.integers(0, len(PARENT_WORDS), a),
        "summary": rng.integers(0, len(SUMMARIES), a),
        "level": np.where(previous >= 0, np.maximum(cw.level[episode] - 1, 1), cw.level[episode]),
    }
    cw.tables["assessment_domains"] = {
        "assessment": domain_rows,
        "domain": domain,
        "concern": flat,
        "strength": rng.integers(0, 3, len(flat)),
        "need": np.where(flat > 0, rng.integers(0, 3, len(flat)), -1),
        "areas": areas,
    }


def _plans(
    rng: np.random.Generator,
    cw: Casework,
    age: np.ndarray,
    until: np.ndarray,
    latent: dict[str, np.ndarray],
    planned_end: np.ndarray,
    as_of: int,
) -> None:
    """A plan after the first assessment, reviewed every few weeks (a share of open plans overdue), with two or
    three goals rated 0-10 when agreed, at each review and at the close: ratings rise with the child's progress."""
    assessments = cw.tables["assessments"]
    firsts = np.flatnonzero(assessments["previous"] < 0)
    episode = assessments["episode"][firsts]
    agreed = assessments["day"][firsts] + rng.integers(0, 15, len(firsts))
    ok = agreed < until[episode]
    firsts, episode, agreed = firsts[ok], episode[ok], agreed[ok]
    p = len(episode)
    weeks = np.array([4, 6, 8, 12])[arr.categorical(rng, np.array([0.2, 0.45, 0.25, 0.1]), p)]
    step = weeks * 7
    due = np.minimum((until[episode] - 1 - agreed) // step, 10)  # reviews that fell due before the end
    open_episode = cw.end[episode] < 0
    overdue = open_episode & (due >= 1) & (rng.random(p) < 0.25)
    held = np.where(overdue, due - 1, due)
    next_due = agreed + (held + 1) * step
    r_plan = np.repeat(np.arange(p), held)
    r_k = arr.group_arange(held) + 1
    r_day = np.minimum(
        agreed[r_plan] + r_k * step[r_plan] + rng.integers(0, 6, len(r_plan)), until[episode[r_plan]] - 1
    )
    last = r_k == held[r_plan]
    r_next = np.where(last & ~open_episode[r_plan], -1, r_day + step[r_plan])
    cw.tables["plans"] = {
        "episode": episode,
        "assessment": firsts,
        "agreed": agreed,
        "weeks": weeks,
        "next_due": next_due,
        "child_views": rng.integers(0, len(PLAN_CHILD_VIEWS), p),
        "family_views": rng.integers(0, len(PLAN_FAMILY_VIEWS), p),
    }
    cw.tables["reviews"] = {
        "episode": episode[r_plan],
        "day": r_day,
        "next_due": r_next,
        "child_views": rng.integers(0, len(REVIEW_CHILD_VIEWS), len(r_plan)),
        "family_views": rng.integers(0, len(REVIEW_FAMILY_VIEWS), len(r_plan)),
        "summary": rng.integers(0, len(REVIEW_SUMMARIES), len(r_plan)),
    }
    # Goals.
    count = 2 + (rng.random(p) < 0.5)
    g_plan = np.repeat(np.arange(p), count)
    g_k = arr.group_arange(count)
    g_text = (rng.integers(0, len(GOALS), p)[g_plan] + g_k * 3) % len(GOALS)
    g_episode = episode[g_plan]
    with_child = (age[g_episode] >= 8) & (rng.random(len(g_plan)) < 0.5)
    # Rated when agreed, at each review and, for a closed episode, at the close.
    events = np.concatenate([np.arange(p), r_plan, np.flatnonzero(~open_episode)])
    e_day = np.concatenate([agreed, r_day, until[episode[~open_episode]] - 1])
    order = np.lexsort((e_day, events))
    events, e_day = events[order], e_day[order]
    per_plan = np.bincount(events, minlength=p)
    first_event = arr.group_starts(per_plan)
    g_events = per_plan[g_plan]
    rating_goal = np.repeat(np.arange(len(g_plan)), g_events)
    at = first_event[g_plan][rating_goal] + arr.group_arange(g_events)
    rated_on = e_day[at]
    plan_of = g_plan[rating_goal]
    span = np.maximum(np.maximum(planned_end, until)[episode[plan_of]] - agreed[plan_of], 1)
    progress = (rated_on - agreed[plan_of]) / span
    improvement = latent["entry"] - latent["exit"]  # positive: the child got better
    gain = 3.0 + 8.0 * improvement[episode[plan_of]]
    baseline = rng.integers(1, 5, len(g_plan))[rating_goal]
    rating = np.clip(np.round(baseline + gain * progress + rng.normal(0, 0.8, len(rating_goal))), 0, 10)
    rating = np.where(progress == 0, baseline, rating).astype(np.int64)
    by = np.where(with_child[rating_goal], RATED_BY.index("child"), RATED_BY.index("parent"))
    by = np.where(rng.random(len(rating_goal)) < 0.15, RATED_BY.index("practitioner"), by)
    final = np.r_[rating_goal[1:] != rating_goal[:-1], True] if len(rating_goal) else np.zeros(0, dtype=bool)
    achieved = np.full(len(g_plan), -1)
    hit = final & (rating >= 8) & (cw.end[episode[plan_of]] >= 0)
    achieved[rating_goal[hit]] = rated_on[hit]
    cw.tables["goals"] = {
        "plan": g_plan,
        "text": g_text,
        "target": agreed[g_plan] + 84,
        "with": np.where(with_child, VOICES.index("child"), VOICES.index("parent")),
        "achieved": achieved,
    }
    cw.tables["goal_ratings"] = {"goal": rating_goal, "day": rated_on, "rating": rating, "by": by}


# -- sessions --------------------------------------------------------------------------------------------------

# Session types by programme: 1:1, family, group, in school.
_KINDS = {
    "power": (0.7, 0.0, 0.0, 0.3),
    "more-than-mentors": (0.8, 0.0, 0.0, 0.2),
    "harmony-groups": (0.0, 0.4, 0.6, 0.0),
    GROUP_PROGRAMME: (0.0, 1.0, 0.0, 0.0),
    "": (0.4, 0.4, 0.0, 0.2),
}
_FAMILY_WORK = (0.3, 0.7, 0.0, 0.0)


def _sessions(rng: np.random.Generator, cw: Casework, until: np.ndarray, planned_end: np.ndarray) -> None:
    """Sessions spread over the planned length of each episode, those held before it ended or the as-of date;
    never more than the programme's session limit. The group programme's own sessions are its courses'."""
    n = len(cw.person)
    slugs = [PROGRAMMES[p] if p >= 0 else "" for p in cw.programme.tolist()]
    length = planned_end - cw.start
    limit = np.array([SESSION_LIMIT.get(s, 0) for s in slugs], dtype=np.int64)
    weekly = np.clip(np.round(length / 7 * 0.8), 4, 20).astype(np.int64)
    planned = np.where(limit > 0, limit - (rng.random(n) < 0.4) * rng.integers(1, 3, n), weekly)
    planned = np.where(cw.programme == PROGRAMMES.index(GROUP_PROGRAMME), rng.integers(2, 4, n), planned)
    rows = np.repeat(np.arange(n), planned)
    k = arr.group_arange(planned)
    gap = (length[rows] - 2) / planned[rows]
    day = cw.start[rows] + 1 + np.floor((k + 0.5) * gap).astype(np.int64) + rng.integers(-2, 3, len(rows))
    day = np.clip(day, cw.start[rows], None)
    keep = day < until[rows]
    # An open episode's first session planned after the as-of date is the one booked next.
    later = ~keep & (cw.end[rows] < 0)
    booked, on = rows[later], day[later]
    latest_first = np.argsort(-on, kind="stable")
    cw.next_session = np.full(n, -1, dtype=np.int64)
    cw.next_session[booked[latest_first]] = on[latest_first]  # the earliest is assigned last, so it stays
    rows, day = rows[keep], day[keep]
    order = np.lexsort((day, rows))
    rows, day = rows[order], day[order]
    table = np.array([_KINDS.get(s, _FAMILY_WORK) for s in slugs], dtype=float).reshape(n, len(SESSION_TYPES))
    kind = arr.categorical_rows(rng, table, rows)
    disengaged = cw.closure[rows] == CLOSURES.index("disengaged")
    shares = np.where(disengaged[:, None], DISENGAGED_ATTENDANCE, ATTENDANCE_SHARE)
    attendance = arr.categorical_rows(rng, shares, np.arange(len(rows)))
    held = attendance == 0
    minutes = np.where(kind == SESSION_TYPES.index("group"), 90, 30 + 5 * rng.integers(0, 13, len(rows)))
    first_note = np.cumsum([0] + [len(SESSION_NOTES[k_]) for k_ in SESSION_TYPES])[:-1]
    variant = (rng.random(len(rows)) * np.array([len(SESSION_NOTES[k_]) for k_ in SESSION_TYPES])[kind]).astype(
        np.int64
    )
    cw.tables["sessions"] = {
        "episode": rows,
        "day": day,
        "kind": kind,
        "attendance": attendance,
        "minutes": np.where(held, minutes, -1),
        "note": np.where(held, first_note[kind] + variant, len(HELD_NOTES) + attendance - 1),
    }


# -- closure feedback ------------------------------------------------------------------------------------------


def _feedback(rng: np.random.Generator, cw: Casework, age: np.ndarray) -> None:
    closed = cw.end >= 0
    positive = np.isin(cw.closure, [CLOSURES.index(c) for c in ("needs_met", "stepped_down")])
    gives = closed & (rng.random(len(cw.person)) < np.where(positive, 0.7, 0.25))
    episode = np.flatnonzero(gives)
    f = len(episode)
    by = np.where((age[episode] >= 8) & (rng.random(f) < 0.5), VOICES.index("child"), VOICES.index("parent"))
    helpfulness = np.where(positive[episode], 3 + rng.integers(0, 3, f), 1 + rng.integers(0, 5, f))
    consent = rng.random(f) < 0.5
    cw.tables["feedback"] = {
        "episode": episode,
        "by": by,
        "day": np.maximum(cw.end[episode] - 1 - rng.integers(0, 7, f), cw.start[episode]),
        "helpfulness": helpfulness,
        "helped": rng.integers(0, len(HELPED), f),
        "better": rng.integers(0, len(BETTER), f),
        "consent": consent,
        "quote": np.where(consent, rng.integers(0, len(QUOTES), f), -1),
    }


# -- SDQs ------------------------------------------------------------------------------------------------------


def _latent(rng: np.random.Generator, cw: Casework, n: int) -> dict[str, np.ndarray]:
    shift = np.array([LATENT_SHIFT[s] for s in PROGRAMMES] + [LATENT_SHIFT[""]])[cw.programme]
    entry = rng.normal(LATENT_ENTRY_MEAN, LATENT_ENTRY_SD, n)
    return {"entry": entry, "exit": entry + shift + rng.normal(0, CHANGE_SD, n)}


def _thresholds() -> tuple[np.ndarray, np.ndarray]:
    """Each item's first threshold (in latent units): spread within each subscale so items differ."""
    first = np.zeros(26)
    for items in SUBSCALES.values():
        first[list(items)] = np.linspace(-0.4, 1.0, 5)
    return first, first + SECOND_STEP


def expected_total(theta: np.ndarray) -> np.ndarray:
    """Expected SDQ total difficulties at each latent severity under the generator's item model."""
    first, second = _thresholds()
    items = np.array(DIFFICULTY_ITEMS)
    t = np.asarray(theta, dtype=float)[..., None]
    return (_logistic(SLOPE * (t - first[items])) + _logistic(SLOPE * (t - second[items]))).sum(axis=-1)


def planted_change(shift: float) -> float:
    """The expected change in total difficulties between entry and exit for a programme's latent shift."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(80)
    weights = weights / weights.sum()
    entry = expected_total(LATENT_ENTRY_MEAN + LATENT_ENTRY_SD * nodes) @ weights
    exit_sd = float(np.hypot(LATENT_ENTRY_SD, CHANGE_SD))
    exit_ = expected_total(LATENT_ENTRY_MEAN + shift + exit_sd * nodes) @ weights
    return float(exit_ - entry)


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _items(rng: np.random.Generator, theta: np.ndarray) -> np.ndarray:
    """Responses as ticked (0, 1, 2) to sdq1..sdq25, columns 0..24, from each latent severity."""
    first, second = _thresholds()
    number = np.arange(1, 26)
    prosocial = np.isin(number, SUBSCALES["prosocial"])
    # Prosocial behaviour is a strength: it runs the other way from severity.
    level = np.where(prosocial[None, :], -theta[:, None] + 0.8, theta[:, None])
    p1 = _logistic(SLOPE * (level - first[number][None, :]))
    p2 = _logistic(SLOPE * (level - second[number][None, :]))
    u = rng.random(p1.shape)
    scored = (u < p1).astype(np.int64) + (u < p2)
    reversed_ = np.isin(number, REVERSED)
    return np.where(reversed_[None, :], 2 - scored, scored)


def _questionnaires(
    rng: np.random.Generator,
    cw: Casework,
    pop: Population,
    services: Services,
    age: np.ndarray,
    until: np.ndarray,
    planned_end: np.ndarray,
    latent: dict[str, np.ndarray],
    as_of: int,
) -> None:
    """An SDQ at entry and, unless missing, at exit: from the parent for a child under 11 (the 2-4 version
    under 4), from the young person aged 11-17; for some school-age children from their teacher as well."""
    n = len(cw.person)
    entry_day = cw.start + rng.integers(0, 15, n)
    has_entry = (age >= 2) & (entry_day < until)
    closed = cw.end >= 0
    missing_p = np.array([EXIT_MISSING[c] for c in CLOSURES])[np.maximum(cw.closure, 0)]
    missing = rng.random(n) < missing_p
    exit_day = cw.end - 1 - rng.integers(0, 10, n)
    long_enough = exit_day >= entry_day + 21
    # An open episode past its planned length is ready to close: often the exit questionnaire is done.
    ready = ~closed & (planned_end <= as_of)
    ready_day = as_of - 1 - rng.integers(0, 14, n)
    has_exit = has_entry & (
        (closed & ~missing & long_enough) | (ready & (rng.random(n) < 0.6) & (ready_day >= entry_day + 21))
    )
    exit_day = np.where(closed, exit_day, ready_day)
    informant = np.where(age >= 11, INFORMANTS.index("self"), INFORMANTS.index("parent"))
    version = np.where(age >= 11, VERSIONS.index("11-17"), np.where(age < 4, VERSIONS.index("2-4"), 0))
    teacher = has_entry & (services.school_of[cw.person] >= 0) & (age >= 4) & (rng.random(n) < TEACHER_SHARE)
    parts = []
    for who, rows_mask, version_of in (
        ("main", has_entry, version),
        ("teacher", teacher, np.zeros(n, dtype=np.int64)),
    ):
        for point, mask, day in (("entry", rows_mask, entry_day), ("exit", rows_mask & has_exit, exit_day)):
            rows = np.flatnonzero(mask)
            theta = latent[point][rows]
            if who == "teacher":
                moved = (latent[point][rows] - latent["entry"][rows]) * TEACHER_CHANGE_FACTOR
                theta = latent["entry"][rows] + moved + rng.normal(0, TEACHER_NOISE_SD, len(rows))
            who_index = np.full(len(rows), INFORMANTS.index("teacher")) if who == "teacher" else informant[rows]
            parts.append(
                (rows, np.full(len(rows), TIMEPOINTS.index(point)), who_index, version_of[rows], day[rows], theta)
            )
    episode, timepoint, who_index, version_index, day, theta = (np.concatenate([p[i] for p in parts]) for i in range(6))
    order = np.lexsort((who_index, timepoint, episode))
    episode, timepoint, who_index, version_index, day, theta = (
        x[order] for x in (episode, timepoint, who_index, version_index, day, theta)
    )
    q = len(episode)
    items = _items(rng, theta)
    blank = rng.random(q) < ITEM_MISSING
    items[np.flatnonzero(blank), rng.integers(0, 25, int(blank.sum()))] = -1
    # Difficulties overall (0 no .. 3 severe) and, where there are any, their impact.
    difficulties = np.digitize(theta + rng.normal(0, 0.5, q), [0.0, 0.9, 1.8])
    impact = np.digitize(theta[:, None] - 0.6 + rng.normal(0, 0.6, (q, 5)), [0.0, 0.8, 1.6])
    impact = np.where(difficulties[:, None] > 0, impact, -1)
    teacher_form = who_index == INFORMANTS.index("teacher")
    impact[teacher_form[:, None] & ~np.isin(np.arange(5), TEACHER_IMPACT)[None, :]] = -1
    cw.tables["questionnaires"] = {
        "episode": episode,
        "person": cw.person[episode],
        "timepoint": timepoint,
        "informant": who_index,
        "version": version_index,
        "day": day,
        "items": items,
        "difficulties": difficulties,
        "impact": impact,
        "by_respondent": (who_index == INFORMANTS.index("self")) & (rng.random(q) < 0.5),
    }
    # The truth: each programme's planted change, and how much of it the data can show.
    main = ~teacher_form
    paired = np.zeros(n, dtype=bool)
    paired[episode[main & (timepoint == 1)]] = True
    programmes = {}
    for j, slug in [*enumerate(PROGRAMMES), (-1, "")]:
        mine = cw.programme == j
        programmes[slug or "none"] = {
            "latent_shift": LATENT_SHIFT[slug],
            "planted_mean_change_total_difficulties": round(planted_change(LATENT_SHIFT[slug]), 4),
            "episodes": int(mine.sum()),
            "paired_parent_or_self": int((mine & paired).sum()),
            "with_entry_parent_or_self": int((mine & has_entry).sum()),
        }
    closed_with_entry = closed & has_entry
    # Planted: missing by how the episode closed; and none when the episode was too short for a second one.
    chance = np.where(long_enough, missing_p, 1.0)
    expected = float(chance[closed_with_entry].mean()) if closed_with_entry.any() else 0.0
    cw.truth["sdq"] = {
        "how": (
            "latent severity at entry ~ Normal(mean, sd); at exit it moves by the programme's latent_shift plus "
            "Normal(0, change_sd). Items sdq1..sdq25 follow a graded response model: P(scored >= 1) = "
            "logistic(slope * (theta - b1)), P(scored = 2) = logistic(slope * (theta - b1 - second_step)), b1 "
            "spread from -0.4 to 1.0 within each subscale; prosocial items use 0.8 - theta; the five reverse-"
            "scored items are written as ticked (2 - scored). planted_mean_change_total_difficulties is the "
            "expected change in total difficulties (exit minus entry) for parent and self reports, by "
            "Gauss-Hermite quadrature. Whether an exit questionnaire is missing depends only on how the episode "
            "closed. Teachers' reports move by teacher_change_factor of the child's change, with extra noise."
        ),
        "latent_entry": {"mean": LATENT_ENTRY_MEAN, "sd": LATENT_ENTRY_SD},
        "change_sd": CHANGE_SD,
        "slope": SLOPE,
        "second_step": SECOND_STEP,
        "teacher_change_factor": TEACHER_CHANGE_FACTOR,
        "item_missing_share": ITEM_MISSING,
        "programmes": programmes,
        "missing_exit": {
            "probability_by_closure_reason": EXIT_MISSING,
            "also_missing": "when the episode closed too soon after the entry questionnaire for another (21 days)",
            "closed_episodes_with_entry": int(closed_with_entry.sum()),
            "expected_share": round(expected, 4),
            "realised_share": round(float(1 - has_exit[closed_with_entry].mean()), 4)
            if closed_with_entry.any()
            else None,
        },
    }
