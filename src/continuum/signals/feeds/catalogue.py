"""The catalogue of agency feeds: every feed Continuum loads, each table's columns, accepted codes, source key,
whom a row is about and the event a row is. docs/feeds/*.md are generated from these definitions
(`python -m continuum.signals.feeds.docs`), so the pages and the checker cannot disagree.

    from continuum.signals.feeds.catalogue import FEEDS
    table = FEEDS["ssda903"].recognise(header)      # the SSDA903 table a file holds, by its columns
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from continuum.signals.feeds import codes
from continuum.signals.feeds.spec import Column, Event, Feed, FeedTable, Person, RowCheck

# --- Columns that several feeds share ------------------------------------------------------------------------------

REF_LENGTH = 40  # a source's own identifiers (docs/feeds/index.md)


def _ref(name: str, description: str) -> Column:
    return Column(name, "ref", description, required=True, max_length=REF_LENGTH)


def _given_name() -> Column:
    return Column("given_name", "text", "The child's first name as the source records it.")


def _family_name() -> Column:
    return Column("family_name", "text", "The child's family name (surname) as the source records it.")


def _date_of_birth() -> Column:
    return Column("date_of_birth", "date", "The child's date of birth.")


def _sex() -> Column:
    return Column("sex", "code", "The child's sex as the source records it.", codes=codes.SEX)


def _postcode() -> Column:
    return Column(
        "postcode",
        "postcode",
        "The child's home postcode at the time. A retired postcode is accepted if it is a valid postcode in form.",
    )


def _person_ref(description: str) -> Column:
    return _ref("person_ref", description)


def _offence_group(description: str) -> Column:
    return Column("offence_group", "code", description, codes=codes.OFFENCE_GROUP)


# --- Row checks: one row's cells against each other ----------------------------------------------------------------


def _comparable(value: Any) -> Any:
    # Date-times may come with or without an offset; comparing the two kinds raises, so an offset-free reading is
    # compared with the other's local wall-clock time (both are the source's local times).
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def _not_before(end: str, start: str, start_label: str) -> RowCheck:
    """A row check: `end`, when given, is not before `start`."""

    def check(values: Mapping[str, Any]) -> tuple[str, str] | None:
        ended, started = values.get(end), values.get(start)
        if ended is None or started is None:
            return None
        mixed = isinstance(ended, datetime.datetime) and isinstance(started, datetime.datetime)
        if mixed and (ended.tzinfo is None) != (started.tzinfo is None):
            ended, started = _comparable(ended), _comparable(started)
        if ended < started:
            return end, f"is before {start_label} ({start})"
        return None

    check.__name__ = f"{end}_not_before_{start}"
    check.__doc__ = f"{end}, when given, is not before {start}."
    return check


def _sessions_for_suspensions(values: Mapping[str, Any]) -> tuple[str, str] | None:
    """sessions is given for a suspension or lunchtime suspension (the census records the sessions missed)."""
    if values.get("category") in codes.EXCLUSION_CATEGORIES_WITH_SESSIONS and values.get("sessions") is None:
        return "sessions", "is required for a suspension or lunchtime suspension (the number of sessions missed)"
    return None


# --- attendance -----------------------------------------------------------------------------------------------------

ATTENDANCE = Feed(
    kind="attendance",
    title="School attendance marks",
    description=(
        "One row per pupil per session (morning or afternoon) from the school's attendance register, as schools "
        "share it with the council. About 380 sessions a year for each pupil."
    ),
    standard=(
        "DfE, Working together to improve school attendance (statutory guidance, August 2024) and the School "
        "Attendance (Pupil Registration) (England) Regulations 2024: the national attendance and absence codes."
    ),
    tables=(
        FeedTable(
            name="attendance",
            description="One session mark for one pupil.",
            columns=(
                Column(
                    "upn",
                    "upn",
                    "The pupil's unique pupil number (13 characters). Identifies the pupil in this feed.",
                    required=True,
                ),
                _given_name(),
                _family_name(),
                _date_of_birth(),
                Column("school_urn", "urn", "The school's unique reference number (six digits).", required=True),
                Column("date", "date", "The school day the mark is for.", required=True),
                Column("session", "code", "Which session of the day.", required=True, codes=codes.SESSION),
                Column(
                    "code",
                    "code",
                    "The attendance or absence code in the register, exactly as entered (/ and \\ for present). An "
                    "approved educational activity away from the school counts as present.",
                    required=True,
                    codes=codes.ATTENDANCE,
                ),
            ),
            key=("school_urn", "upn", "date", "session"),
            person=Person(
                ref="upn",
                given_name="given_name",
                family_name="family_name",
                date_of_birth="date_of_birth",
                upn="upn",
                school_urn="school_urn",
            ),
            event=None,
        ),
    ),
)

# --- suspensions ----------------------------------------------------------------------------------------------------

SUSPENSIONS = Feed(
    kind="suspensions",
    title="Suspensions and permanent exclusions",
    description="Suspensions, lunchtime suspensions and permanent exclusions, as schools return them in the census.",
    standard=(
        "DfE, School census guide (suspensions and permanent exclusions module) and the Common Basic Data Set "
        "exclusion category and reason code sets."
    ),
    tables=(
        FeedTable(
            name="suspensions",
            description="One suspension or permanent exclusion of one pupil.",
            columns=(
                Column("upn", "upn", "The pupil's unique pupil number (13 characters).", required=True),
                _given_name(),
                _family_name(),
                _date_of_birth(),
                _sex(),
                Column(
                    "school_urn", "urn", "The excluding school's unique reference number (six digits).", required=True
                ),
                Column(
                    "category",
                    "code",
                    "Whether this is a suspension, a lunchtime suspension or a permanent exclusion.",
                    required=True,
                    codes=codes.EXCLUSION_CATEGORY,
                ),
                Column("start_date", "date", "The first day of the suspension or exclusion.", required=True),
                Column(
                    "sessions",
                    "integer",
                    "Sessions missed (two a day; a lunchtime counts as one). Required for suspensions and lunchtime "
                    "suspensions; may be blank for a permanent exclusion.",
                    minimum=1,
                    maximum=380,
                ),
                Column(
                    "reason",
                    "code",
                    "The main reason, as the school recorded it for the census.",
                    required=True,
                    codes=codes.EXCLUSION_REASON,
                ),
                Column(
                    "reason_2", "code", "A second reason, if the school recorded one.", codes=codes.EXCLUSION_REASON
                ),
                Column("reason_3", "code", "A third reason, if the school recorded one.", codes=codes.EXCLUSION_REASON),
            ),
            key=("school_urn", "upn", "start_date", "category"),
            person=Person(
                ref="upn",
                given_name="given_name",
                family_name="family_name",
                date_of_birth="date_of_birth",
                sex="sex",
                sex_codes={"M": "M", "F": "F", "U": "U"},
                upn="upn",
                school_urn="school_urn",
            ),
            event=Event(kind="suspension", label="Suspension or exclusion", occurred="start_date"),
            checks=(_sessions_for_suspensions,),
        ),
    ),
)

# --- police ---------------------------------------------------------------------------------------------------------

POLICE = Feed(
    kind="police",
    title="Police incidents",
    description=(
        "Incidents the police share about children: crimes and anti-social behaviour with the child's role, "
        "domestic abuse incidents where a child was present (with Operation Encompass notifications), and child "
        "concern notifications. One row per child per incident."
    ),
    standard=(
        "ONS, Crime in England and Wales user guide (offence groups of police recorded crime); Home Office, Crime "
        "outcomes in England and Wales (the outcomes framework, outcome types 1 to 22). Incident types and roles "
        "are Continuum's own codes."
    ),
    tables=(
        FeedTable(
            name="police",
            description="One child's part in one incident.",
            columns=(
                _ref("incident_ref", "The force's reference for the incident or crime."),
                _person_ref("The force's nominal reference for the child."),
                _given_name(),
                _family_name(),
                _date_of_birth(),
                _sex(),
                _postcode(),
                Column("occurred_on", "date", "The day the incident happened (or began).", required=True),
                Column(
                    "incident_type",
                    "code",
                    "What kind of record this is.",
                    required=True,
                    codes=codes.POLICE_INCIDENT_TYPE,
                ),
                Column("role", "code", "The child's part in the incident.", required=True, codes=codes.POLICE_ROLE),
                _offence_group("For a crime: the offence group of the most serious offence recorded."),
                Column("arrested", "boolean", "Whether the child was arrested (Y or N); blank if not recorded."),
                Column(
                    "outcome",
                    "code",
                    "For a crime: the Home Office outcome type assigned, once there is one.",
                    codes=codes.CRIME_OUTCOME,
                ),
                Column(
                    "da_notification",
                    "boolean",
                    "For a domestic abuse incident: whether an Operation Encompass notification was sent to the "
                    "child's school (Y or N).",
                ),
            ),
            key=("incident_ref", "person_ref"),
            person=Person(
                ref="person_ref",
                given_name="given_name",
                family_name="family_name",
                date_of_birth="date_of_birth",
                sex="sex",
                sex_codes={"M": "M", "F": "F", "U": "U"},
                postcode="postcode",
            ),
            event=Event(kind="police_incident", label="Police incident", occurred="occurred_on"),
        ),
    ),
)

# --- missing --------------------------------------------------------------------------------------------------------

MISSING = Feed(
    kind="missing",
    title="Missing episodes",
    description=(
        "Episodes of a child missing from home or from care, as the police and the council's missing children "
        "service record them, with the return interview offered afterwards."
    ),
    standard=(
        "DfE, Statutory guidance on children who run away or go missing from home or care (2014): episodes and "
        "return interviews. Risk gradings follow the police's missing persons risk assessment. The codes are "
        "Continuum's own."
    ),
    tables=(
        FeedTable(
            name="missing",
            description="One missing episode of one child.",
            columns=(
                _ref("episode_ref", "The source's reference for the missing episode."),
                _person_ref("The source's reference for the child."),
                _given_name(),
                _family_name(),
                _date_of_birth(),
                _sex(),
                _postcode(),
                Column(
                    "missing_from",
                    "code",
                    "Whether the child went missing from home or from care.",
                    required=True,
                    codes=codes.MISSING_FROM,
                ),
                Column("started_at", "datetime", "When the child was first missing.", required=True),
                Column(
                    "returned_at",
                    "datetime",
                    "When the child returned or was found; blank while the child is still missing. Not before "
                    "started_at.",
                ),
                Column(
                    "risk", "code", "The risk grading when the child was reported missing.", codes=codes.MISSING_RISK
                ),
                Column(
                    "return_interview",
                    "code",
                    "Whether an independent return interview was offered and taken up.",
                    codes=codes.RETURN_INTERVIEW,
                ),
                Column("return_interview_on", "date", "The day the return interview was held."),
            ),
            key=("episode_ref",),
            person=Person(
                ref="person_ref",
                given_name="given_name",
                family_name="family_name",
                date_of_birth="date_of_birth",
                sex="sex",
                sex_codes={"M": "M", "F": "F", "U": "U"},
                postcode="postcode",
            ),
            event=Event(kind="missing_episode", label="Missing episode", occurred="started_at", ended="returned_at"),
            checks=(_not_before("returned_at", "started_at", "the time the child went missing"),),
        ),
    ),
)

# --- health ---------------------------------------------------------------------------------------------------------

HEALTH = Feed(
    kind="health",
    title="A&E attendances",
    description="Children's attendances at emergency departments, as the hospital trust shares them.",
    standard=(
        "NHS England, Emergency Care Data Set (ECDS): arrival modes and diagnoses, grouped into Continuum's own "
        "broad codes. NHS numbers carry the NHS modulus 11 check digit."
    ),
    tables=(
        FeedTable(
            name="health",
            description="One attendance at an emergency department.",
            columns=(
                _ref("attendance_ref", "The hospital's reference for the attendance."),
                _person_ref("The hospital's local patient number for the child."),
                Column("nhs_number", "nhs_number", "The child's NHS number (10 digits), if the hospital has it."),
                _given_name(),
                _family_name(),
                _date_of_birth(),
                _sex(),
                _postcode(),
                Column("site", "text", "The ODS code of the hospital site the child attended.", max_length=10),
                Column("arrived_at", "datetime", "When the child arrived at the department.", required=True),
                Column("arrival_mode", "code", "How the child arrived.", codes=codes.ARRIVAL_MODE),
                Column(
                    "diagnosis_group",
                    "code",
                    "The broad group of the main diagnosis.",
                    required=True,
                    codes=codes.DIAGNOSIS_GROUP,
                ),
                Column(
                    "self_harm",
                    "boolean",
                    "Whether the attendance was for self-harm, whatever the diagnosis group (Y or N).",
                    required=True,
                ),
            ),
            key=("attendance_ref",),
            person=Person(
                ref="person_ref",
                given_name="given_name",
                family_name="family_name",
                date_of_birth="date_of_birth",
                sex="sex",
                sex_codes={"M": "M", "F": "F", "U": "U"},
                postcode="postcode",
                nhs_number="nhs_number",
            ),
            event=Event(kind="ae_attendance", label="A&E attendance", occurred="arrived_at"),
        ),
    ),
)

# --- youth justice --------------------------------------------------------------------------------------------------

YOUTH_JUSTICE = Feed(
    kind="youth_justice",
    title="Youth justice outcomes",
    description="Out-of-court and court outcomes for children, as the youth justice service records them.",
    standard=(
        "Youth Justice Board, case management guidance (out-of-court disposals and court orders); Sentencing Act "
        "2020; Home Office crime outcome 22; ONS offence groups."
    ),
    tables=(
        FeedTable(
            name="youth_justice",
            description="One outcome for one child.",
            columns=(
                _ref("outcome_ref", "The youth justice service's reference for the outcome."),
                _person_ref("The youth justice service's case reference for the child."),
                _given_name(),
                _family_name(),
                _date_of_birth(),
                _sex(),
                _postcode(),
                Column("outcome_date", "date", "The day the outcome was given.", required=True),
                Column(
                    "outcome",
                    "code",
                    "The outcome or sentence.",
                    required=True,
                    codes=codes.YOUTH_JUSTICE_OUTCOME,
                ),
                _offence_group("The offence group of the main offence."),
                Column("end_date", "date", "When an order ends (blank for outcomes with no duration)."),
            ),
            key=("outcome_ref",),
            person=Person(
                ref="person_ref",
                given_name="given_name",
                family_name="family_name",
                date_of_birth="date_of_birth",
                sex="sex",
                sex_codes={"M": "M", "F": "F", "U": "U"},
                postcode="postcode",
            ),
            event=Event(
                kind="youth_justice_outcome", label="Youth justice outcome", occurred="outcome_date", ended="end_date"
            ),
            checks=(_not_before("end_date", "outcome_date", "the outcome date"),),
        ),
    ),
)

# --- SSDA903 --------------------------------------------------------------------------------------------------------


def _child() -> Column:
    return _ref("CHILD", "The council's identifier for the child (the same in every table).")


def _dob() -> Column:
    return Column("DOB", "date", "The child's date of birth.", required=True)


def _sex_903() -> Column:
    return Column(
        "SEX",
        "code",
        "The child's sex: 1 male, 2 female (M, F or U from the 2024 to 2025 return).",
        required=True,
        codes=codes.SSDA903_SEX,
    )


def _flag_903(name: str, description: str, meanings: dict[str, str]) -> Column:
    return Column(name, "code", description, codes=meanings)


SSDA903 = Feed(
    kind="ssda903",
    title="Children looked after (SSDA903)",
    description=(
        "The council's SSDA903 return of children looked after, as the tables its case management system exports "
        "for the DfE. Each file holds one table, told by its columns; file names do not matter."
    ),
    standard=(
        "DfE, Children looked after return (SSDA903): guide and technical specification, with its data dictionary "
        "code sets; DfE Common Basic Data Set code set CS051 (UPN unknown reasons)."
    ),
    tables=(
        FeedTable(
            name="header",
            description="One row per child: who the child is.",
            columns=(
                _child(),
                _sex_903(),
                _dob(),
                Column("ETHNIC", "code", "The child's ethnicity.", required=True, codes=codes.ETHNICITY),
                Column(
                    "UPN",
                    "upn",
                    "The child's unique pupil number, or a code UN1 to UN10 saying why it is not known (a UN code is "
                    "'no UPN', not a failed check).",
                    codes=codes.UPN_UNKNOWN,
                ),
                _flag_903("MOTHER", "For a girl: whether she is a mother.", codes.MOTHER),
                Column("MC_DOB", "date", "For a mother: her child's date of birth."),
            ),
            key=("CHILD",),
            person=Person(
                ref="CHILD",
                date_of_birth="DOB",
                sex="SEX",
                sex_codes=codes.SSDA903_SEX_TO_CONTINUUM,
                upn="UPN",
                ethnicity="ETHNIC",
            ),
            event=None,
            dates="dmy",
        ),
        FeedTable(
            name="episodes",
            description="One row per episode of care: a period with one legal status and one placement.",
            columns=(
                _child(),
                Column("DECOM", "date", "The day the episode began.", required=True),
                Column("RNE", "code", "Why a new episode began.", required=True, codes=codes.REASON_NEW_EPISODE),
                Column("LS", "code", "The child's legal status.", required=True, codes=codes.LEGAL_STATUS),
                Column("CIN", "code", "The main category of need.", required=True, codes=codes.CATEGORY_OF_NEED),
                Column("PLACE", "code", "The placement type.", required=True, codes=codes.PLACEMENT_TYPE),
                Column(
                    "PLACE_PROVIDER",
                    "code",
                    "Who provides the placement (blank for placements with no provider).",
                    codes=codes.PLACEMENT_PROVIDER,
                ),
                Column("DEC", "date", "The day the episode ended; blank while it continues. Not before DECOM."),
                Column(
                    "REC",
                    "code",
                    "Why the episode ended (given when DEC is).",
                    codes=codes.REASON_EPISODE_CEASED,
                ),
                Column(
                    "REASON_PLACE_CHANGE",
                    "code",
                    "Why the placement changed, where it did.",
                    codes=codes.REASON_PLACEMENT_CHANGE,
                ),
                Column(
                    "HOME_POST",
                    "partial_postcode",
                    "The district and sector of the child's home postcode when the episode began (such as SF1 2).",
                ),
                Column(
                    "PL_POST",
                    "partial_postcode",
                    "The district and sector of the placement's postcode (such as SF1 2).",
                ),
                Column(
                    "URN",
                    "text",
                    "The placement's Ofsted unique reference number, or XXXXXXX where it has none.",
                    max_length=10,
                ),
            ),
            key=("CHILD", "DECOM"),
            person=Person(ref="CHILD"),
            event=Event(kind="care_episode", label="Period of care", occurred="DECOM", ended="DEC"),
            dates="dmy",
            checks=(_not_before("DEC", "DECOM", "the day the episode began"),),
        ),
        FeedTable(
            name="reviews",
            description="One row per review of a looked-after child's care plan.",
            columns=(
                _child(),
                _dob(),
                Column("REVIEW", "date", "The day of the review.", required=True),
                Column(
                    "REVIEW_CODE",
                    "code",
                    "How the child took part in the review.",
                    required=True,
                    codes=codes.REVIEW_PARTICIPATION,
                ),
            ),
            key=("CHILD", "REVIEW"),
            person=Person(ref="CHILD", date_of_birth="DOB"),
            event=Event(kind="care_review", label="Looked-after review", occurred="REVIEW"),
            dates="dmy",
        ),
        FeedTable(
            name="uasc",
            description="One row per child who is, or was, an unaccompanied asylum-seeking child.",
            columns=(
                _child(),
                _sex_903(),
                _dob(),
                Column("DUC", "date", "The day the child stopped being an unaccompanied asylum-seeking child."),
            ),
            key=("CHILD",),
            person=Person(ref="CHILD", date_of_birth="DOB", sex="SEX", sex_codes=codes.SSDA903_SEX_TO_CONTINUUM),
            event=None,
            dates="dmy",
        ),
        FeedTable(
            name="missing",
            description="One row per episode of a looked-after child missing or away from placement.",
            columns=(
                _child(),
                _dob(),
                Column(
                    "MISSING",
                    "code",
                    "Missing, or away without authorisation.",
                    required=True,
                    codes=codes.MISSING_TYPE,
                ),
                Column("MIS_START", "date", "The day the episode began.", required=True),
                Column("MIS_END", "date", "The day the episode ended; blank while it continues. Not before MIS_START."),
            ),
            key=("CHILD", "MIS_START"),
            person=Person(ref="CHILD", date_of_birth="DOB"),
            event=Event(
                kind="care_missing", label="Missing or away from placement", occurred="MIS_START", ended="MIS_END"
            ),
            dates="dmy",
            checks=(_not_before("MIS_END", "MIS_START", "the day the episode began"),),
        ),
        FeedTable(
            name="oc2",
            description="One row per child looked after for a year or more: health, offending and substance misuse.",
            columns=(
                _child(),
                _dob(),
                Column(
                    "SDQ_SCORE",
                    "integer",
                    "The total difficulties score of the latest strengths and difficulties questionnaire (0 to 40).",
                    minimum=0,
                    maximum=40,
                ),
                Column("SDQ_REASON", "code", "Why there is no score, where there is none.", codes=codes.SDQ_REASON),
                _flag_903("CONVICTED", "Convicted or cautioned during the year.", codes.CONVICTED),
                _flag_903("HEALTH_CHECK", "Health surveillance checks up to date.", codes.HEALTH_CHECK),
                _flag_903("IMMUNISATIONS", "Immunisations up to date.", codes.IMMUNISATIONS),
                _flag_903("TEETH_CHECK", "Teeth checked by a dentist during the year.", codes.TEETH_CHECK),
                _flag_903("HEALTH_ASSESSMENT", "Annual health assessment done.", codes.HEALTH_ASSESSMENT),
                _flag_903(
                    "SUBSTANCE_MISUSE", "Identified as having a substance misuse problem.", codes.SUBSTANCE_MISUSE
                ),
                _flag_903(
                    "INTERVENTION_RECEIVED",
                    "Received an intervention for substance misuse.",
                    codes.INTERVENTION_RECEIVED,
                ),
                _flag_903(
                    "INTERVENTION_OFFERED", "Offered an intervention but refused it.", codes.INTERVENTION_OFFERED
                ),
            ),
            key=("CHILD",),
            person=Person(ref="CHILD", date_of_birth="DOB"),
            event=None,
            dates="dmy",
        ),
        FeedTable(
            name="oc3",
            description="One row per care leaver near their 17th to 21st birthdays: contact, activity, accommodation.",
            columns=(
                _child(),
                _dob(),
                Column(
                    "IN_TOUCH",
                    "code",
                    "Whether the council is in touch with the young person.",
                    required=True,
                    codes=codes.IN_TOUCH,
                ),
                Column(
                    "ACTIV",
                    "code",
                    "The young person's main activity.",
                    required=True,
                    codes=codes.CARE_LEAVER_ACTIVITY,
                ),
                Column(
                    "ACCOM",
                    "code",
                    "The young person's accommodation and whether it is suitable.",
                    required=True,
                    codes=codes.CARE_LEAVER_ACCOMMODATION,
                ),
            ),
            key=("CHILD",),
            person=Person(ref="CHILD", date_of_birth="DOB"),
            event=None,
            dates="dmy",
        ),
    ),
)

# --- CIN census -----------------------------------------------------------------------------------------------------


def _la_child_id() -> Column:
    return _ref("LAchildID", "The council's identifier for the child (the same in every table).")


def _referral_date() -> Column:
    return Column("CINreferralDate", "date", "The referral this record belongs to (its referral date).", required=True)


CIN = Feed(
    kind="cin",
    title="Children in need census (CIN)",
    description=(
        "The council's children in need census, flattened to one file per module with the census's item names as "
        "columns. Each file holds one table, told by its columns; file names do not matter."
    ),
    standard=(
        "DfE, Children in need census: guide and XML schema, with their code sets; DfE Common Basic Data Set code "
        "set CS051 (UPN unknown reasons)."
    ),
    tables=(
        FeedTable(
            name="child",
            description="One row per child: identifiers and characteristics.",
            columns=(
                _la_child_id(),
                Column("UPN", "upn", "The child's unique pupil number, if known."),
                Column("FormerUPN", "upn", "A previous unique pupil number, if the child had one."),
                Column("UPNunknown", "code", "Why the UPN is not known, when it is not.", codes=codes.CIN_UPN_UNKNOWN),
                Column("PersonBirthDate", "date", "The child's date of birth (blank for an unborn child)."),
                Column("ExpectedPersonBirthDate", "date", "For an unborn child: the expected date of birth."),
                Column(
                    "GenderCurrent",
                    "code",
                    "The child's gender as the census records it.",
                    required=True,
                    codes=codes.CIN_GENDER,
                ),
                Column("PersonDeathDate", "date", "The day the child died, if they have."),
                Column("Ethnicity", "code", "The child's ethnicity.", required=True, codes=codes.ETHNICITY),
                Column(
                    "Disabilities",
                    "codes",
                    "The child's disabilities, comma-separated (NONE for none).",
                    codes=codes.DISABILITY,
                ),
            ),
            key=("LAchildID",),
            person=Person(
                ref="LAchildID",
                date_of_birth="PersonBirthDate",
                sex="GenderCurrent",
                sex_codes=codes.CIN_GENDER_TO_CONTINUUM,
                upn="UPN",
                ethnicity="Ethnicity",
            ),
            event=None,
            dates="dmy",
        ),
        FeedTable(
            name="referrals",
            description="One row per referral (a CIN episode): its source, need and closure.",
            columns=(
                _la_child_id(),
                Column("CINreferralDate", "date", "The day the referral was received.", required=True),
                Column("ReferralSource", "code", "Who made the referral.", required=True, codes=codes.REFERRAL_SOURCE),
                Column("PrimaryNeedCode", "code", "The child's primary need, once assessed.", codes=codes.PRIMARY_NEED),
                Column("CINclosureDate", "date", "The day the episode closed. Not before CINreferralDate."),
                Column("ReasonForClosure", "code", "Why the episode closed.", codes=codes.REASON_FOR_CLOSURE),
                Column(
                    "ReferralNFA",
                    "code",
                    "Whether the referral led to no further action (1) or not (0).",
                    required=True,
                    codes=codes.CIN_FLAG,
                ),
            ),
            key=("LAchildID", "CINreferralDate"),
            person=Person(ref="LAchildID"),
            event=Event(
                kind="cin_referral",
                label="Referral to children's social care",
                occurred="CINreferralDate",
                ended="CINclosureDate",
            ),
            dates="dmy",
            checks=(_not_before("CINclosureDate", "CINreferralDate", "the referral date"),),
        ),
        FeedTable(
            name="assessments",
            description="One row per children and families assessment, with the factors identified.",
            columns=(
                _la_child_id(),
                _referral_date(),
                Column("AssessmentActualStartDate", "date", "The day the assessment began.", required=True),
                Column("AssessmentInternalReviewDate", "date", "The day of the assessment's internal review, if any."),
                Column(
                    "AssessmentAuthorisationDate",
                    "date",
                    "The day the assessment was completed and authorised. Not before AssessmentActualStartDate.",
                ),
                Column(
                    "AssessmentFactors",
                    "codes",
                    "The factors identified at the assessment, comma-separated.",
                    codes=codes.ASSESSMENT_FACTOR,
                ),
            ),
            key=("LAchildID", "AssessmentActualStartDate"),
            person=Person(ref="LAchildID"),
            event=Event(kind="cin_assessment", label="Social care assessment", occurred="AssessmentActualStartDate"),
            dates="dmy",
            checks=(
                _not_before("AssessmentAuthorisationDate", "AssessmentActualStartDate", "the day the assessment began"),
            ),
        ),
        FeedTable(
            name="section47",
            description="One row per section 47 enquiry, with its initial child protection conference.",
            columns=(
                _la_child_id(),
                _referral_date(),
                Column("S47ActualStartDate", "date", "The day the section 47 enquiry began.", required=True),
                Column("InitialCPCtarget", "date", "The target day for the initial child protection conference."),
                Column("DateOfInitialCPC", "date", "The day the initial child protection conference was held."),
                Column(
                    "ICPCnotRequired",
                    "code",
                    "Whether an initial conference was found not to be needed (1) or not (0).",
                    required=True,
                    codes=codes.CIN_FLAG,
                ),
            ),
            key=("LAchildID", "S47ActualStartDate"),
            person=Person(ref="LAchildID"),
            event=Event(kind="section47", label="Section 47 enquiry", occurred="S47ActualStartDate"),
            dates="dmy",
        ),
        FeedTable(
            name="cp_plans",
            description="One row per child protection plan.",
            columns=(
                _la_child_id(),
                _referral_date(),
                Column("CPPstartDate", "date", "The day the plan began.", required=True),
                Column(
                    "CPPendDate", "date", "The day the plan ended; blank while it continues. Not before CPPstartDate."
                ),
                Column(
                    "InitialCategoryOfAbuse",
                    "code",
                    "The category of abuse when the plan began.",
                    required=True,
                    codes=codes.CATEGORY_OF_ABUSE,
                ),
                Column(
                    "LatestCategoryOfAbuse",
                    "code",
                    "The latest category of abuse.",
                    required=True,
                    codes=codes.CATEGORY_OF_ABUSE,
                ),
                Column(
                    "NumberOfPreviousCPP",
                    "integer",
                    "How many child protection plans the child had before this one.",
                    required=True,
                    minimum=0,
                    maximum=99,
                ),
            ),
            key=("LAchildID", "CPPstartDate"),
            person=Person(ref="LAchildID"),
            event=Event(kind="cp_plan", label="Child protection plan", occurred="CPPstartDate", ended="CPPendDate"),
            dates="dmy",
            checks=(_not_before("CPPendDate", "CPPstartDate", "the day the plan began"),),
        ),
        FeedTable(
            name="cin_plans",
            description="One row per child in need plan.",
            columns=(
                _la_child_id(),
                _referral_date(),
                Column("CINPlanStartDate", "date", "The day the plan began.", required=True),
                Column(
                    "CINPlanEndDate",
                    "date",
                    "The day the plan ended; blank while it continues. Not before CINPlanStartDate.",
                ),
            ),
            key=("LAchildID", "CINPlanStartDate"),
            person=Person(ref="LAchildID"),
            event=Event(
                kind="cin_plan", label="Child in need plan", occurred="CINPlanStartDate", ended="CINPlanEndDate"
            ),
            dates="dmy",
            checks=(_not_before("CINPlanEndDate", "CINPlanStartDate", "the day the plan began"),),
        ),
    ),
)

FEEDS: dict[str, Feed] = {
    feed.kind: feed for feed in (ATTENDANCE, SUSPENSIONS, POLICE, MISSING, HEALTH, YOUTH_JUSTICE, SSDA903, CIN)
}
FEED_KINDS: tuple[str, ...] = tuple(FEEDS)
