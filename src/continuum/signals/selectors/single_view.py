"""A child's single multi-agency view: what every agency knows, on one page, as far as the viewer may read it.

    view = single_view(viewer=user, person_id=pk, agency="police", kind="")

- The timeline, newest first: the agency feeds' events of every feed record linkage placed with the child (each
  naming the feed and agency that sent it, and the linkage behind it), and the platform's own events (involvements,
  referrals, episodes of support). An event is shown only where an information-sharing rule lets the viewer read its
  category (`policy.category_of_event`); otherwise the page names the agency and whom to contact, never what
  happened, when, or how often.
- Who is working with the child now, with their contact details (involvements, allocations, episodes, referrals).
- The record's own sections (agencies involved, family and relationships), built with the same context as the
  record, and the indicators' and concerns' parts (signals.selectors.indicators and .concerns).

One fixed set of indexed queries whatever the county's size; the reads and their audit row in one transaction.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.access import Viewer
from continuum.agencies.selectors import agencies_for_feeds
from continuum.audit.services import AuditAction, audit_record
from continuum.casework.selectors import EpisodeForView, episodes_for_view
from continuum.frontdoor.selectors import ReferralForView, referrals_for_view
from continuum.linkage.selectors import linked_source_people
from continuum.people.selectors import RecordContext, ShownSection, record_sections
from continuum.signals.feeds.catalogue import FEEDS
from continuum.signals.models import SignalEvent
from continuum.signals.selectors.concerns import ConcernsShown, concerns_for_view
from continuum.signals.selectors.indicators import ShownIndicator, child_indicators

if TYPE_CHECKING:
    from continuum.agencies.models import Agency
    from continuum.people.models import Person

EVENT = "signals.single_view"

# The kind of agency that sends each feed: schools send attendance and suspensions (the school is found by the URN
# in the row); missing episodes are the council's missing children service's, part of children's social care.
FEED_AGENCY_KIND = {
    "attendance": "school",
    "suspensions": "school",
    "police": "police",
    "missing": "childrens_social_care",
    "health": "health",
    "youth_justice": "youth_justice",
    "ssda903": "childrens_social_care",
    "cin": "childrens_social_care",
}
# Whom to name when the agency is not in the platform's list of agencies.
FEED_AGENCY_FALLBACK = {
    "school": "The child's school",
    "police": "The police",
    "childrens_social_care": "Children's social care",
    "health": "The health trust",
    "youth_justice": "The youth justice service",
}

# Each kind of feed event: its label and the feed that sends it (from the catalogue).
FEED_EVENTS: dict[str, tuple[str, str]] = {
    table.event.kind: (table.event.label, feed.kind)
    for feed in FEEDS.values()
    for table in feed.tables
    if table.event is not None
}
# The platform's own events, filterable like the feeds'.
PLATFORM_EVENTS = {
    "involvement": "Involvement",
    "referral": "Referral to the front door",
    "episode": "Episode of support",
}
KIND_CHOICES: tuple[tuple[str, str], ...] = (
    *sorted(((kind, label) for kind, (label, _) in FEED_EVENTS.items()), key=lambda c: c[1]),
    *PLATFORM_EVENTS.items(),
)
AGENCY_CHOICES: tuple[tuple[str, str], ...] = tuple(v.AGENCY_KIND)

# How linkage placed a feed record with the child (linkage.Record.how), in words.
LINKED_HOW = {
    "auto": "linked automatically",
    "review": "linked by a reviewer",
    "merge": "moved here when two records were merged",
    "new": "the first record of this person",
    "person": "the platform's own record",
}


def kind_choices(categories: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The kinds of event a viewer who reads these categories may filter on (those they could be shown)."""
    readable = set(categories)
    policy = access.policy()
    return tuple(
        (k, label) for k, label in KIND_CHOICES if k in PLATFORM_EVENTS or policy.category_of_event(k) in readable
    )


class UnknownFilter(ValueError):
    """A filter value the view does not know (the page's form refuses it first, with an error summary)."""


