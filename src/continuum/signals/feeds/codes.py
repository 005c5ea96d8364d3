"""The code lists the agency feeds accept, each as code -> meaning, with the publication it comes from.

Plain Python (no Django). The catalogue (`continuum.signals.feeds.catalogue`) attaches these to its columns; the
checker rejects any other code; docs/feeds/ lists them for councils' data officers. Codes are published facts;
the meanings are written here in our own words, close to the publication's so that a data officer recognises them.
"""

from __future__ import annotations

from continuum import vocabulary

# --- School attendance ------------------------------------------------------------------------------------------
# DfE, "Working together to improve school attendance" (statutory guidance, in force from 19 August 2024) and the
# School Attendance (Pupil Registration) (England) Regulations 2024: the national attendance and absence codes.
# H (agreed holiday), J (interview, formerly approved activity) and Y (single code) were withdrawn in August 2024.
ATTENDANCE: dict[str, str] = {
    "/": "Present in the morning session",
    "\\": "Present in the afternoon session",
    "L": "Late arrival before the register closed",
    "K": "Attending education provision arranged by the local authority",
    "V": "Attending an educational visit or trip",
    "P": "Participating in an approved sporting activity",
    "W": "Attending work experience",
    "B": "Attending any other approved educational activity",
    "D": "Dual registered: attending another school where the pupil is registered",
    "C1": "Leave of absence to take part in a regulated performance or regulated employment abroad",
    "M": "Leave of absence to attend a medical or dental appointment",
    "J1": "Leave of absence to attend an interview for employment or for admission to another educational institution",
    "S": "Leave of absence to study for a public examination",
    "X": "Pupil of non-compulsory school age not required to attend school",
    "C2": "Leave of absence for a pupil of compulsory school age on a part-time timetable",
    "C": "Leave of absence granted for exceptional circumstances",
    "T": "Parent travelling for occupational purposes",
    "R": "Religious observance",
    "I": "Illness (not a medical or dental appointment)",
    "E": "Suspended or permanently excluded and no alternative provision made",
    "Q": "Unable to attend the school because of a lack of access arrangements",
    "Y1": "Unable to attend because transport normally provided is not available",
    "Y2": "Unable to attend because of widespread disruption to travel caused by a local, national or "
    "international emergency",
    "Y3": "Unable to attend because part of the school premises is closed",
    "Y4": "Unable to attend because the whole school site is unexpectedly closed",
    "Y5": "Unable to attend because the pupil is in criminal justice detention",
    "Y6": "Unable to attend in accordance with public health guidance or law",
    "Y7": "Unable to attend because of any other unavoidable cause",
    "G": "Holiday not granted by the school",
    "N": "Reason for absence not yet established",
    "O": "Absent in other or unknown circumstances",
    "U": "Arrived in school after the register closed",
    "Z": "Prospective pupil not on the admission register",
    "#": "Planned whole or partial school closure",
}

# How each code counts in the DfE's attendance statistics (same guidance). Attending an approved educational
# activity away from the school (K, V, P, W, B) counts as present. D, X, Y1-Y7, Z and # are not counted as
# possible sessions at all: the pupil was not expected at this school.
ATTENDANCE_CATEGORY: dict[str, str] = {
    "/": "present",
    "\\": "present",
    "L": "present",
    "K": "present",
    "V": "present",
    "P": "present",
    "W": "present",
    "B": "present",
    "D": "not_counted",
    "C1": "authorised",
    "M": "authorised",
    "J1": "authorised",
    "S": "authorised",
    "X": "not_counted",
    "C2": "authorised",
    "C": "authorised",
    "T": "authorised",
    "R": "authorised",
    "I": "authorised",
    "E": "authorised",
    "Q": "authorised",
    "Y1": "not_counted",
    "Y2": "not_counted",
    "Y3": "not_counted",
    "Y4": "not_counted",
    "Y5": "not_counted",
    "Y6": "not_counted",
    "Y7": "not_counted",
    "G": "unauthorised",
    "N": "unauthorised",
    "O": "unauthorised",
    "U": "unauthorised",
    "Z": "not_counted",
    "#": "not_counted",
}

