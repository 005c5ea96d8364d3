"""A person's record: identity and addresses here, and the sections modules register (household,
relationships, agencies involved, and later referrals, episodes, measures, signals, concerns, panels).

A module adds its part of the record without editing people:

    @record_section("casework", title="Support", template="casework/record_section.html", order=60)
    def _episodes(ctx: RecordContext) -> EpisodesShown:
        ...                                   # what this viewer may read of this person's episodes

    @_episodes.export
    def _(shown: EpisodesShown) -> dict:     # the same, as plain data for the download
        ...

The page includes each section's template with `shown.data`; the download merges each section's
export. Both come from the same build, so the page and the download never disagree.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from continuum.agencies import access
from continuum.agencies.access import Viewer
from continuum.audit.services import AuditAction, audit_record
from continuum.people.models import Address, Person
from continuum.people.selectors.search import people_visible_to

if TYPE_CHECKING:
    from continuum.agencies.policy import Policy


@dataclass(frozen=True)
class RecordContext:
    """What a section is given to build its part of one viewer's view of one person's record."""

    viewer: Viewer
    person: Person
    categories: frozenset[str]
    policy: Policy

    def shows(self, category: str) -> bool:
        return category in self.categories

    def openable(self, person_ids: Iterable[Any]) -> set[Any]:
        """Which of these people the viewer may open too (one query), so the record links only to those."""
        wanted = set(person_ids) - {self.person.pk}
        if not wanted:
            return set()
        return set(people_visible_to(self.viewer).filter(pk__in=wanted).values_list("pk", flat=True))


Builder = Callable[[RecordContext], Any]
Exporter = Callable[[Any], dict[str, Any]]


@dataclass
class RecordSection:
    name: str
    title: str
    template: str
    order: int
    build: Builder
    category: str | None = None  # shown only to viewers who may read this category; None: the build decides
    exporter: Exporter | None = None

    def export(self, fn: Exporter) -> Exporter:
        """Decorate the function that turns this section's data into the download's keys."""
        self.exporter = fn
        return fn


_SECTIONS: dict[str, RecordSection] = {}


def record_section(
    name: str, *, title: str, template: str, order: int, category: str | None = None
) -> Callable[[Builder], RecordSection]:
    """Register a part of the person's record, built once per view for both the page and the download."""

    def register(build: Builder) -> RecordSection:
        if name in _SECTIONS and _SECTIONS[name].build is not build:
            raise ValueError(f"record section {name!r} is registered twice")
        section = RecordSection(name=name, title=title, template=template, order=order, build=build, category=category)
        _SECTIONS[name] = section
        return section

    return register


def record_sections() -> list[RecordSection]:
    """The registered sections in the order the record shows them."""
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.name))


@dataclass(frozen=True)
class RecordTab:
    """Another page of the same child's record (the multi-agency view, say): the record's tabs link to it.
    `url_name` takes the person's id as its one argument; the page it names checks access itself."""

    name: str
    title: str
    url_name: str
    order: int


_TABS: dict[str, RecordTab] = {}


def record_tab(name: str, *, title: str, url_name: str, order: int) -> RecordTab:
    """Register a tab of the person's record; the record's own page is the first tab."""
    tab = RecordTab(name=name, title=title, url_name=url_name, order=order)
    if _TABS.get(name, tab) != tab:
        raise ValueError(f"record tab {name!r} is registered twice")
    _TABS[name] = tab
    return tab


def record_tabs(person_id: Any, *, current: str = "record") -> list[dict[str, Any]]:
    """The record's tabs for one person, as links: [{"text", "href", "active"}], the record itself first."""
    tabs = [{"text": "Record", "href": reverse("people:record", args=[person_id]), "active": current == "record"}]
    for tab in sorted(_TABS.values(), key=lambda t: (t.order, t.name)):
        tabs.append({"text": tab.title, "href": reverse(tab.url_name, args=[person_id]), "active": current == tab.name})
    return tabs


@dataclass(frozen=True)
class ShownSection:
    section: RecordSection
    data: Any

    @property
    def export(self) -> dict[str, Any]:
        return self.section.exporter(self.data) if self.section.exporter else {}


@dataclass
class PersonRecord:
    """What one viewer may read of one person's record."""

    person: Person
    basis: access.Basis
    categories: frozenset[str]
    current_address: Address | None = None
    previous_addresses: list[Address] = field(default_factory=list)
    sections: list[ShownSection] = field(default_factory=list)

    def shows(self, category: str) -> bool:
        return category in self.categories

    def section(self, name: str) -> Any:
        """The data of one shown section, or None when it is not shown to this viewer."""
        return next((s.data for s in self.sections if s.section.name == name), None)

    def as_export(self) -> dict[str, Any]:
        """The record as plain data for a download, holding exactly what the page shows."""
        p = self.person
        out: dict[str, Any] = {
            "id": str(p.pk),
            "given_name": p.given_name,
            "middle_names": p.middle_names,
            "family_name": p.family_name,
            "known_as": p.known_as,
            "date_of_birth": iso(p.date_of_birth),
            "dob_approximate": p.dob_approximate,
            "sex": p.sex,
            "ethnicity": p.ethnicity,
            "first_language": p.first_language,
            "nhs_number": p.nhs_number,
            "addresses": [_address_data(a) for a in [self.current_address, *self.previous_addresses] if a],
        }
        for shown in self.sections:
            out.update(shown.export)
        return out


def iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _address_data(a: Address) -> dict[str, Any]:
    return {
        "address_line": a.address_line,
        "town": a.town,
        "postcode": a.postcode,
        "start_date": iso(a.start_date),
        "end_date": iso(a.end_date),
    }


def _record(viewer: Viewer, person: Person, basis: access.Basis) -> PersonRecord:
    categories = access.readable_categories(viewer)
    addresses = list(person.addresses.all())
    current = next((a for a in addresses if a.is_current()), None)
    record = PersonRecord(
        person=person,
        basis=basis,
        categories=categories,
        current_address=current,
        previous_addresses=[a for a in addresses if a is not current],
    )
    ctx = RecordContext(viewer=viewer, person=person, categories=categories, policy=access.policy())
    record.sections = [
        ShownSection(section, section.build(ctx))
        for section in record_sections()
        if section.category is None or section.category in categories
    ]
    return record


def _opened(viewer: Viewer, person_id: Any, *, action: str, attempted: str, detail: dict[str, Any]) -> PersonRecord:
    """Build the record the viewer may read and audit the read, or refuse (404) as access.person_or_404 does."""
    event = f"people.person_{attempted}"
    person, basis = access.person_or_404(viewer, person_id, attempted=attempted, event=event)
    with transaction.atomic():
        record = _record(viewer, person, basis)
        audit_record(
            actor=viewer,
            action=action,
            obj=person,
            event=event,
            purpose=basis.audit,
            detail={**detail, "categories": sorted(record.categories)},
        )
    return record


def person_record(*, viewer: Viewer, person_id: Any) -> PersonRecord:
    """Open a person's record: refused (404) unless the policy allows it; audited as a view."""
    return _opened(viewer, person_id, action=AuditAction.VIEW, attempted="view", detail={})


def person_export(*, viewer: Viewer, person_id: Any) -> dict[str, Any]:
    """A person's record as data for download: the same rules as viewing, audited as an export."""
    record = _opened(viewer, person_id, action=AuditAction.EXPORT, attempted="export", detail={"format": "json"})
    return {"exported_at": timezone.now().isoformat(), "basis": record.basis.shown, "record": record.as_export()}