@dataclass(frozen=True)
class Contact:
    """An agency working with the child, and whom to ask: nothing about what it does or holds."""

    agency: str
    name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class TimelineItem:
    on: datetime.date
    ended_on: datetime.date | None
    kind: str  # a feed event's kind, or involvement, referral, episode
    title: str  # "Police incident", "Involvement began"
    summary: str  # the event's values in words
    agency: str  # who sent or recorded it
    agency_kind: str
    source: str  # "Police incidents feed", "Recorded in Continuum"
    confidence: str = ""  # the linkage behind a feed event: "97.3% match probability, linked automatically"


@dataclass
class Worker:
    """A professional (or an agency, when nobody is named) working with the child now."""

    agency: str
    name: str = ""
    email: str = ""
    phone: str = ""
    roles: list[str] = field(default_factory=list)  # what they do, where the viewer may read it
    shared: bool = False  # False: the viewer may not read what this agency does, only whom to contact


@dataclass
class SingleView:
    person: Person
    basis: access.Basis
    ctx: RecordContext
    timeline: list[TimelineItem]
    withheld: list[Contact]  # agencies holding information the viewer may not read
    network: list[Worker]
    sections: dict[str, ShownSection]  # the record's own sections this page shows ("involvements", "relationships")
    indicators: list[ShownIndicator]
    concerns: ConcernsShown
    may_raise_concern: bool
    agency: str = ""
    kind: str = ""

    @property
    def filtered(self) -> bool:
        return bool(self.agency or self.kind)


def single_view(*, viewer: Viewer, person_id: Any, agency: str = "", kind: str = "") -> SingleView:
    """Open a child's single multi-agency view: refused (an audited 404) as the record is; audited as a view, in the
    same transaction as its reads. `agency` (a kind of agency) and `kind` (of event) filter the timeline."""
    if agency and agency not in dict(AGENCY_CHOICES):
        raise UnknownFilter(f"Unknown agency: {agency!r}")
    if kind and kind not in dict(KIND_CHOICES):
        raise UnknownFilter(f"Unknown kind of event: {kind!r}")
    person, basis = access.person_or_404(viewer, person_id, attempted="view", event=EVENT)
    with transaction.atomic():
        categories = access.readable_categories(viewer)
        ctx = RecordContext(viewer=viewer, person=person, categories=categories, policy=access.policy())
        sections = _sections(ctx, ("involvements", "allocations", "relationships"))
        referrals = referrals_for_view(person_id=person.pk)
        episodes = episodes_for_view(person_id=person.pk)
        network = _network(ctx, sections, referrals, episodes)
        feed_items, feed_withheld = _feed_events(ctx, person, network)
        shown_episodes = episodes if ctx.shows("early_help") else []
        timeline = feed_items + _platform_events(sections, referrals, shown_episodes)
        timeline.sort(key=lambda item: item.on, reverse=True)
        involvements = sections.get("involvements")
        withheld = _merge_contacts([*feed_withheld, *(involvements.data.withheld if involvements else [])])
        view = SingleView(
            person=person,
            basis=basis,
            ctx=ctx,
            timeline=[i for i in timeline if (not agency or i.agency_kind == agency) and (not kind or i.kind == kind)],
            withheld=withheld,
            network=network,
            sections={name: s for name, s in sections.items() if name != "allocations"},
            indicators=child_indicators(ctx),
            concerns=concerns_for_view(ctx),
            may_raise_concern=access.can_raise_concerns(viewer),
            agency=agency,
            kind=kind,
        )
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=person,
            event=EVENT,
            purpose=basis.audit,
            detail={"categories": sorted(categories), "agency": agency, "kind": kind},
        )
    return view


def _sections(ctx: RecordContext, names: Iterable[str]) -> dict[str, ShownSection]:
    """The record's own sections, built as the record builds them (the same rules, the same data)."""
    wanted = set(names)
    return {
        s.name: ShownSection(s, s.build(ctx))
        for s in record_sections()
        if s.name in wanted and (s.category is None or ctx.shows(s.category))
    }


# --- Who is working with the child now --------------------------------------------------------------------------


