"""Reading people's records. Every function takes the viewer, applies the access policy and audits the read.

By concern: search (finding people), record (one person's record, built from registered sections),
break_glass (finding the child for emergency access), population (suppressed counts).
"""

from continuum.people.selectors.break_glass import break_glass_candidates
from continuum.people.selectors.matching import RecordToMatch, records_to_match
from continuum.people.selectors.population import (
    AGE_BANDS,
    NO_LOCALITY,
    NO_SCHOOL,
    CohortCell,
    PopulationSummary,
    population_summary,
    school_age_children,
    school_age_cohort,
)
from continuum.people.selectors.record import (
    PersonRecord,
    RecordContext,
    RecordSection,
    RecordTab,
    ShownSection,
    iso,
    person_export,
    person_record,
    record_section,
    record_sections,
    record_tab,
    record_tabs,
)
from continuum.people.selectors.search import (
    PAGE_SIZE,
    SEARCH_LIMIT,
    SearchCriteria,
    SearchResult,
    people_visible_to,
    person_search,
)

__all__ = [
    "AGE_BANDS",
    "NO_LOCALITY",
    "NO_SCHOOL",
    "PAGE_SIZE",
    "SEARCH_LIMIT",
    "CohortCell",
    "PersonRecord",
    "PopulationSummary",
    "RecordContext",
    "RecordSection",
    "RecordTab",
    "RecordToMatch",
    "SearchCriteria",
    "SearchResult",
    "ShownSection",
    "break_glass_candidates",
    "iso",
    "people_visible_to",
    "person_export",
    "person_record",
    "person_search",
    "population_summary",
    "record_section",
    "record_sections",
    "record_tab",
    "record_tabs",
    "records_to_match",
    "school_age_children",
    "school_age_cohort",
]