# The categories, in the order reports show them.
ATTENDANCE_CATEGORIES: dict[str, str] = {
    "present": "Present",
    "authorised": "Authorised absence",
    "unauthorised": "Unauthorised absence",
    "not_counted": "Not counted as a possible session",
}

# A register has two sessions a day.
SESSION: dict[str, str] = {"AM": "Morning session", "PM": "Afternoon session"}

# DfE, CIN census and SSDA903 ethnicity codes (the same list as continuum.vocabulary.ETHNICITY).
ETHNICITY: dict[str, str] = dict(vocabulary.ETHNICITY)

# --- Sex and booleans in Continuum's own feeds (docs/feeds/index.md) ------------------------------------------------
SEX: dict[str, str] = {"M": "Male", "F": "Female", "U": "Not known or not stated"}
YES_NO: dict[str, str] = {"Y": "Yes", "N": "No"}

# --- School census: suspensions and permanent exclusions ----------------------------------------------------------
# DfE, school census guide and the Common Basic Data Set (CBDS), exclusion category and reason code sets. The census
# spells a lunchtime suspension LNCH; Continuum's contract names it LUNC, and both are accepted with one meaning.
EXCLUSION_CATEGORY: dict[str, str] = {
    "SUSP": "Suspension (fixed-period exclusion)",
    "PERM": "Permanent exclusion",
    "LUNC": "Lunchtime suspension",
    "LNCH": "Lunchtime suspension (the census's own spelling of LUNC)",
}
# Categories that exclude a pupil for a number of sessions (the census records the sessions missed).
EXCLUSION_CATEGORIES_WITH_SESSIONS = frozenset({"SUSP", "LUNC", "LNCH"})

# DfE CBDS exclusion reason codes (the set in use from the 2024 to 2025 census, with the reasons kept from earlier
# years that the census still accepts).
EXCLUSION_REASON: dict[str, str] = {
    "PP": "Physical assault against a pupil",
    "PA": "Physical assault against an adult",
    "VP": "Verbal abuse or threatening behaviour against a pupil",
    "VA": "Verbal abuse or threatening behaviour against an adult",
    "OW": "Use, or threat of use, of an offensive weapon or prohibited item",
    "BW": "Brought a weapon or prohibited item into school",
    "BU": "Bullying",
    "TB": "Cyber-bullying or threatening behaviour online",
    "RA": "Racist abuse, including bullying",
    "LG": "Abuse against sexual orientation or gender identity, including bullying",
    "DS": "Abuse relating to disability, including bullying",
    "SM": "Sexual misconduct",
    "SB": "Harmful sexual behaviour",
    "MB": "Misogynistic behaviour",
    "AB": "Misandrist behaviour",
    "DR": "Drug related",
    "AR": "Alcohol related",
    "SR": "Smoking related",
    "VR": "Vaping related",
    "DA": "Drug and alcohol related",
    "DM": "Damage to property",
    "TH": "Theft",
    "LD": "Persistent disruptive behaviour: low-level disruption",
    "CB": "Persistent disruptive behaviour: challenging behaviour",
    "DB": "Persistent or general disruptive behaviour",
    "MT": "Inappropriate use of social media or online technology",
    "MP": "Use of a mobile phone",
    "OS": "Misbehaviour outside school",
    "PH": "Wilful and repeated breach of measures in place to protect public health",
}

