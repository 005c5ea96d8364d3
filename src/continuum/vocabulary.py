"""Code lists shared by the models, the loaders and the synthetic generator.

Plain Python (no Django imports). Each list is a tuple of (code, label); codes are what is stored
and exchanged in files, labels are what people read. Where a national standard exists the codes
follow it (CIN census / SSDA903 ethnicity codes, SEN provision codes).
"""

from __future__ import annotations

Codes = tuple[tuple[str, str], ...]

# CIN census and SSDA903 ethnicity codes.
ETHNICITY: Codes = (
    ("WBRI", "White - English, Welsh, Scottish, Northern Irish or British"),
    ("WIRI", "White - Irish"),
    ("WIRT", "White - Traveller of Irish heritage"),
    ("WROM", "White - Gypsy or Roma"),
    ("WOTH", "White - any other White background"),
    ("MWBC", "Mixed - White and Black Caribbean"),
    ("MWBA", "Mixed - White and Black African"),
    ("MWAS", "Mixed - White and Asian"),
    ("MOTH", "Mixed - any other mixed background"),
    ("AIND", "Asian or Asian British - Indian"),
    ("APKN", "Asian or Asian British - Pakistani"),
    ("ABAN", "Asian or Asian British - Bangladeshi"),
    ("AOTH", "Asian or Asian British - any other Asian background"),
    ("BCRB", "Black or Black British - Caribbean"),
    ("BAFR", "Black or Black British - African"),
    ("BOTH", "Black or Black British - any other Black background"),
    ("CHNE", "Chinese"),
    ("OOTH", "Any other ethnic group"),
    ("REFU", "Refused"),
    ("NOBT", "Information not yet obtained"),
)

# The broad groups used when counts are published (small groups hide individuals).
ETHNICITY_GROUP = {
    "WBRI": "White",
    "WIRI": "White",
    "WIRT": "White",
    "WROM": "White",
    "WOTH": "White",
    "MWBC": "Mixed",
    "MWBA": "Mixed",
    "MWAS": "Mixed",
    "MOTH": "Mixed",
    "AIND": "Asian",
    "APKN": "Asian",
    "ABAN": "Asian",
    "AOTH": "Asian",
    "BCRB": "Black",
    "BAFR": "Black",
    "BOTH": "Black",
    "CHNE": "Other",
    "OOTH": "Other",
    "REFU": "Not known",
    "NOBT": "Not known",
}

SEX: Codes = (
    ("M", "Male"),
    ("F", "Female"),
    ("U", "Not known or not stated"),
)

# SEN provision as the school census records it: N none, K SEN support, E education, health and care plan.
SEND_STATUS: Codes = (
    ("N", "No special educational needs"),
    ("K", "SEN support"),
    ("E", "Education, health and care plan"),
)

# First language, ISO 639-3 codes for the languages most often recorded in English schools.
LANGUAGE: Codes = (
    ("eng", "English"),
    ("urd", "Urdu"),
    ("pol", "Polish"),
    ("pan", "Panjabi"),
    ("ben", "Bengali"),
    ("ron", "Romanian"),
    ("ara", "Arabic"),
    ("som", "Somali"),
    ("por", "Portuguese"),
    ("guj", "Gujarati"),
    ("spa", "Spanish"),
    ("tam", "Tamil"),
    ("tur", "Turkish"),
    ("lit", "Lithuanian"),
    ("yor", "Yoruba"),
    ("zho", "Chinese"),
    ("fas", "Persian"),
    ("bul", "Bulgarian"),
    ("ukr", "Ukrainian"),
    ("other", "Other language"),
)

RELATIONSHIP_KIND: Codes = (
    ("parent", "Parent"),
    ("step_parent", "Step-parent"),
    ("sibling", "Sibling"),
    ("half_sibling", "Half-sibling"),
    ("step_sibling", "Step-sibling"),
    ("grandparent", "Grandparent"),
    ("carer", "Carer"),
    ("partner", "Partner"),
    ("peer", "Peer or associate"),
)
# Kinds that read the same in both directions; stored once.
SYMMETRIC_RELATIONSHIPS = frozenset({"sibling", "half_sibling", "step_sibling", "partner", "peer"})

CONFIDENCE: Codes = (
    ("confirmed", "Confirmed"),
    ("reported", "Reported, not confirmed"),
    ("inferred", "Inferred from records"),
)

HOUSEHOLD_ROLE: Codes = (
    ("parent", "Parent"),
    ("step_parent", "Step-parent"),
    ("child", "Child"),
    ("grandparent", "Grandparent"),
    ("kinship_carer", "Kinship carer"),
    ("other_adult", "Other adult"),
)