def _network(
    ctx: RecordContext,
    sections: Mapping[str, ShownSection],
    referrals: list[ReferralForView],
    episodes: list[EpisodeForView],
) -> list[Worker]:
    workers: dict[tuple[str, str], Worker] = {}

    def add(agency: str, name: str, email: str, phone: str, role: str | None) -> None:
        worker = workers.setdefault((agency, name), Worker(agency=agency, name=name, email=email, phone=phone))
        worker.email, worker.phone = worker.email or email, worker.phone or phone
        if role is not None:
            worker.shared = True
            if role not in worker.roles:
                worker.roles.append(role)

    involvements = sections.get("involvements")
    if involvements is not None:
        for i in involvements.data.shown:
            if not i.is_current():
                continue
            lead = i.lead_practitioner
            role = i.get_kind_display()
            if lead is not None:
                add(i.agency.name, lead.name, lead.email or i.agency.contact_email, i.agency.contact_phone, role)
            else:
                add(i.agency.name, "", i.agency.contact_email, i.agency.contact_phone, role)
        for c in involvements.data.withheld:
            add(c.agency, c.name, c.email, c.phone, None)
    allocations = sections.get("allocations")
    today = datetime.date.today()
    for a in allocations.data if allocations is not None else []:
        if a.end_date is not None and a.end_date < today:
            continue
        p = a.practitioner
        add(p.agency.name, p.name, p.email or p.agency.contact_email, p.agency.contact_phone, a.get_kind_display())
    early_help = ctx.shows("early_help")
    for e in episodes:
        if e.end_date is None:
            # Where early help is withheld, its workers are named with whom to contact, not what they do.
            lead = f"Lead practitioner: {e.programme}" if early_help else None
            add(e.lead.agency, e.lead.name, e.lead.email, e.lead.phone, lead)
            for m in e.team:
                add(m.agency, m.name, m.email, m.phone, f"Team around the family: {m.role}" if early_help else None)
    for r in referrals:
        if r.is_open:
            email = r.referrer_email or r.agency_email
            add(r.agency, r.referrer, email, r.agency_phone, f"Referred the child ({r.reference})")
    named = {agency for agency, name in workers if name}
    # An agency's general contact adds nothing where someone there is named.
    kept = [w for (agency, name), w in workers.items() if name or agency not in named]
    return sorted(kept, key=lambda w: (not w.shared, w.agency, w.name))


# --- The agency feeds' events ---------------------------------------------------------------------------------------


def _feed_events(ctx: RecordContext, person: Person, network: list[Worker]) -> tuple[list[TimelineItem], list[Contact]]:
    """The feeds' events of every record linked with the child: those the viewer may read, and the agencies of the
    rest (with whom to contact, nothing else)."""
    links = {
        source_id: (probability, how)
        for source_id, _person_id, probability, how in linked_source_people(person_ids=[person.pk])
    }
    if not links:
        return [], []
    rows = list(
        SignalEvent.objects.filter(source_person_id__in=list(links))
        .order_by("-occurred_on")
        .values_list("source_person_id", "feed", "kind", "occurred_on", "ended_on", "detail")
    )
    if not rows:
        return [], []
    urns = {_urn(detail) for _, feed, _, _, _, detail in rows if FEED_AGENCY_KIND.get(feed) == "school"}
    kinds = {FEED_AGENCY_KIND.get(feed, "") for _, feed, *_ in rows} - {"school", ""}
    agencies = agencies_for_feeds(kinds=kinds, urns=urns)
    shown, withheld = [], []
    for source_id, feed, kind, occurred, ended, detail in rows:
        sender = _sender(feed, _urn(detail), agencies)
        agency_kind = FEED_AGENCY_KIND.get(feed, "")
        if not ctx.shows(ctx.policy.category_of_event(kind)):
            withheld.append(_contact_at(sender, agency_kind, network))
            continue
        probability, how = links[source_id]
        label, _ = FEED_EVENTS.get(kind, (kind, feed))
        shown.append(
            TimelineItem(
                on=occurred,
                ended_on=ended,
                kind=kind,
                title=label,
                summary=summarise(kind, detail),
                agency=sender.name if sender is not None else _fallback(agency_kind, _urn(detail)),
                agency_kind=agency_kind,
                source=f"{FEEDS[feed].title} feed" if feed in FEEDS else feed,
                confidence=confidence(probability, how),
            )
        )
    return shown, withheld