# --- Police -------------------------------------------------------------------------------------------------------
# Continuum's own codes for what a police record is and the child's part in it (docs/feeds/police.md).
POLICE_INCIDENT_TYPE: dict[str, str] = {
    "CRIME": "Recorded crime",
    "ASB": "Anti-social behaviour",
    "DOMESTIC": "Domestic abuse incident",
    "CONCERN": "Child concern or vulnerability notification",
}
POLICE_ROLE: dict[str, str] = {
    "VICTIM": "Victim",
    "SUSPECT": "Suspect",
    "WITNESS": "Witness",
    "PRESENT_DA": "Child present at a domestic abuse incident",
    "SUBJECT": "Subject of a concern or vulnerability notification",
}
# ONS, "Crime in England and Wales" user guide: the offence groups of police recorded crime.
OFFENCE_GROUP: dict[str, str] = {
    "VAP": "Violence against the person",
    "SEX": "Sexual offences",
    "ROB": "Robbery",
    "THF": "Theft offences (including burglary and vehicle offences)",
    "CDA": "Criminal damage and arson",
    "DRG": "Drug offences",
    "WPN": "Possession of weapons offences",
    "POR": "Public order offences",
    "MIS": "Miscellaneous crimes against society",
}
# Home Office, "Crime outcomes in England and Wales" (the outcomes framework): the outcome types a force assigns to
# a recorded crime. There is no outcome 19 in the framework as published.
CRIME_OUTCOME: dict[str, str] = {
    "1": "Charged or summonsed (including postal requisition)",
    "2": "Youth caution",
    "3": "Adult caution (simple or conditional)",
    "4": "Taken into consideration with another offence",
    "5": "Offender has died",
    "6": "Penalty notice for disorder",
    "7": "Cannabis or khat warning",
    "8": "Community resolution",
    "9": "Prosecution not in the public interest (Crown Prosecution Service decision)",
    "10": "Formal action against the offender not in the public interest (police decision)",
    "11": "Prosecution prevented: suspect below the age of criminal responsibility",
    "12": "Prosecution prevented: suspect too ill to prosecute",
    "13": "Prosecution prevented: victim or key witness dead or too ill to give evidence",
    "14": "Evidential difficulties: suspect not identified; victim does not support further action",
    "15": "Evidential difficulties: suspect identified; victim supports action",
    "16": "Evidential difficulties: suspect identified; victim does not support further action",
    "17": "Suspect identified but the time limit for prosecution has expired",
    "18": "Investigation complete: no suspect identified",
    "20": "Further action to be taken by another body or agency",
    "21": "Further investigation to support formal action not in the public interest (police decision)",
    "22": "Diversionary, educational or intervention activity undertaken; further action not in the public interest",
}

# --- Missing episodes ---------------------------------------------------------------------------------------------
# Continuum's own codes, after the statutory guidance on children who run away or go missing from home or care
# (DfE, 2014): where the child went missing from, the police risk grading, and the return interview offered.
MISSING_FROM: dict[str, str] = {"HOME": "Missing from home", "CARE": "Missing from care"}
MISSING_RISK: dict[str, str] = {
    "HIGH": "High risk",
    "MEDIUM": "Medium risk",
    "LOW": "Low risk",
    "NO_APPARENT_RISK": "No apparent risk",
}
RETURN_INTERVIEW: dict[str, str] = {
    "ACCEPTED": "Return interview offered and accepted",
    "DECLINED": "Return interview offered and declined",
    "NOT_OFFERED": "Return interview not offered",
    "PENDING": "Return interview not yet held",
}

# --- A&E attendances ----------------------------------------------------------------------------------------------
# Continuum's own groupings of the Emergency Care Data Set's arrival modes and diagnoses (NHS England, ECDS), broad
# enough for a council's view of a child and no more.
ARRIVAL_MODE: dict[str, str] = {
    "AMBULANCE": "Arrived by ambulance",
    "WALK_IN": "Walked in or brought by family or friends",
    "POLICE": "Brought by the police",
    "OTHER": "Other or not known",
}
DIAGNOSIS_GROUP: dict[str, str] = {
    "INJURY": "Injury (not assault)",
    "ASSAULT": "Injury from an assault",
    "POISONING": "Poisoning, including overdose",
    "ALCOHOL": "Alcohol intoxication or alcohol-related",
    "DRUGS": "Drug use or drug-related",
    "MENTAL_HEALTH": "Mental health presentation",
    "RESPIRATORY": "Respiratory illness",
    "GASTRO": "Gastrointestinal illness",
    "INFECTION": "Infection",
    "OTHER": "Other diagnosis",
    "NO_ABNORMALITY": "No abnormality detected",
}