HOUSEHOLD_STRUCTURE: Codes = (
    ("couple", "Couple with children"),
    ("lone_parent", "Lone parent"),
    ("step_family", "Step-family"),
    ("multigenerational", "Multi-generational"),
    ("kinship", "Kinship care"),
)

PLACE_KIND: Codes = (
    ("school", "School"),
    ("park", "Park or open space"),
    ("shop", "Shop"),
    ("takeaway", "Takeaway or cafe"),
    ("transport", "Transport hub"),
    ("youth_club", "Youth club"),
    ("leisure", "Leisure centre"),
    ("other", "Other place"),
)

AGENCY_KIND: Codes = (
    ("childrens_social_care", "Children's social care"),
    ("early_help", "Early help"),
    ("school", "School"),
    ("police", "Police"),
    ("health", "Health"),
    ("camhs", "CAMHS"),
    ("youth_justice", "Youth justice"),
    ("voluntary", "Voluntary sector"),
    ("council", "Council (corporate)"),
)

SCHOOL_PHASE: Codes = (
    ("primary", "Primary"),
    ("secondary", "Secondary"),
    ("special", "Special"),
)

ROLE: Codes = (
    ("front_door", "Front-door worker"),
    ("practitioner", "Practitioner"),
    ("team_manager", "Team manager"),
    ("school_dsl", "School designated safeguarding lead"),
    ("police_liaison", "Police liaison officer"),
    ("health_practitioner", "Health practitioner"),
    ("panel_chair", "Panel chair"),
    ("analyst", "Analyst"),
    ("administrator", "Administrator"),
)

# An agency's open service with a child. The data category decides who may read it
# (see agencies/access_policy.toml).
INVOLVEMENT_KIND: Codes = (
    ("school_roll", "On the school roll"),
    ("early_help", "Early help"),
    ("cin", "Child in need (s17)"),
    ("cp_plan", "Child protection plan"),
    ("looked_after", "Looked after"),
    ("camhs", "CAMHS"),
    ("health_visiting", "Health visiting"),
    ("school_nursing", "School nursing"),
    ("youth_justice", "Youth justice"),
    ("police_contact", "Known to police"),
    ("voluntary_support", "Voluntary sector support"),
)

ALLOCATION_KIND: Codes = (
    ("lead", "Lead practitioner"),
    ("team_around_family", "Team around the family"),
)


# Why a child is referred to the front door (a referral may give several).
REFERRAL_REASON: Codes = (
    ("emotional_wellbeing", "Emotional wellbeing"),
    ("behaviour", "Behaviour"),
    ("school_attendance", "School attendance"),
    ("exploitation", "Exploitation concern"),
    ("domestic_abuse", "Domestic abuse"),
    ("neglect", "Neglect"),
    ("parenting", "Parenting"),
    ("mental_health", "Mental health"),
    ("substance_misuse", "Substance misuse"),
    ("housing_poverty", "Housing or poverty"),
    ("other", "Other"),
)

CONSENT: Codes = (
    ("given", "Given"),
    ("refused", "Refused"),
    ("not_sought", "Not sought: seeking it would put the child at risk"),
)

# The continuum of need: 1 universal, 2 early help, 3 targeted, 4 specialist (statutory).
LEVEL_OF_NEED: Codes = (
    ("1", "Level 1: universal"),
    ("2", "Level 2: early help, additional needs"),
    ("3", "Level 3: targeted, complex needs"),
    ("4", "Level 4: specialist (child in need s17, child protection s47, looked after)"),
)

# Where the front door sends a referral.
ROUTE: Codes = (
    ("no_further_action", "No further action"),
    ("advice", "Advice and signposting"),
    ("programme", "An early-help programme"),
    ("step_up", "Step up to children's social care"),
    ("existing_episode", "Add to an existing episode of support"),
)

# Events in a child's life that agencies record (the feeds deliver them; eligibility rules may count them).
EVENT_KIND: Codes = (
    ("police_incident", "Police incident"),
    ("asb", "Anti-social behaviour"),
    ("arrest", "Arrest"),
    ("domestic_abuse_notification", "Domestic abuse notification"),
    ("missing_episode", "Missing episode"),
    ("school_suspension", "School suspension"),
    ("school_exclusion", "Permanent exclusion from school"),
    ("ae_attendance", "A&E attendance"),
    ("youth_justice_outcome", "Youth justice outcome"),
)

PROGRAMME_CATEGORY: Codes = (
    ("preventative", "Preventative"),
    ("system_change", "System change"),
    ("practice_development", "Practice development"),
    ("therapeutic", "Therapeutic"),
)