def _urn(detail: Mapping[str, Any]) -> str:
    return str(detail.get("values", {}).get("school_urn", ""))


def _sender(feed: str, urn: str, agencies: list[Agency]) -> Agency | None:
    agency_kind = FEED_AGENCY_KIND.get(feed)
    if agency_kind == "school":
        return next((a for a in agencies if a.kind == "school" and a.urn == urn), None)
    return next((a for a in agencies if a.kind == agency_kind), None)


def _fallback(agency_kind: str, urn: str) -> str:
    name = FEED_AGENCY_FALLBACK.get(agency_kind, "The agency")
    return f"{name} (URN {urn})" if agency_kind == "school" and urn else name


def _contact_at(sender: Agency | None, agency_kind: str, network: list[Worker]) -> Contact:
    """Whom to contact at the agency that holds what the viewer may not read: someone there working with the child
    now, or the agency's own contact details."""
    if sender is None:
        return Contact(agency=_fallback(agency_kind, ""))
    named = next((w for w in network if w.agency == sender.name and w.name and w.email), None)
    if named is not None:
        return Contact(sender.name, named.name, named.email, named.phone or sender.contact_phone)
    return Contact(sender.name, "", sender.contact_email, sender.contact_phone)


def _merge_contacts(contacts: Iterable[Any]) -> list[Contact]:
    """One line per agency, preferring a named person to the agency's general contact."""
    best: dict[str, Contact] = {}
    for c in contacts:
        contact = Contact(c.agency, c.name, c.email, c.phone)
        if contact.agency not in best or (contact.name and not best[contact.agency].name):
            best[contact.agency] = contact
    return sorted(best.values(), key=lambda c: c.agency)


def confidence(probability: float | None, how: str) -> str:
    """The linkage behind a feed record, in words: "97.3% match probability, linked automatically"."""
    placed = LINKED_HOW.get(how, how)
    if probability is None:
        return f"No match probability recorded; {placed}"
    # Rounded down, so that a probability short of certainty never reads as 100%.
    return f"{math.floor(probability * 1000) / 10:.1f}% match probability, {placed}"


# --- The platform's own events --------------------------------------------------------------------------------------


def _platform_events(
    sections: Mapping[str, ShownSection], referrals: list[ReferralForView], episodes: list[EpisodeForView]
) -> list[TimelineItem]:
    items = []
    own = "Recorded in Continuum"
    involvements = sections.get("involvements")
    for i in involvements.data.shown if involvements is not None else []:
        what = i.get_kind_display()
        lead = f"; lead practitioner {i.lead_practitioner.name}" if i.lead_practitioner else ""
        items.append(
            TimelineItem(
                i.start_date, None, "involvement", "Involvement began", what + lead, i.agency.name, i.agency.kind, own
            )
        )
        if i.end_date is not None:
            items.append(
                TimelineItem(
                    i.end_date, None, "involvement", "Involvement ended", what, i.agency.name, i.agency.kind, own
                )
            )
    for r in referrals:
        summary = f"{r.reference}, made by {r.referrer}: {r.status.lower()}"
        items.append(
            TimelineItem(r.received_on, None, "referral", "Referral received", summary, r.agency, r.agency_kind, own)
        )
    for e in episodes:
        opened = f"{e.reference}: {e.programme}; lead practitioner {e.lead.name}"
        items.append(
            TimelineItem(
                e.start_date,
                None,
                "episode",
                "Episode of support opened",
                opened,
                e.lead.agency,
                e.lead.agency_kind,
                own,
            )
        )
        if e.end_date is not None:
            closed = f"{e.reference}: {e.closure.lower() or 'closed'}"
            items.append(
                TimelineItem(
                    e.end_date,
                    None,
                    "episode",
                    "Episode of support closed",
                    closed,
                    e.lead.agency,
                    e.lead.agency_kind,
                    own,
                )
            )
    return items


# --- An event's values in words -------------------------------------------------------------------------------------


