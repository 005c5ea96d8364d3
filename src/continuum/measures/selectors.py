"""Reading questionnaires and programme outcomes."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.access import SystemActor, Viewer
from continuum.analytics.change import GBO_RELIABLE_CHANGE, SDQ_RELIABILITY, MeasureChange, Pair, measure_change
from continuum.audit.services import AuditAction, Subject, audit_record
from continuum.casework.selectors import goal_rating_changes, programme_activity, session_get, works_on
from continuum.disclosure import SMALL_NUMBER, CountRow, TableDiscloses, suppress, suppress_table
from continuum.measures import questions, scoring
from continuum.measures.models import Measure, Questionnaire
from continuum.programmes.selectors import programme_list


def timepoints_recorded(*, episode_ids: Iterable[Any]) -> dict[Any, set[str]]:
    """For each episode, the timepoints (entry, review, exit) at which any questionnaire was recorded: the
    caseload uses it to list the measures due. Not audited: it says only that a questionnaire exists."""
    recorded: dict[Any, set[str]] = defaultdict(set)
    rows = Questionnaire.objects.filter(episode_id__in=list(episode_ids)).values_list("episode_id", "timepoint")
    for episode_id, timepoint in rows.distinct():
        recorded[episode_id].add(timepoint)
    return dict(recorded)


def episode_questionnaires(*, episode_id: Any) -> list[Questionnaire]:
    """The questionnaires recorded in an episode, oldest first, for the episode's page. Not audited here: the
    caller has read the episode (`casework.selectors.episode_page`) and audited that read."""
    return list(Questionnaire.objects.filter(episode_id=episode_id).select_related("measure"))


def questionnaire_get(*, viewer: Viewer, questionnaire_id: Any) -> Questionnaire:
    """One questionnaire the viewer may read (through its child), its read audited; the same 404 otherwise."""
    questionnaire, basis = access.get_or_404(
        Questionnaire.objects.select_related("measure", "episode", "session"),
        viewer,
        attempted="view questionnaire",
        event="measures.questionnaire_view",
        pk=questionnaire_id,
    )
    with transaction.atomic():
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=questionnaire,
            event="measures.questionnaire_view",
            purpose=basis.audit,
        )
    return questionnaire


def questionnaire_exists_for(*, viewer: Viewer, questionnaire_id: Any) -> None:
    """The audited 404 unless the questionnaire exists and the viewer may open its child; nothing is read from it
    (the respondent's thank-you page shows no score), so nothing else is audited."""
    access.get_or_404(
        Questionnaire.objects.only("pk", "person_id"),
        viewer,
        attempted="view questionnaire",
        event="measures.questionnaire_view",
        pk=questionnaire_id,
    )


def may_enter_questionnaires(actor: Any, episode: Any) -> bool:
    """Whoever may record the episode's sessions may enter its questionnaires: its lead practitioner, the lead's
    team manager, or a current member of its team around the family (casework's rule, asked of casework)."""
    return works_on(actor, episode)


def questionnaire_session(*, viewer: Viewer, session_id: Any) -> Any:
    """The session a questionnaire is entered on: the audited 404 when the viewer may not open its child,
    PermissionDenied when they may but may not enter questionnaires. Not audited: the form shows nothing of the
    child's record, and recording the answers is audited."""
    session = session_get(viewer=viewer, session_id=session_id)
    if not may_enter_questionnaires(viewer, session.episode):
        raise PermissionDenied
    return session


def forms_offered() -> list[tuple[str, str]]:
    """Every questionnaire form that can be entered: the SDQ's published forms, then each active custom index
    for each informant, as (code, title)."""
    offered = questions.sdq_codes()
    for measure in Measure.objects.filter(kind=Measure.Kind.INDEX, active=True).order_by("name"):
        for informant, label in v.INFORMANT:
            offered.append((questions.index_code(informant, measure.slug), f"{measure.name}, {label.lower()}"))
    return offered


def form_spec(code: str) -> questions.FormSpec | None:
    """The questions of a form by its code, or None if there is no such form."""
    sdq = questions.parse_sdq_code(code)
    if sdq is not None:
        return questions.sdq_form(*sdq)
    index = questions.parse_index_code(code)
    if index is None:
        return None
    informant, slug = index
    measure = Measure.objects.filter(kind=Measure.Kind.INDEX, active=True, slug=slug).first()
    if measure is None:
        return None
    try:
        definition = scoring.index_definition(measure)
    except ValueError:
        return None
    return questions.index_form(slug=measure.slug, name=measure.name, informant=informant, definition=definition)


def measure_get(*, slug: str) -> Measure | None:
    """An active measure by its slug (measures hold no child's data)."""
    return Measure.objects.filter(slug=slug, active=True).first()


def measure_list(*, kind: str | None = None, active: bool = True) -> list[Measure]:
    measures = Measure.objects.all()
    if kind:
        measures = measures.filter(kind=kind)
    if active:
        measures = measures.filter(active=True)
    return list(measures.order_by("name"))


# ---------------------------------------------------------------------------------------------------------------
# The programme outcome report

SDQ_REPORTED = (
    ("total", "Total difficulties"),
    ("emotional", "Emotional symptoms"),
    ("conduct", "Conduct problems"),
    ("hyperactivity", "Hyperactivity and inattention"),
    ("peer", "Peer relationship problems"),
    ("prosocial", "Prosocial behaviour"),
)
HIGH_BANDS = frozenset({"high", "very_high"})
LOW_PROSOCIAL_BANDS = frozenset({"low", "very_low"})
TOO_FEW = (
    f"Too few children to show: fewer than {SMALL_NUMBER} have scores at both entry and exit, "
    "so nothing can be concluded and no figure is shown."
)


class UnknownProgramme(ValueError):
    """No programme with that slug."""


@dataclass(frozen=True)
class Coverage:
    """How many of the children who closed have both scores, only an entry score, or none (suppressed)."""

    rows: list[CountRow] | None  # None: too few to show without identifying someone


@dataclass(frozen=True)
class MeasureOutcome:
    key: str  # sdq_parent_total, gbo, index_<slug>_<score>
    group: str  # the heading it sits under: "SDQ, parent or carer", "Goal-based outcomes", an index's name
    title: str
    higher_is_better: bool
    coverage: list[CountRow] | None
    enough: bool  # at least SMALL_NUMBER paired: the figures below are shown
    change: MeasureChange | None  # None unless enough
    reliable: list[CountRow] | None  # improvement, no reliable change, deterioration (suppressed against paired)
    reliable_note: str
    started_high: CountRow | None
    left_high: list[CountRow] | None  # left the high bands, stayed (suppressed against started_high)
    summary: str  # in plain words

    def share(self, row: CountRow | None, of: int | None) -> str:
        if row is None or row.count is None or not of:
            return ""
        return f"{100 * row.count / of:.0f}%"


@dataclass(frozen=True)
class OutcomeReport:
    programme_slug: str
    programme_name: str
    start: datetime.date
    end: datetime.date
    children_started: CountRow
    children_closed: CountRow
    closure_reasons: list[CountRow] | None
    sessions: list[CountRow] | None
    sessions_total: int
    attendance_rate: str  # attended of those due to happen (attended + did not attend), or why not shown
    retention: list[CountRow] | None  # stayed to the end, left before (suppressed against started)
    retention_rate: str
    retention_target: int | None
    measures: list[MeasureOutcome]


def _table(rows: Sequence[tuple[str, int]], *, total: int | None) -> list[CountRow] | None:
    try:
        return suppress_table(rows, total=total)
    except TableDiscloses:
        return None


def programme_outcomes(
    *, viewer: Viewer, programme: str, start: datetime.date, end: datetime.date, export: bool = False
) -> OutcomeReport:
    """A programme's outcome report for a period (both days included): counts only, every count suppressed
    through `continuum.disclosure`, and no figure about fewer than five children. Audited as a view (or an
    export). Raises UnknownProgramme for a slug not in the catalogue."""
    access.require(_may_read(viewer))
    found = programme_list(active=False).filter(slug=programme).first()
    if found is None:
        raise UnknownProgramme(programme)
    with transaction.atomic():
        activity = programme_activity(viewer=viewer, programme_id=found.pk, start=start, end=end)
        episodes = {e.episode_id: e.person_id for e in activity.closed}
        questionnaires = list(
            Questionnaire.objects.filter(episode_id__in=list(episodes), timepoint__in=("entry", "exit"))
            .order_by("completed_on", "entered_at")
            .values_list("episode_id", "measure_id", "informant", "timepoint", "scores", "bands")
        )
        measures = {m.pk: m for m in Measure.objects.filter(pk__in={q[1] for q in questionnaires})}
        goals = goal_rating_changes(viewer=viewer, episode_ids=list(episodes))
        audit_record(
            actor=viewer,
            action=AuditAction.EXPORT if export else AuditAction.VIEW,
            obj=Subject("programme_outcomes", found.slug),
            event="measures.outcomes_export" if export else "measures.outcomes_view",
            purpose=f"Outcome report for {found.name} (small numbers suppressed)",
            detail={"programme": found.slug, "from": start.isoformat(), "to": end.isoformat()},
        )
    closed = activity.children_closed
    reasons = [(label, activity.closure_reasons.get(code, 0)) for code, label in v.CLOSURE_REASON]
    session_rows = [(label, activity.sessions.get(code, 0)) for code, label in v.SESSION_ATTENDANCE]
    sessions_total = sum(n for _, n in session_rows)
    sessions = _table(session_rows, total=sessions_total)
    retention = activity.retention
    kept = [("Stayed to the end", retention.stayed), ("Left before the end", retention.started - retention.stayed)]
    retained = _table(kept, total=retention.started) if retention.started else []
    return OutcomeReport(
        programme_slug=found.slug,
        programme_name=found.name,
        start=start,
        end=end,
        children_started=suppress("Children who started", activity.children_started),
        children_closed=suppress("Children whose episode closed", closed),
        closure_reasons=_table(reasons, total=closed),
        sessions=sessions,
        sessions_total=sessions_total,
        # A rate only from counts that are shown, or it would give a hidden count away.
        attendance_rate=_rate(sessions, part=0, of=(0, 1)),
        retention=retained,
        retention_rate=_rate(retained, part=0, of=(0, 1)),
        retention_target=found.retention_target,
        measures=_measures(episodes, questionnaires, measures, goals, closed),
    )


def _rate(rows: list[CountRow] | None, *, part: int, of: tuple[int, ...]) -> str:
    """rows[part] as a share of the rows `of`, when every one of them is shown and they are not nothing."""
    if not rows or any(rows[i].count is None for i in (part, *of)):
        return ""
    whole = sum(rows[i].count or 0 for i in of)
    return f"{100 * (rows[part].count or 0) / whole:.0f}%" if whole else ""


def _may_read(viewer: Any) -> bool:
    return isinstance(viewer, SystemActor) or access.can_see_aggregates(viewer)


def _measures(
    episodes: dict[Any, Any],
    questionnaires: list[tuple[Any, ...]],
    measures: dict[Any, Measure],
    goals: dict[Any, tuple[float, float | None]],
    closed: int,
) -> list[MeasureOutcome]:
    # (measure, informant) -> person -> {"entry": (scores, bands) of the first entry, "exit": of the last exit}
    found: dict[tuple[Any, str], dict[Any, dict[str, tuple[dict[str, Any], dict[str, Any]]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for episode_id, measure_id, informant, timepoint, scores, bands in questionnaires:
        person = episodes[episode_id]
        slot = found[(measure_id, informant)][person]
        if timepoint == "entry" and "entry" in slot:
            continue  # the first entry questionnaire counts; the last exit one
        slot[timepoint] = (scores or {}, bands or {})
    out: list[MeasureOutcome] = []
    informants = dict(v.INFORMANT)
    sdq = [m for m in measures.values() if m.kind == Measure.Kind.SDQ]
    for measure in sdq:
        for informant, _ in v.INFORMANT:
            people = found.get((measure.pk, informant))
            if not people:
                continue
            for score, title in SDQ_REPORTED:
                prosocial = score == "prosocial"
                out.append(
                    _outcome(
                        key=f"sdq_{informant}_{score}",
                        group=f"SDQ, {informants[informant].lower()}",
                        title=title,
                        pairs=_pairs(people, score),
                        closed=closed,
                        higher_is_better=prosocial,
                        reliability=SDQ_RELIABILITY.get((informant, score)),
                        high_bands=LOW_PROSOCIAL_BANDS if prosocial else HIGH_BANDS,
                        high_words="the low or very low bands" if prosocial else "the high or very high bands",
                    )
                )
    if goals:
        pairs = [Pair(str(person), first, last) for person, (first, last) in sorted(goals.items(), key=_by_key)]
        out.append(
            _outcome(
                key="gbo",
                group="Goal-based outcomes",
                title="Goals rated 0 to 10: the mean of each child's first and last ratings",
                pairs=pairs,
                closed=closed,
                higher_is_better=True,
                reliable_difference=GBO_RELIABLE_CHANGE,
            )
        )
    for measure in sorted((m for m in measures.values() if m.kind == Measure.Kind.INDEX), key=lambda m: m.name):
        out.extend(_index_outcomes(measure, found, closed))
    return out


def _by_key(item: tuple[Any, Any]) -> str:
    return str(item[0])


def _pairs(people: dict[Any, dict[str, tuple[dict[str, Any], dict[str, Any]]]], score: str) -> list[Pair]:
    pairs = []
    for person, slot in sorted(people.items(), key=_by_key):
        if "entry" not in slot or slot["entry"][0].get(score) is None:
            continue
        entry_scores, entry_bands = slot["entry"]
        exit_scores, exit_bands = slot.get("exit", ({}, {}))
        pairs.append(
            Pair(
                str(person),
                entry_scores[score],
                exit_scores.get(score),
                entry_bands.get(score),
                exit_bands.get(score) if exit_scores.get(score) is not None else None,
            )
        )
    return pairs


def _index_outcomes(
    measure: Measure, found: dict[tuple[Any, str], dict[Any, dict[str, Any]]], closed: int
) -> list[MeasureOutcome]:
    out = []
    try:
        definition = scoring.index_definition(measure)
    except ValueError:  # a definition changed by hand in the database since it was checked
        return []
    people: dict[Any, dict[str, Any]] = {}
    for (measure_id, _informant), by_person in found.items():
        if measure_id == measure.pk:
            for person, slot in by_person.items():
                people.setdefault(person, {}).update(slot)
    for score, title, higher_is_better, reliability in scoring.index_reported(definition):
        out.append(
            _outcome(
                key=f"index_{measure.slug}_{score}",
                group=measure.name,
                title=title,
                pairs=_pairs(people, score),
                closed=closed,
                higher_is_better=higher_is_better,
                reliability=reliability,
            )
        )
    return out


def _outcome(
    *,
    key: str,
    group: str,
    title: str,
    pairs: list[Pair],
    closed: int,
    higher_is_better: bool,
    reliability: float | None = None,
    reliable_difference: float | None = None,
    high_bands: frozenset[str] = HIGH_BANDS,
    high_words: str = "",
) -> MeasureOutcome:
    change = measure_change(
        pairs,
        higher_is_better=higher_is_better,
        reliability=reliability,
        reliable_difference=reliable_difference,
        high_bands=high_bands,
        minimum=SMALL_NUMBER,
    )
    coverage = _table(
        [
            ("Scores at entry and exit", change.paired),
            ("Entry score only: no exit score", change.missing_exit),
            ("No entry score on this form (another informant's form, or none)", max(closed - change.started, 0)),
        ],
        total=max(closed, change.started),
    )
    if change.too_few:
        return MeasureOutcome(key, group, title, higher_is_better, coverage, False, None, None, "", None, None, TOO_FEW)
    reliable = None
    if change.improved is not None and change.no_change is not None and change.deteriorated is not None:
        reliable = _table(
            [
                ("Reliable improvement", change.improved),
                ("No reliable change", change.no_change),
                ("Reliable deterioration", change.deteriorated),
            ],
            total=change.paired,
        )
    if reliable_difference is not None:
        note = f"A change of {reliable_difference:g} points or more is reliable (goal-based outcomes, as published)."
    elif change.reliable_difference is not None:
        note = (
            f"A change of more than {change.reliable_difference:.1f} points is reliable (Jacobson and Truax's reliable "
            f"change index, with the published reliability of {reliability:.2f})."
        )
    else:
        note = "No published reliability: reliable change is not worked out."
    started_high = (
        suppress(f"Started in {high_words}", change.started_high) if high_words and change.started_high else None
    )
    left_high = None
    if started_high is not None and started_high.count is not None and change.left_high is not None:
        assert change.started_high is not None
        left_high = _table(
            [
                (f"Left {high_words}", change.left_high),
                (f"Still in {high_words}, or no band at exit", change.started_high - change.left_high),
            ],
            total=change.started_high,
        )
    return MeasureOutcome(
        key,
        group,
        title,
        higher_is_better,
        coverage,
        True,
        change,
        reliable,
        note,
        started_high,
        left_high,
        _summary(change),
    )


def _summary(change: MeasureChange) -> str:
    """The result in plain words (with no count, so it discloses nothing the suppressed tables hide)."""
    assert change.mean_change is not None and change.ci_low is not None and change.ci_high is not None
    interval = f"95% confidence interval {change.ci_low:+.1f} to {change.ci_high:+.1f}"
    if change.ci_low > 0 or change.ci_high < 0:
        better = (change.mean_change > 0) == change.higher_is_better
        words = "improved" if better else "got worse"
        sentence = (
            f"On average scores {words} by {abs(change.mean_change):.1f} points ({interval}). The interval does not "
            "include no change, so chance alone is an unlikely explanation; without a comparison group this does "
            "not show that the help caused it."
        )
    else:
        sentence = (
            f"The average change ({change.mean_change:+.1f} points, {interval}) could be no change at all: these "
            "scores show no clear improvement or deterioration."
        )
    if change.missing_exit:
        sentence += " Children with no exit score are not counted, so the result may not hold for them."
    return sentence