# --- Youth justice ------------------------------------------------------------------------------------------------
# Youth Justice Board, case management guidance and the Sentencing Act 2020: the out-of-court and court outcomes a
# youth justice service records, with the adult disposals a young person may receive once 18.
YOUTH_JUSTICE_OUTCOME: dict[str, str] = {
    "CR": "Community resolution",
    "O22": "Deferred prosecution or diversion (crime outcome 22)",
    "YC": "Youth caution",
    "YCC": "Youth conditional caution",
    "CAU": "Simple caution (aged 18 or over)",
    "CC": "Conditional caution (aged 18 or over)",
    "AD": "Absolute discharge",
    "CD": "Conditional discharge",
    "FINE": "Fine",
    "RO": "Referral order",
    "YRO": "Youth rehabilitation order",
    "YRO_ISS": "Youth rehabilitation order with intensive supervision and surveillance",
    "DTO": "Detention and training order",
    "S250": "Custody under section 250 of the Sentencing Act 2020",
}

# --- SSDA903: children looked after -------------------------------------------------------------------------------
# DfE, "Children looked after return: guide" and its technical specification (data dictionary code sets), for the
# years 2019 to 2020 onward. Codes withdrawn since are still accepted, so that a council can load earlier years'
# returns; their meanings say when they stopped.
SSDA903_SEX: dict[str, str] = {
    "1": "Male",
    "2": "Female",
    # From the 2024 to 2025 return the DfE collects reported sex as M, F or U.
    "M": "Male",
    "F": "Female",
    "U": "Not known",
}
SSDA903_SEX_TO_CONTINUUM: dict[str, str] = {"1": "M", "2": "F", "M": "M", "F": "F", "U": "U"}

# DfE Common Basic Data Set, code set CS051 (reasons a UPN is not known). The SSDA903 return uses UN1-UN5, the CIN
# census UN1-UN7 and SEN2 UN8-UN10.
UPN_UNKNOWN: dict[str, str] = {
    "UN1": "Child under 6 (not of school age) and not yet given a UPN",
    "UN2": "Child has never attended a maintained school in England",
    "UN3": "Child is educated outside England",
    "UN4": "Child newly in need or newly looked after in the last week of the collection period; UPN not yet known",
    "UN5": "Sources holding UPNs disagree on the child's names or date of birth, so no reliable match",
    "UN6": "Child is not looked after and the council cannot obtain the UPN",
    "UN7": "Child referred but no further action taken",
    "UN8": "Person new to the council in the last week of the collection period; UPN or ULN not yet known (SEN2)",
    "UN9": "Young person has never attended a maintained school or further education setting in England (SEN2)",
    "UN10": "Request for assessment ended in no further action before a UPN or ULN was known (SEN2)",
}
CIN_UPN_UNKNOWN: dict[str, str] = {f"UN{n}": UPN_UNKNOWN[f"UN{n}"] for n in range(1, 8)}

MOTHER: dict[str, str] = {"0": "Not a mother", "1": "Is a mother"}