def summarise(kind: str, detail: Mapping[str, Any]) -> str:
    """A short account of a feed event from its values and their codes' meanings ("Suspension (fixed-period
    exclusion): 2 sessions; persistent or general disruptive behaviour")."""
    values: Mapping[str, Any] = detail.get("values", {})
    meanings: Mapping[str, Any] = detail.get("meanings", {})
    parts = [p for p in _SUMMARIES.get(kind, _generic)(values, meanings) if p]
    return "; ".join(parts)


def _lower(text: Any) -> str:
    text = str(text or "")
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _yes(value: Any) -> bool:
    return value is True or str(value).upper() in ("Y", "TRUE", "1")


def _day(value: Any) -> str:
    try:
        day = datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return f"{day.day} {day:%B %Y}"


def _suspension(values: Mapping[str, Any], meanings: Mapping[str, Any]) -> list[str]:
    sessions = values.get("sessions")
    first = str(meanings.get("category", values.get("category", "")))
    if sessions:
        first += f": {sessions} session{'s' if str(sessions) != '1' else ''}"
    reasons = [_lower(meanings.get(r)) for r in ("reason", "reason_2", "reason_3") if meanings.get(r)]
    return [first, ", ".join(reasons)]


def _police(values: Mapping[str, Any], meanings: Mapping[str, Any]) -> list[str]:
    parts = [f"{meanings.get('incident_type', '')}: {_lower(meanings.get('role', ''))}".strip(": ")]
    if meanings.get("offence_group"):
        parts.append(_lower(meanings["offence_group"]))
    if _yes(values.get("arrested")):
        parts.append("arrested")
    if meanings.get("outcome"):
        parts.append(f"outcome: {_lower(meanings['outcome'])}")
    if _yes(values.get("da_notification")):
        parts.append("Operation Encompass notification sent to the school")
    return parts


def _missing(values: Mapping[str, Any], meanings: Mapping[str, Any]) -> list[str]:
    returned = f"returned {_day(values['returned_at'])}" if values.get("returned_at") else "not yet returned"
    return [
        meanings.get("missing_from", ""),
        _lower(meanings.get("risk", "")),
        returned,
        meanings.get("return_interview", ""),
    ]


def _ae(values: Mapping[str, Any], meanings: Mapping[str, Any]) -> list[str]:
    return [
        meanings.get("diagnosis_group", ""),
        "self-harm" if _yes(values.get("self_harm")) else "",
        _lower(meanings.get("arrival_mode", "")),
    ]


def _youth_justice(values: Mapping[str, Any], meanings: Mapping[str, Any]) -> list[str]:
    ends = f"ends {_day(values['end_date'])}" if values.get("end_date") else ""
    return [meanings.get("outcome", ""), _lower(meanings.get("offence_group", "")), ends]


def _cin_referral(values: Mapping[str, Any], meanings: Mapping[str, Any]) -> list[str]:
    return [
        f"Referred by {_lower(meanings['ReferralSource'])}" if meanings.get("ReferralSource") else "",
        f"need: {_lower(meanings['PrimaryNeedCode'])}" if meanings.get("PrimaryNeedCode") else "",
        "no further action" if _yes(values.get("ReferralNFA")) else "",
        f"closed: {_lower(meanings['ReasonForClosure'])}" if meanings.get("ReasonForClosure") else "",
    ]


def _cin_assessment(values: Mapping[str, Any], meanings: Mapping[str, Any]) -> list[str]:
    factors = [_lower(f) for f in meanings.get("AssessmentFactors", []) if f]
    return [f"Factors identified: {', '.join(factors)}" if factors else ""]


def _generic(values: Mapping[str, Any], meanings: Mapping[str, Any]) -> list[str]:
    """Every code's meaning, in the row's order (the SSDA903 and CIN returns)."""
    parts: list[str] = []
    for meaning in meanings.values():
        parts.extend(str(m) for m in (meaning if isinstance(meaning, list) else [meaning]) if m)
    return parts


_SUMMARIES = {
    "suspension": _suspension,
    "police_incident": _police,
    "missing_episode": _missing,
    "ae_attendance": _ae,
    "youth_justice_outcome": _youth_justice,
    "cin_referral": _cin_referral,
    "cin_assessment": _cin_assessment,
}