MODALITY: Codes = (
    ("one_to_one", "One-to-one"),
    ("family", "Family"),
    ("group", "Group"),
    ("school_workshop", "School workshop"),
    ("online", "Online"),
)

# How strong the published evidence for a programme is, in the words of the evidence summary.
EVIDENCE_RATING: Codes = (
    ("strong", "Strong: a controlled evaluation found an effect"),
    ("promising", "Promising: an evaluation with a comparison found positive results"),
    ("emerging", "Emerging: before-and-after or qualitative findings"),
    ("none", "No formal evaluation yet"),
)

# What the front door offers schools besides taking their referrals.
SCHOOL_OFFER: Codes = (
    ("training", "Training for staff"),
    ("trauma_workshop", "Trauma-awareness workshop"),
    ("tools", "Tools for schools"),
)


# Casework (issue 12). Why an episode of support closed.
CLOSURE_REASON: Codes = (
    ("needs_met", "Needs met"),
    ("stepped_up", "Stepped up to children's social care"),
    ("stepped_down", "Stepped down to universal services"),
    ("disengaged", "Family disengaged"),
    ("moved_away", "Moved away"),
    ("other", "Other"),
)

# Where a child went when an episode was stepped down to universal services.
STEP_DOWN_TO: Codes = (
    ("school", "School (pastoral support)"),
    ("health_visitor", "Health visitor or school nurse"),
    ("gp", "GP"),
    ("childrens_centre", "Children's centre or family hub"),
    ("community", "Community or voluntary group"),
    ("youth_service", "Youth service"),
    ("other", "Other universal service"),
)

# A session of support.
SESSION_TYPE: Codes = (
    ("one_to_one", "1:1"),
    ("family", "Family"),
    ("group", "Group"),
    ("school", "In school"),
)

SESSION_ATTENDANCE: Codes = (
    ("attended", "Attended"),
    ("did_not_attend", "Did not attend"),
    ("cancelled_by_family", "Cancelled by the child or family"),
    ("cancelled_by_service", "Cancelled by the service"),
)

# The early help assessment follows the three domains of the assessment triangle (Framework for the
# Assessment of Children in Need and their Families, Department of Health 2000), each with its dimensions.
ASSESSMENT_DOMAIN: Codes = (
    ("developmental_needs", "The child's developmental needs"),
    ("parenting_capacity", "Parenting capacity"),
    ("family_environment", "Family and environmental factors"),
)

ASSESSMENT_AREA: dict[str, Codes] = {
    "developmental_needs": (
        ("health", "Health"),
        ("education", "Education and learning"),
        ("emotional_behavioural", "Emotional and behavioural development"),
        ("identity", "Identity"),
        ("family_social_relationships", "Family and social relationships"),
        ("social_presentation", "Social presentation"),
        ("self_care", "Self-care skills"),
    ),
    "parenting_capacity": (
        ("basic_care", "Basic care"),
        ("ensuring_safety", "Ensuring safety"),
        ("emotional_warmth", "Emotional warmth"),
        ("stimulation", "Stimulation"),
        ("guidance_boundaries", "Guidance and boundaries"),
        ("stability", "Stability"),
    ),
    "family_environment": (
        ("family_history", "Family history and functioning"),
        ("wider_family", "Wider family"),
        ("housing", "Housing"),
        ("employment", "Employment"),
        ("income", "Income"),
        ("social_integration", "Family's social integration"),
        ("community_resources", "Community resources"),
    ),
}

# How much concern a domain of the assessment raises: the practitioner's judgement, compared domain by
# domain between an assessment and its re-assessment.
CONCERN: Codes = (
    ("0", "No concern: a strength"),
    ("1", "Some concern"),
    ("2", "Significant concern"),
    ("3", "Serious concern"),
)

# Whose words: the voice of the child and family is recorded as theirs.
VOICE: Codes = (
    ("child", "The child or young person"),
    ("parent", "Parent or carer"),
)

# Who rated a goal, who answered a questionnaire.
RATED_BY: Codes = (
    ("child", "The child or young person"),
    ("parent", "Parent or carer"),
    ("practitioner", "Practitioner"),
)

# When a questionnaire was completed in an episode.
TIMEPOINT: Codes = (
    ("entry", "At the start"),
    ("review", "At a review"),
    ("exit", "At the end"),
)

INFORMANT: Codes = (
    ("parent", "Parent or carer"),
    ("teacher", "Teacher"),
    ("self", "The young person (self-report)"),
)


def codes(code_list: Codes) -> frozenset[str]:
    """The set of codes in a code list, for validation."""
    return frozenset(code for code, _ in code_list)


def label(code_list: Codes, code: str) -> str:
    """The label for a code, or the code itself when it is not in the list."""
    return dict(code_list).get(code, code)