REASON_NEW_EPISODE: dict[str, str] = {
    "S": "Started to be looked after",
    "L": "Change of legal status only",
    "P": "Change of placement and carer(s) only",
    "T": "Change of placement (but same carer(s)) only",
    "B": "Change of legal status and of placement and carer(s) at the same time",
    "U": "Change of legal status and of placement (but same carer(s)) at the same time",
}
LEGAL_STATUS: dict[str, str] = {
    "C1": "Interim care order",
    "C2": "Full care order",
    "D1": "Freeing order granted (episodes before December 2005)",
    "E1": "Placement order granted",
    "V2": "Single period of accommodation under section 20 of the Children Act 1989",
    "V3": "Accommodated under an agreed series of short-term breaks, each episode recorded",
    "V4": "Accommodated under an agreed series of short-term breaks, agreements recorded",
    "L1": "Under police protection and in local authority accommodation",
    "L2": "Emergency protection order",
    "L3": "Under a child assessment order and in local authority accommodation",
    "J1": "Remanded to local authority accommodation or to youth detention accommodation",
    "J2": "Placed in local authority accommodation under the Police and Criminal Evidence Act 1984",
    "J3": "Sentenced to a youth rehabilitation order with a residence or intensive fostering requirement",
}
CATEGORY_OF_NEED: dict[str, str] = {
    "N1": "Abuse or neglect",
    "N2": "Child's disability",
    "N3": "Parental illness or disability",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
}
PLACEMENT_TYPE: dict[str, str] = {
    "A3": "Placed for adoption with consent, with current foster carer(s)",
    "A4": "Placed for adoption with consent, not with current foster carer(s)",
    "A5": "Placed for adoption with a placement order, with current foster carer(s)",
    "A6": "Placed for adoption with a placement order, not with current foster carer(s)",
    "H5": "Semi-independent living not subject to children's homes regulations (withdrawn from 28 October 2023)",
    "K1": "Secure children's home",
    "K2": "Children's home subject to the Children's Homes Regulations",
    "K3": "Registered supported accommodation (from 28 October 2023)",
    "P1": "Placed with own parent(s) or other person(s) with parental responsibility",
    "P2": "Independent living, with or without formal support (withdrawn from 28 October 2023)",
    "P3": "Residential employment",
    "R1": "Residential care home",
    "R2": "NHS or health trust establishment providing medical or nursing care",
    "R3": "Family centre or mother and baby unit",
    "R5": "Young offender institution",
    "S1": "Residential school (not dual-registered as a children's home)",
    "T0": "Temporary move of any type",
    "T1": "Temporary period in hospital",
    "T2": "Temporary absence of the child on holiday",
    "T3": "Temporary accommodation while the usual foster carer(s) are on holiday",
    "T4": "Temporary accommodation of seven days or less not covered by T1 to T3",
    "U1": "Foster placement with relative(s) or friend(s): long-term fostering",
    "U2": "Foster placement with relative(s) or friend(s) who are approved adopters: fostering for adoption",
    "U3": "Foster placement with relative(s) or friend(s): not long-term or fostering for adoption",
    "U4": "Foster placement with other foster carer(s): long-term fostering",
    "U5": "Foster placement with other foster carer(s) who are approved adopters: fostering for adoption",
    "U6": "Foster placement with other foster carer(s): not long-term or fostering for adoption",
    "Z1": "Other placement, listed in a schedule to the DfE (until the 2024 to 2025 return)",
    "Z11": "Other placement, sub-type Z11 (from the 2025 to 2026 return, replacing Z1)",
    "Z12": "Other placement, sub-type Z12 (from the 2025 to 2026 return, replacing Z1)",
    "Z13": "Other placement, sub-type Z13 (from the 2025 to 2026 return, replacing Z1)",
    "Z14": "Other placement, sub-type Z14 (from the 2025 to 2026 return, replacing Z1)",
}
PLACEMENT_PROVIDER: dict[str, str] = {
    "PR0": "Parent(s) or other person(s) with parental responsibility",
    "PR1": "The council's own provision",
    "PR2": "Another local authority's provision",
    "PR3": "Other public provision",
    "PR4": "Private provision",
    "PR5": "Voluntary or third sector provision",
}
REASON_EPISODE_CEASED: dict[str, str] = {
    "X1": "Episode ceased and a new episode began on the same day",
    "E11": "Adopted: application for an adoption order unopposed",
    "E12": "Adopted: consent dispensed with by the court",
    "E2": "Died",
    "E3": "Care taken over by another local authority in the UK",
    "E4A": "Returned home to parent(s) or others with parental responsibility, as part of the care plan",
    "E4B": "Returned home to parent(s) or others with parental responsibility, not part of the care plan",
    "E13": "Left care to live with parent(s), relative(s) or others without parental responsibility",
    "E41": "Residence order or child arrangements order granted",
    "E43": "Special guardianship order to former foster carer(s) (earlier returns; now E45 or E46)",
    "E44": "Special guardianship order to carer(s) other than former foster carer(s) (earlier returns; now E47 or E48)",
    "E45": "Special guardianship order to former foster carer(s) who are relatives or friends",
    "E46": "Special guardianship order to former foster carer(s) other than relatives or friends",
    "E47": "Special guardianship order to carer(s), not former foster carers, who are relatives or friends",
    "E48": "Special guardianship order to carer(s), not former foster carers, other than relatives or friends",
    "E5": "Moved into independent living with formal advice or support",
    "E6": "Moved into independent living without formal advice or support",
    "E7": "Transferred to residential care funded by adult social care",
    "E8": "Ceased to be looked after for any other reason",
    "E9": "Sentenced to custody",
    "E14": "Accommodation on remand ended",
    "E15": "Age assessment found the child to be 18 or over",
    "E16": "Child moved abroad",
    "E17": "Aged 18 or over and stayed with current carers (including staying put)",
}
REASON_PLACEMENT_CHANGE: dict[str, str] = {
    "CARPL": "Change to, or carrying out of, the care plan",
    "CLOSE": "Resignation or closure of the provision",
    "ALLEG": "Allegation (section 47)",
    "STAND": "Concern about standards of care",
    "APPRR": "Approval removed",
    "CREQB": "Carer(s) asked for the placement to end because of the child's behaviour",
    "CREQO": "Carer(s) asked for the placement to end for another reason",
    "CHILD": "Child asked for the placement to end",
    "LAREQ": "Responsible or area authority asked for the placement to end",
    "PLACE": "Change in the status of the placement only",
    "CUSTOD": "Custody arrangement",
    "OTHER": "Other reason",
}
REVIEW_PARTICIPATION: dict[str, str] = {
    "PN0": "Child aged under 4 at the time of the review",
    "PN1": "Child attended and spoke for themselves",
    "PN2": "Child attended and an advocate spoke for them",
    "PN3": "Child attended and conveyed their views without words (symbols)",
    "PN4": "Child attended but did not speak, convey views or ask an advocate to speak",
    "PN5": "Child did not attend but briefed an advocate to speak for them",
    "PN6": "Child did not attend but conveyed their views by another means (text, writing, phone, video)",
    "PN7": "Child did not attend and their views were not conveyed",
}
MISSING_TYPE: dict[str, str] = {
    "M": "Missing: whereabouts not known",
    "A": "Away from placement without authorisation: whereabouts known",
}
SDQ_REASON: dict[str, str] = {
    "SDQ1": "No questionnaire: child aged under 4 or over 16 at the latest assessment",
    "SDQ2": "Carer(s) refused to complete and return the questionnaire",
    "SDQ3": "Not possible because of the severity of the child's disability",
    "SDQ4": "Other reason",
    "SDQ5": "The child or young person refused to allow the questionnaire",
}
CONVICTED: dict[str, str] = {
    "0": "Not convicted or cautioned during the year",
    "1": "Convicted or given a youth caution (including a conditional caution) during the year",
}
HEALTH_CHECK: dict[str, str] = {
    "0": "Health surveillance or promotion checks not up to date",
    "1": "Health surveillance or promotion checks up to date",
}
IMMUNISATIONS: dict[str, str] = {"0": "Immunisations not up to date", "1": "Immunisations up to date"}
TEETH_CHECK: dict[str, str] = {"0": "Teeth not checked by a dentist", "1": "Teeth checked by a dentist"}
HEALTH_ASSESSMENT: dict[str, str] = {"0": "No annual health assessment", "1": "Annual health assessment done"}
SUBSTANCE_MISUSE: dict[str, str] = {
    "0": "Not identified as having a substance misuse problem",
    "1": "Identified as having a substance misuse problem",
}
INTERVENTION_RECEIVED: dict[str, str] = {
    "0": "Did not receive an intervention for substance misuse",
    "1": "Received an intervention for substance misuse",
}
INTERVENTION_OFFERED: dict[str, str] = {
    "0": "Not offered an intervention for substance misuse",
    "1": "Offered an intervention for substance misuse but refused it",
}
IN_TOUCH: dict[str, str] = {
    "YES": "In touch",
    "NO": "Not in touch",
    "DIED": "Died after leaving care",
    "REFU": "Young person refuses contact",
    "NREQ": "Young person no longer needs children's social care services",
    "RHOM": "Returned to live with parent(s) or someone with parental responsibility for 6 months or more",
}
CARE_LEAVER_ACTIVITY: dict[str, str] = {
    "F1": "Full-time higher education",
    "P1": "Part-time higher education",
    "F2": "Full-time education other than higher education",
    "P2": "Part-time education other than higher education",
    "F3": "Full-time training or employment (earlier returns; now F4 or F5)",
    "P3": "Part-time training or employment (earlier returns; now P4 or P5)",
    "F4": "Full-time apprenticeship",
    "P4": "Part-time apprenticeship",
    "F5": "Full-time training or employment (not an apprenticeship)",
    "P5": "Part-time training or employment (not an apprenticeship)",
    "G4": "Not in education, employment or training: illness or disability",
    "G5": "Not in education, employment or training: other circumstances",
    "G6": "Not in education, employment or training: pregnancy or parenting",
    "0": "Activity not known: not in touch, died, or returned home for 6 months or more",
}
_ACCOMMODATION = {
    "B": "With parent(s) or relative(s)",
    "C": "Community home or other residential care, such as an NHS establishment",
    "D": "Semi-independent or transitional accommodation, or self-contained accommodation with support",
    "E": "Supported lodgings",
    "G": "Gone abroad",
    "H": "Deported",
    "K": "Ordinary lodgings without formal support",
    "R": "Residence not known",
    "S": "No fixed abode or homeless",
    "T": "Foyer or similar supported accommodation with education, training or employment",
    "U": "Independent living, such as a tenancy or college or university accommodation",
    "V": "Emergency accommodation, such as a night shelter or direct-access hostel",
    "W": "Bed and breakfast",
    "X": "In custody",
    "Y": "Other accommodation",
    "Z": "With former foster carer(s) after turning 18",
}
# The second character says whether the accommodation is suitable (1) or not (2); the DfE counts no fixed abode (S)
# and custody (X) as never suitable, so S1 and X1 are not codes.
CARE_LEAVER_ACCOMMODATION: dict[str, str] = {
    f"{letter}{suitable}": f"{meaning}: {'suitable' if suitable == '1' else 'not suitable'}"
    for letter, meaning in _ACCOMMODATION.items()
    for suitable in ("1", "2")
    if f"{letter}{suitable}" not in ("S1", "X1")
} | {"0": "Accommodation not known: not in touch, died, or returned home for 6 months or more"}

