"""The questions of each questionnaire form, as item numbers and answer options: never the questionnaire's wording.

The SDQ is copyrighted (youthinmind, sdqinfo.org), so its items are shown as "Item 1" to "Item 25" beside the
paper form the child, parent or teacher holds; the answer options are the published response codes. A custom
index's questions come from its definition.

A form is named by a code in its URL: `sdq-parent-4-17`, `sdq-teacher-2-4`, `sdq-self-11-17`, or
`index-<slug>` for a custom index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from continuum import vocabulary as v

SDQ_FORMS = {"parent": ("4-17", "2-4"), "teacher": ("4-17", "2-4"), "self": ("11-17",)}
ITEM_OPTIONS = ((0, "Not true"), (1, "Somewhat true"), (2, "Certainly true"))
DIFFICULTY_OPTIONS = ((0, "No"), (1, "Yes, minor difficulties"), (2, "Yes, definite difficulties"), (3, "Yes, severe"))
IMPACT_OPTIONS = ((0, "Not at all"), (1, "Only a little"), (2, "Quite a lot"), (3, "A great deal"))
# The areas the impact supplement asks about, by informant (the teacher's form asks about three).
IMPACT_AREAS = {
    "distress": "Upset or distressed",
    "home": "Home life",
    "friends": "Friendships",
    "classroom": "Classroom learning",
    "leisure": "Leisure activities",
}
IMPACT_BY_INFORMANT = {
    "parent": ("distress", "home", "friends", "classroom", "leisure"),
    "teacher": ("distress", "friends", "classroom"),
    "self": ("distress", "home", "friends", "classroom", "leisure"),
}
INFORMANT_NAMES = dict(v.INFORMANT)


@dataclass(frozen=True)
class Question:
    name: str  # the key in Questionnaire.responses: sdq1, difficulties, impact_home, or an index's item id
    label: str
    options: tuple[tuple[int, str], ...]
    required: bool = False
    section: str = ""


@dataclass(frozen=True)
class FormSpec:
    code: str
    title: str
    measure_slug: str
    informant: str
    version: str
    questions: tuple[Question, ...]
    index_definition: Any = None  # the parsed IndexDefinition of a custom index


def sdq_code(informant: str, version: str) -> str:
    return f"sdq-{informant}-{version}"


def sdq_form(informant: str, version: str) -> FormSpec:
    items = tuple(Question(f"sdq{n}", f"Item {n}", ITEM_OPTIONS, section="The 25 items") for n in range(1, 26))
    difficulties = Question(
        "difficulties",
        "Overall: difficulties (first question on the back of the form)",
        DIFFICULTY_OPTIONS,
        section="Impact supplement",
    )
    impact = tuple(
        Question(f"impact_{key}", f"Impact: {IMPACT_AREAS[key].lower()}", IMPACT_OPTIONS, section="Impact supplement")
        for key in IMPACT_BY_INFORMANT[informant]
    )
    who = INFORMANT_NAMES[informant].lower()
    return FormSpec(
        code=sdq_code(informant, version),
        title=f"SDQ, {version} version, completed by the {who}"
        if informant != "self"
        else f"SDQ self-report, {version}",
        measure_slug="sdq",
        informant=informant,
        version=version,
        questions=(*items, difficulties, *impact),
    )


def sdq_codes() -> list[tuple[str, str]]:
    """Every published SDQ form, as (code, title)."""
    return [(sdq_code(i, ver), sdq_form(i, ver).title) for i, versions in SDQ_FORMS.items() for ver in versions]


def parse_sdq_code(code: str) -> tuple[str, str] | None:
    """(informant, version) of an SDQ form code, or None if there is no such form."""
    for informant, versions in SDQ_FORMS.items():
        for version in versions:
            if code == sdq_code(informant, version):
                return informant, version
    return None


def index_code(informant: str, slug: str) -> str:
    return f"index-{informant}-{slug}"


def parse_index_code(code: str) -> tuple[str, str] | None:
    """(informant, measure slug) of a custom index's form code, or None."""
    parts = code.split("-", 2)
    if len(parts) != 3 or parts[0] != "index" or parts[1] not in INFORMANT_NAMES or not parts[2]:
        return None
    return parts[1], parts[2]


def index_form(*, slug: str, name: str, informant: str, definition: Any) -> FormSpec:
    """A custom index's form from its checked definition (`continuum.analytics.indices.IndexDefinition`): its own
    items, each with the answers its range allows."""
    labels: dict[str, str] = {}
    for domain in definition.domains:
        for key in domain.items:
            labels.setdefault(key, domain.label)
    questions = tuple(
        Question(
            key,
            item.label,
            tuple((n, str(n)) for n in range(item.min, item.max + 1)),
            section=labels.get(key, ""),
        )
        for key, item in definition.items.items()
    )
    who = INFORMANT_NAMES[informant].lower()
    return FormSpec(
        code=index_code(informant, slug),
        title=f"{name}, completed by the {who}" if informant != "self" else f"{name}, completed by the young person",
        measure_slug=slug,
        informant=informant,
        version="",
        questions=questions,
        index_definition=definition,
    )