# --- Children in need census --------------------------------------------------------------------------------------
# DfE, "Children in need census: guide" and its XML schema (2024 to 2025 and 2025 to 2026): the code sets.
CIN_GENDER: dict[str, str] = {
    "0": "Not known (including unborn)",
    "1": "Male",
    "2": "Female",
    "9": "Not specified (indeterminate)",
}
CIN_GENDER_TO_CONTINUUM: dict[str, str] = {"0": "U", "1": "M", "2": "F", "9": "U"}
DISABILITY: dict[str, str] = {
    "NONE": "No disability",
    "MOB": "Mobility",
    "HAND": "Hand function",
    "PC": "Personal care",
    "INC": "Incontinence",
    "COMM": "Communication",
    "LD": "Learning",
    "HEAR": "Hearing",
    "VIS": "Vision",
    "BEH": "Behaviour",
    "CON": "Consciousness",
    "AUT": "Autism or Asperger syndrome",
    "DDA": "Other disability",
}
REFERRAL_SOURCE: dict[str, str] = {
    "1A": "Individual: family member, relative or carer",
    "1B": "Individual: acquaintance (including neighbours and childminders)",
    "1C": "Individual: self",
    "1D": "Individual: other (including strangers)",
    "2A": "Schools",
    "2B": "Education services",
    "3A": "Health services: GP",
    "3B": "Health services: health visitor",
    "3C": "Health services: school nurse",
    "3D": "Health services: other primary health services",
    "3E": "Health services: A&E",
    "3F": "Health services: other (for example a hospice)",
    "4": "Housing: local authority housing or housing association",
    "5A": "Local authority services: social care (for example adult social care)",
    "5B": "Local authority services: other internal department (for example youth justice)",
    "5C": "Local authority services: external (for example another council's adult social care)",
    "5D": "Local authority services: early help",
    "6": "Police",
    "7": "Other legal agency (courts, probation, immigration, Cafcass, prison)",
    "8": "Other (children's centres, independent agencies, voluntary organisations)",
    "9": "Anonymous",
    "10": "Unknown",
}
PRIMARY_NEED: dict[str, str] = CATEGORY_OF_NEED | {
    "N9": "Cases other than children in need",
    "N0": "Not stated",
}
REASON_FOR_CLOSURE: dict[str, str] = {
    "RC1": "Adopted",
    "RC2": "Died",
    "RC3": "Child arrangements order",
    "RC4": "Special guardianship order",
    "RC5": "Transferred to services of another local authority",
    "RC6": "Transferred to adult social care services",
    "RC7": "Services ceased for any other reason, including the child no longer being in need",
    "RC8": "Case closed after assessment: no further action",
    "RC9": "Case closed after assessment: referred to early help",
}
ASSESSMENT_FACTOR: dict[str, str] = {
    "1A": "Alcohol misuse by the child",
    "1B": "Alcohol misuse by the parent(s) or carer(s)",
    "1C": "Alcohol misuse by another person in the household",
    "2A": "Drug misuse by the child",
    "2B": "Drug misuse by the parent(s) or carer(s)",
    "2C": "Drug misuse by another person in the household",
    "3A": "Domestic abuse: the child as subject",
    "3B": "Domestic abuse: the parent(s) or carer(s) as subject",
    "3C": "Domestic abuse: another person in the household as subject",
    "4A": "Mental health of the child",
    "4B": "Mental health of the parent(s) or carer(s)",
    "4C": "Mental health of another person in the family or household",
    "5A": "Learning disability of the child",
    "5B": "Learning disability of the parent(s) or carer(s)",
    "5C": "Learning disability of another person in the family or household",
    "6A": "Physical disability or illness of the child",
    "6B": "Physical disability or illness of the parent(s) or carer(s)",
    "6C": "Physical disability or illness of another person in the family or household",
    "7A": "Young carer",
    "8B": "Privately fostered: overseas child who intends to return",
    "8C": "Privately fostered: overseas child who intends to stay",
    "8D": "Privately fostered: UK child in an educational placement",
    "8E": "Privately fostered: UK child in an alternative family arrangement",
    "8F": "Privately fostered: other",
    "9A": "Unaccompanied asylum-seeking child",
    "10A": "Going or being missing",
    "11A": "Child sexual exploitation",
    "12A": "Trafficking",
    "13A": "Gangs",
    "14A": "Socially unacceptable behaviour",
    "15A": "Self-harm",
    "16A": "Neglect",
    "17A": "Emotional abuse",
    "18B": "Physical abuse by another child",
    "18C": "Physical abuse by an adult",
    "19B": "Sexual abuse by another child",
    "19C": "Sexual abuse by an adult",
    "20": "Other",
    "21": "No factors identified",
    "22A": "Female genital mutilation",
    "23A": "Abuse linked to faith or belief",
    "24A": "Child criminal exploitation",
}
CATEGORY_OF_ABUSE: dict[str, str] = {
    "NEG": "Neglect",
    "PHY": "Physical abuse",
    "SAB": "Sexual abuse",
    "EMO": "Emotional abuse",
    "MUL": "Multiple categories (no longer recommended)",
}
# CIN census flags (ReferralNFA, ICPCnotRequired): the census's 0/1.
CIN_FLAG: dict[str, str] = {"0": "No", "1": "Yes"}
