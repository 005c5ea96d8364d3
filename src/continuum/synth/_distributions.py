"""The figures the synthetic county is drawn from, each with where it comes from.

Proportions describe England and are rounded. Where no national statistic exists the figure is a
stated assumption, chosen to look like an ordinary shire county rather than to match one.
"""

from __future__ import annotations

from typing import NamedTuple

# --- Children -------------------------------------------------------------------------------------

# Relative size of each single year of age 0..17. Shape of the ONS mid-year population estimates for
# England (2023): births peaked around 2012 and have fallen since, so 10-12 year olds are the largest
# cohorts and babies the smallest (about 20% fewer).
AGE_COHORT = (
    0.82,
    0.85,
    0.87,
    0.89,
    0.91,
    0.93,
    0.95,
    0.97,
    0.98,
    0.99,
    1.00,
    1.00,
    1.00,
    0.98,
    0.97,
    0.96,
    0.94,
    0.92,
)

# ONS birth characteristics: about 105 boys are born for every 100 girls.
MALE_SHARE = 0.512
# Sex not known or not stated on a child's record: rare (assumption).
SEX_UNKNOWN_SHARE = 0.0005

# Ethnicity of pupils in England: DfE "Schools, pupils and their characteristics" 2023/24
# (White British 63%, other White 7%, Mixed 7%, Asian 12%, Black 6%, Chinese 0.5%, any other 2.3%).
# These are heritages; "not known" is a recording outcome applied afterwards (NOT_KNOWN_SHARE).
CHILD_HERITAGE = {
    "WBRI": 0.630,
    "WIRI": 0.002,
    "WIRT": 0.002,
    "WROM": 0.006,
    "WOTH": 0.060,
    "MWBC": 0.015,
    "MWBA": 0.010,
    "MWAS": 0.019,
    "MOTH": 0.026,
    "AIND": 0.037,
    "APKN": 0.046,
    "ABAN": 0.019,
    "AOTH": 0.018,
    "BCRB": 0.010,
    "BAFR": 0.043,
    "BOTH": 0.007,
    "CHNE": 0.005,
    "OOTH": 0.023,
}
# Same source: about 1% of pupils' ethnicity is refused or not yet obtained.
NOT_KNOWN_SHARE = {"children": 0.010, "adults": 0.025}
REFUSED_OF_NOT_KNOWN = 0.6

# The two heritages a mixed-heritage child's parents bring, and how often the mother is the first.
MIXED_PARENTS = {
    "MWBC": (("WBRI",), ("BCRB",), 0.65),
    "MWBA": (("WBRI",), ("BAFR",), 0.55),
    "MWAS": (("WBRI",), ("AIND", "APKN", "ABAN", "AOTH"), 0.55),
    "MOTH": (("WBRI", "WOTH"), ("OOTH", "BOTH", "CHNE", "AOTH", "MWBC"), 0.55),
}

# First language: DfE (same release) records about 21% of pupils with a first language known or
# believed to be other than English. The home language by heritage below is an assumption shaped so
# that the overall share comes out near that figure: (chance the home language is not English,
# {language: share of those homes}).
HOME_LANGUAGE = {
    "WBRI": (0.002, {"other": 1.0}),
    "WIRI": (0.02, {"other": 1.0}),
    "WIRT": (0.05, {"other": 1.0}),
    "WROM": (0.85, {"ron": 0.55, "bul": 0.15, "other": 0.30}),
    "WOTH": (
        0.82,
        {
            "pol": 0.34,
            "ron": 0.22,
            "lit": 0.08,
            "por": 0.10,
            "spa": 0.06,
            "bul": 0.06,
            "ukr": 0.07,
            "tur": 0.03,
            "other": 0.04,
        },
    ),
    "MWBC": (0.01, {"other": 1.0}),
    "MWBA": (0.18, {"yor": 0.35, "som": 0.20, "other": 0.45}),
    "MWAS": (0.15, {"urd": 0.35, "pan": 0.25, "ben": 0.15, "guj": 0.10, "other": 0.15}),
    "MOTH": (0.28, {"ara": 0.20, "spa": 0.15, "por": 0.15, "pol": 0.10, "other": 0.40}),
    "AIND": (0.66, {"guj": 0.38, "pan": 0.35, "tam": 0.07, "other": 0.20}),
    "APKN": (0.86, {"urd": 0.72, "pan": 0.24, "other": 0.04}),
    "ABAN": (0.92, {"ben": 1.0}),
    "AOTH": (0.76, {"tam": 0.30, "fas": 0.20, "ara": 0.05, "other": 0.45}),
    "BCRB": (0.01, {"other": 1.0}),
    "BAFR": (0.72, {"som": 0.28, "yor": 0.28, "por": 0.10, "ara": 0.07, "other": 0.27}),
    "BOTH": (0.38, {"other": 0.60, "som": 0.20, "yor": 0.20}),
    "CHNE": (0.74, {"zho": 1.0}),
    "OOTH": (0.84, {"ara": 0.45, "fas": 0.22, "tur": 0.18, "other": 0.15}),
}
# Share of children in a non-English-speaking home whose own first language is recorded as English.
CHILD_ENGLISH_IN_OTHER_LANGUAGE_HOME = 0.03

# Special educational needs: DfE "Special educational needs in England" (January 2024): 13.6% of
# pupils on SEN support and 4.8% with an EHC plan; boys are about 64% of SEN support and 72% of EHC
# plans. Rates by age (academic age, i.e. age on the 31 August before the school year): support peaks
# in late primary, plans rise through secondary. Under-school-age and post-16 rates are assumptions.
SEND_BY_AGE = {  # academic age: (SEN support, EHC plan)
    -1: (0.000, 0.000),
    0: (0.004, 0.002),
    1: (0.008, 0.003),
    2: (0.025, 0.006),
    3: (0.040, 0.010),
    4: (0.070, 0.020),
    5: (0.095, 0.030),
    6: (0.115, 0.035),
    7: (0.135, 0.040),
    8: (0.148, 0.045),
    9: (0.155, 0.050),
    10: (0.155, 0.053),
    11: (0.150, 0.055),
    12: (0.142, 0.058),
    13: (0.135, 0.060),
    14: (0.132, 0.062),
    15: (0.128, 0.062),
    16: (0.090, 0.055),
    17: (0.080, 0.052),
}
SEND_SEX_FACTOR = {"M": (1.25, 1.41), "F": (0.738, 0.574), "U": (1.0, 1.0)}

# --- Families and households ------------------------------------------------------------------------

# Completed number of births to a family's mother. Calibrated so that, once children who have grown
# up or are not yet born drop out, the families with dependent children hold one child in 46%, two in
# 38% and three or more in 16%, 1.75 on average (ONS Families and Households 2023: about 1.7).
COMPLETED_FAMILY = (0.257, 0.430, 0.195, 0.062, 0.056)
# Years between births: at least nine months, usually two to four years (ONS birth intervals).
BIRTH_GAP_MIN_YEARS = 0.8
BIRTH_GAP_GAMMA = (2.0, 1.25)  # shape, scale
# ONS: about 15 multiple maternities per 1,000.
TWIN_SHARE = 0.015
# ONS: mean age of mothers at first birth about 29; younger among lone mothers (assumption).
MOTHER_AGE_AT_FIRST_BIRTH = {"partnered": (29.0, 5.2), "lone": (25.5, 5.5)}
FATHER_OLDER_BY = (2.7, 4.0)  # mean, standard deviation (ONS: fathers average about 3 years older)

# ONS Families and Households 2023: about 23% of families with dependent children are lone-parent
# families, about one in ten couple families is a step-family; three-generation households and
# kinship care are a few per cent (Census 2021: about 1 in 70 children live in kinship care).
HOUSEHOLD_STRUCTURE = {
    "couple": 0.606,
    "lone_parent": 0.230,
    "step_family": 0.100,
    "multigenerational": 0.050,
    "kinship": 0.014,
}
# How much more or less often a structure occurs by heritage, relative to everyone (Census 2021
# household composition by ethnic group: lone parenthood is commonest in Black Caribbean and Mixed
# White and Black Caribbean families and rarest in Indian, Chinese and Bangladeshi ones; three
# generations living together is commonest in Pakistani, Bangladeshi and Indian families).
STRUCTURE_BY_HERITAGE = {
    "lone_parent": {
        "BCRB": 2.3,
        "MWBC": 2.0,
        "BOTH": 1.6,
        "BAFR": 1.3,
        "MWBA": 1.5,
        "MOTH": 1.2,
        "AIND": 0.35,
        "APKN": 0.5,
        "ABAN": 0.4,
        "AOTH": 0.6,
        "CHNE": 0.45,
    },
    "multigenerational": {"APKN": 4.0, "ABAN": 4.0, "AIND": 3.0, "AOTH": 2.0, "BAFR": 1.3},
    "kinship": {"WIRT": 2.0, "WROM": 2.0, "BCRB": 1.5, "MWBC": 1.5},
}
LONE_FATHER_SHARE = 0.10  # ONS: about one lone parent with dependent children in ten is a father
SAME_SEX_COUPLE_SHARE = 0.008  # ONS: under 1% of couple families with dependent children
MOTHER_TAKES_PARTNER_SURNAME = 0.65  # married couples are about two-thirds of couple families
# Step-families: the children are the mother's (72%), the father's (16%) or both partners' (12%);
# about half go on to have children together (ONS Families and Households; assumption for the split).
STEP_FAMILY_KIND = {"mother": 0.72, "father": 0.16, "both": 0.12}
STEP_FAMILY_JOINT_CHILDREN = 0.5
# Of multigenerational households: built on a couple (55%) or a lone mother (45%), with one
# grandparent (45%) or two.
MULTIGENERATIONAL_ON_COUPLE = 0.55
ONE_GRANDPARENT = 0.45
# Kinship carers: grandparents (about half, Family Rights Group), aunts and uncles, older siblings.
KINSHIP_CARERS = {
    "grandparents": 0.33,
    "grandmother": 0.22,
    "aunt": 0.17,
    "aunt_and_uncle": 0.18,
    "older_sibling": 0.10,
}
# ONS Labour Force Survey: most 18-21 year olds still live with their parents.
ADULT_CHILD_AT_HOME = {18: 0.80, 19: 0.72, 20: 0.62, 21: 0.55, 22: 0.45, 23: 0.38}
# Of step-fathers, the share whose children from an earlier relationship live elsewhere in the county
# (assumption); each is matched to a lone mother's or another step-family's children where the ages,
# heritage and dates fit, so fewer are linked in the end.
STEP_FATHER_WITH_EARLIER_FAMILY_IN_COUNTY = 0.6
# Households that moved in the last few years (one or two earlier addresses). ONS: about 1 in 10
# households moves each year; families with children move less.
MOVED_HOUSEHOLDS = 0.21
TWO_EARLIER_ADDRESSES = 0.3

DOB_APPROXIMATE = {"adult_other_language": 0.03, "adult": 0.002}
NHS_NUMBER_MISSING = {"uasc": 0.25, "adult_other_language": 0.05, "default": 0.015}
KNOWN_AS_WHEN_NAME_HAS_ONE = 0.34  # gives about 8% of people a recorded "known as" name
MIDDLE_NAME = {"british": 0.72, "irish": 0.72, "default": 0.30}
TWO_MIDDLE_NAMES = 0.12
DOUBLE_BARRELLED_CHILD = 0.04

# --- Schools -------------------------------------------------------------------------------------------

PRIMARY_PUPILS_PER_SCHOOL = 280  # DfE: about 16,800 primaries for 4.6m pupils
SECONDARY_PUPILS_PER_SCHOOL = 1000  # about one secondary per 1,000 children of secondary age (11-15)
CHILDREN_PER_SPECIAL_SCHOOL = 8000
NEAREST_SCHOOL = 0.75  # the rest go to another school in their locality (parental preference)
# DfE SEN in England 2024: about 44% of pupils with an EHC plan attend a state-funded special school.
EHC_PLAN_AT_SPECIAL_SCHOOL = 0.44
# DfE elective home education (autumn 2024): about 1% of compulsory-school-age children, more often
# Gypsy, Roma and Traveller children (assumption for the factor).
NOT_ON_ROLL = 0.009
NOT_ON_ROLL_TRAVELLER_FACTOR = 12.0
RECEPTION_ON_ROLL = 0.97
SIXTH_FORM_ON_ROLL = 0.62  # "most" 16-17 year olds; the rest are at FE colleges or in training
JOINED_SCHOOL_LATE = 0.08

# --- Services ------------------------------------------------------------------------------------------

# Open involvements per 10,000 children at the as-of date. DfE Characteristics of children in need
# (2024): children in need 333 per 10,000, of whom child protection plans 42; DfE Children looked
# after in England (2024): 70 per 10,000. Early help has no national statistic (the DfE early help
# returns began in 2024); CAMHS from NHS Mental Health Services Data Set open referrals for under-18s;
# youth justice per 10,000 10-17 year olds (YJB Youth Justice Statistics: children cautioned or
# sentenced); police contact and voluntary support are assumptions.
OPEN_PER_10K = {
    "cin": 330.0,  # all open social-care episodes, including those on a plan or looked after
    "cp_plan": 40.0,
    "looked_after": 70.0,
    # About 250 in all: the front door's year adds its programme work (see "The front door") to these.
    "early_help": 215.0,
    "camhs": 400.0,
    "police_contact": 150.0,
    "voluntary_support": 100.0,
}
YOUTH_JUSTICE_PER_10K_AGED_10_17 = 15.0
# DfE Children looked after 2024: about 9% of looked-after children are unaccompanied asylum-seeking
# children, nine in ten of them boys and most aged 16 or 17.
UASC_SHARE_OF_LOOKED_AFTER = 0.08
UASC_AGE = {13: 0.02, 14: 0.06, 15: 0.17, 16: 0.35, 17: 0.40}
UASC_MALE = 0.92
UASC_HERITAGE = {"AOTH": 0.40, "BAFR": 0.35, "OOTH": 0.25}
# DfE: about 7 in 10 looked-after children live with foster carers; the rest are placed with parents,
# in children's homes or in supported accommodation (those stay on their family's household here).
LOOKED_AFTER_IN_FOSTER_CARE = 0.78

# Relative rate by single year of age 0..17 (the age profile of each service). Looked after, CP and
# CIN follow the DfE age breakdowns above; the others are assumptions shaped by the published
# figures (CAMHS and police contact concentrated in adolescence, youth justice only from 10).
AGE_PROFILE = {
    "cin": (6, 4, 4, 4, 4, 4.6, 4.6, 4.6, 4.6, 4.6, 6.3, 6.3, 6.3, 6.3, 6.3, 6.3, 8.5, 8.5),
    "cp_plan": (11, 6.8, 6.8, 6.8, 6.8, 5.4, 5.4, 5.4, 5.4, 5.4, 5.2, 5.2, 5.2, 5.2, 5.2, 5.2, 2.5, 2.5),
    "looked_after": (5, 3.5, 3.5, 3.5, 3.5, 3.4, 3.4, 3.4, 3.4, 3.4, 6.3, 6.3, 6.3, 6.3, 6.3, 6.3, 9, 9),
    "early_help": (3, 4.5, 4.5, 4.5, 4.5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 3, 3),
    "camhs": (0.2, 0.2, 0.3, 0.5, 0.8, 1.5, 2, 2.5, 3, 3.5, 5, 6, 8, 11, 13, 14, 14, 13),
    "youth_justice": (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5, 0.8, 2, 3.5, 6, 8, 10, 10),
    "police_contact": (0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.4, 0.6, 2, 3, 5, 7, 9, 10, 10, 10),
    "voluntary_support": (1, 1, 1, 1.5, 2, 3, 3, 3, 3, 3, 3.5, 3.5, 3.5, 3.5, 3, 3, 2.5, 2),
}
# Boys' rate relative to girls' (YJB: about 85% of children in the youth justice system are boys).
MALE_FACTOR = {"youth_justice": 5.5, "police_contact": 2.0, "looked_after": 1.25, "camhs": 0.9}
# Relative rate by SEN status (none, SEN support, EHC plan). DfE children in need 2024: disabled
# children and children with SEN are over-represented; CAMHS and police contact rise with SEN support
# (assumption for the sizes).
SEND_FACTOR = {"social_care": (1.0, 1.3, 2.2), "camhs": (1.0, 1.6, 1.4), "police": (1.0, 1.8, 1.2)}
# Relative rate of social-care involvement by ethnicity (DfE children in need 2024: rates are highest
# for Mixed and Black children, lowest for Asian and Chinese children). Approximate.
SOCIAL_CARE_ETHNICITY_FACTOR = {
    "MWBC": 2.0,
    "MWBA": 1.5,
    "MOTH": 1.5,
    "MWAS": 1.2,
    "BCRB": 1.7,
    "BAFR": 1.1,
    "BOTH": 1.6,
    "AIND": 0.45,
    "APKN": 0.7,
    "ABAN": 0.7,
    "AOTH": 0.8,
    "CHNE": 0.3,
    "WROM": 2.0,
    "WIRT": 2.0,
}
# Family circumstances that raise the chance of help being needed (assumption, in the direction of
# the Children in Need census and the Troubled Families evaluation).
STRUCTURE_RISK = {"couple": 1.0, "lone_parent": 2.2, "step_family": 1.7, "multigenerational": 0.9, "kinship": 3.5}
HOUSEHOLD_RISK_SPREAD = 0.8  # standard deviation of a household's log-risk
# Children known to one service are more often known to another: how much more likely, when open to
# social care, a child is to be known to youth justice or the police; a child open to youth justice
# to the police; and a child in early help to a voluntary organisation (YJB: most children sentenced
# have been children in need; the sizes are assumptions).
KNOWN_TOGETHER = {
    "youth_justice": 3.0,
    "police_if_youth_justice": 30.0,
    "police_if_social_care": 2.0,
    "voluntary_support": 3.0,
}
# Share of the eligible children in a chosen family who are on the plan too (siblings usually are).
SIBLINGS_INCLUDED = {"cp_plan": 0.9, "cin": 0.8, "early_help": 0.85, "looked_after": 0.6}

# Mean length of an episode in years (DfE: a CIN episode lasts under a year on average, a CP plan
# about 9 months; children are looked after for two to three years on average). Closed episodes in
# the look-back come from the same flow: about open x look-back / mean length.
MEAN_YEARS = {
    "early_help": 0.7,
    "cin": 0.9,
    "cp_plan": 0.75,
    "looked_after": 2.5,
    "camhs": 1.0,
    "youth_justice": 0.75,
    "police_contact": 0.6,
    "voluntary_support": 0.6,
    "school_nursing": 1.0,
}
LOOKBACK_YEARS = 3.0
CLOSED_FLOW_FACTOR = 0.8  # children with more than one episode in the look-back are counted once
SCHOOL_NURSING_OPEN = 0.08  # of school-age children (assumption)
HEALTH_VISITING_COVERAGE = 0.99

# --- Staff ---------------------------------------------------------------------------------------------

# Caseload capacity in children. DfE children's social work workforce 2024: 15.8 children per social
# worker on average. Early help and youth justice figures are typical local caseload policies.
CAPACITY = {"early_help": (15, 20), "childrens_social_care": (15, 18), "youth_justice": (10, 12), "voluntary": (18, 24)}
TARGET_UTILISATION = 0.85
PRACTITIONERS_PER_MANAGER = 8
HEALTH_VISITOR_PER_UNDER_FIVES = 400  # Institute of Health Visiting: caseloads of 400 and more are common
SCHOOL_NURSE_PER_PUPILS = 2500
CAMHS_CLINICIAN_PER_OPEN = 40
CHILDREN_PER = {"front_door": 25_000, "police_liaison": 30_000, "analyst": 60_000, "administrator": 40_000}
MINIMUM = {"front_door": 3, "police_liaison": 2, "analyst": 2, "administrator": 2}
TEAM_AROUND_FAMILY = {"school_dsl": 0.5, "health": 0.3}

# --- Places --------------------------------------------------------------------------------------------

# Children are about 21% of England's population (ONS), so places scale with children / 0.21.
CHILDREN_SHARE_OF_POPULATION = 0.21
PEOPLE_PER_PLACE = {"park": 2500, "shop": 1500, "takeaway": 1100, "youth_club": 10_000, "leisure": 50_000}

# --- The front door ------------------------------------------------------------------------------------
# A year of referrals up to the as-of date. None of these is a published figure for a front door like
# this one (a single point of contact for early help and social care, seed 001); each is an assumption,
# with the reasoning beside it and the published figure it leans on, where there is one.

# Referrals a year per 10,000 children. DfE's children in need statistics put referrals to children's
# social care at a little over 500 per 10,000 children a year in recent years; this front door also
# takes requests for early help, so it sees somewhat more (assumption).
REFERRALS_PER_10K = 650.0
# Of all referrals: second referrals for a child within 30 days (a school and the police both refer
# after the same incident) are flagged as possible duplicates (assumption); re-referrals come 31 days to
# a year after an earlier one. DfE reports about one referral to social care in five as a re-referral
# within 12 months; duplicates count towards that here.
DUPLICATE_SHARE = 0.05
RE_REFERRAL_SHARE = 0.17

# Who refers. POWER (seed 000) takes referrals from any agency, most of them from schools, and C4EO
# (seed 001) found referrals generally made by teachers; for social care alone DfE finds the police
# first and schools second. This front door takes early-help requests too, so schools lead (assumption
# for the shares). Schools refer only children on their roll; a step-down comes from social care only
# for a child it has worked with; youth justice refers only children aged 10 or over.
REFERRAL_SOURCE = {
    "school": 0.34,
    "police": 0.22,
    "health": 0.14,
    "early_help": 0.08,
    "voluntary": 0.07,
    "childrens_social_care": 0.06,
    "camhs": 0.05,
    "youth_justice": 0.04,
}
# Children known to the police are referred more often: the police refer the children they meet
# (assumption for the size).
KNOWN_TO_POLICE_REFERRAL_FACTOR = 3.0
# Relative referral rate by single year of age 0..17. POWER's referrals peak in school years 6 and 7,
# aged 10-12 (seed 000); younger children are referred mostly by health visitors and for neglect, older
# ones for exploitation and behaviour (assumption for the shape).
REFERRAL_AGE = (3.0, 2.5, 2.5, 3.0, 3.5, 4.5, 5.0, 5.5, 6.5, 8.0, 11.0, 12.0, 11.0, 8.5, 7.5, 6.5, 5.5, 4.0)
# The first reason a referrer gives, by who refers (assumption; each row sums to 1). School attendance
# comes from schools, domestic abuse mostly from the police (notifications), mental health from health
# and CAMHS, exploitation from the police and youth justice.
REASON_BY_SOURCE = {
    "school": {
        "school_attendance": 0.24,
        "behaviour": 0.22,
        "emotional_wellbeing": 0.25,
        "neglect": 0.08,
        "parenting": 0.06,
        "mental_health": 0.06,
        "exploitation": 0.03,
        "other": 0.06,
    },
    "police": {
        "domestic_abuse": 0.45,
        "exploitation": 0.15,
        "behaviour": 0.15,
        "substance_misuse": 0.07,
        "neglect": 0.08,
        "mental_health": 0.05,
        "other": 0.05,
    },
    "health": {
        "mental_health": 0.22,
        "emotional_wellbeing": 0.18,
        "neglect": 0.15,
        "parenting": 0.17,
        "domestic_abuse": 0.10,
        "substance_misuse": 0.05,
        "housing_poverty": 0.08,
        "other": 0.05,
    },
    "early_help": {
        "parenting": 0.25,
        "housing_poverty": 0.15,
        "emotional_wellbeing": 0.15,
        "behaviour": 0.15,
        "school_attendance": 0.10,
        "neglect": 0.10,
        "other": 0.10,
    },
    "voluntary": {
        "housing_poverty": 0.25,
        "parenting": 0.20,
        "emotional_wellbeing": 0.20,
        "neglect": 0.10,
        "domestic_abuse": 0.10,
        "other": 0.15,
    },
    "childrens_social_care": {
        "parenting": 0.30,
        "neglect": 0.20,
        "domestic_abuse": 0.15,
        "behaviour": 0.15,
        "emotional_wellbeing": 0.10,
        "other": 0.10,
    },
    "camhs": {
        "mental_health": 0.45,
        "emotional_wellbeing": 0.30,
        "behaviour": 0.10,
        "substance_misuse": 0.05,
        "other": 0.10,
    },
    "youth_justice": {
        "exploitation": 0.35,
        "behaviour": 0.30,
        "substance_misuse": 0.15,
        "emotional_wellbeing": 0.10,
        "other": 0.10,
    },
}
# How many reasons a referral gives: one, two or three (assumption); the others come from the same row.
REASONS_GIVEN = (0.55, 0.32, 0.13)
# Consent (assumption): most referrers have it. Seeking it is skipped, with a reason, mostly where telling
# the family could put the child at risk: domestic abuse and exploitation.
CONSENT_REFUSED = 0.10
CONSENT_NOT_SOUGHT = {"high_risk": 0.10, "default": 0.01}
HIGH_RISK_REASONS = ("domestic_abuse", "exploitation", "neglect")

# Working days from receipt to the first decision: 0, 1, 2, 3, 4-5, 6-10 (assumption: against a target of
# one working day, about four in five are decided in time).
DECISION_DELAY = (0.38, 0.42, 0.10, 0.05, 0.03, 0.02)
# Level of need at the first decision (1 universal .. 4 specialist), by whether the first reason is one
# of HIGH_RISK_REASONS (assumption). A child already open to social care is at level 4 nine times in ten.
LEVEL = {"high_risk": (0.05, 0.30, 0.40, 0.25), "default": (0.18, 0.47, 0.25, 0.10)}
LEVEL_WHEN_OPEN_TO_SOCIAL_CARE = 0.9
# Route by level (assumption): no further action, advice, programme. Level 4 always steps up (or joins
# the open social-care episode); a child already open to early help joins that episode instead of a
# programme, as does a child who had a programme this year.
ROUTE_BY_LEVEL = {1: (0.45, 0.55, 0.0), 2: (0.20, 0.42, 0.38), 3: (0.0, 0.30, 0.70)}
# A team asked to take a child (a programme or a step up) accepts it, or declines with a reason the front
# door sees (seed 003: placement platforms that lost decline reasons lost providers' trust). Assumption.
TRANSFER_DECLINED = 0.12
# Working days to answer a transfer: 0-1, 2-3, 4-10 (assumption).
TRANSFER_DELAY = (0.5, 0.35, 0.15)
# Each programme in each locality is commissioned for a number of places (children at once): about this
# share of the children the year's accepted referrals would keep on it at once, and at least one. Below
# demand, which is why programmes keep waiting lists (assumption).
PROGRAMME_PLACES_SHARE = 0.85
# Days a family waits on a programme's waiting list before giving up on the place (mean of an
# exponential; assumption).
WAITING_WITHDRAWS_AFTER_DAYS = 180.0


class Fit(NamedTuple):
    """Who a programme takes: ages (youngest, oldest), the referral reasons it suits, its length in days."""

    ages: tuple[int, int]
    needs: tuple[str, ...]
    days: tuple[int, int]


# The programmes the front door routes children to, and who fits each: ages in completed years on the
# day of the decision (from the seeds where they give them), the referral reasons the programme suits,
# the levels it takes, and how long the work lasts in days. All are delivered by the locality early-help
# teams here, so each allocation is an early-help episode with a lead practitioner. Programmes for
# looked-after children (Creative Life Story, Inside Out), for mothers (Pause), for young people already
# in the youth justice system (SHiFT) and the online and hospital services (Kooth, Redthread) take no
# referrals from this front door.
PROGRAMMES: dict[str, Fit] = {
    # POWER (seed 000): ages 8-13, known to police, not open to youth justice, CAMHS or social care;
    # up to 12 one-to-one sessions.
    "power": Fit(ages=(8, 13), needs=("emotional_wellbeing", "behaviour", "domestic_abuse"), days=(84, 150)),
    # Families Functional Therapy (seed 003): ages 10-14, three to five months.
    "functional-family-therapy": Fit(ages=(10, 14), needs=("exploitation", "behaviour"), days=(90, 150)),
    # LYFT (seed 003): adolescents offending or at risk of it, weekly family sessions for five to eight months.
    "lyft": Fit(ages=(11, 17), needs=("behaviour", "exploitation", "substance_misuse"), days=(150, 240)),
    # Staying Together (seed 003): adolescents at risk of family breakdown, four to twelve weeks.
    "staying-together": Fit(ages=(11, 17), needs=("parenting", "behaviour", "housing_poverty"), days=(28, 84)),
    # Strengthening Families Strengthening Communities (seed 001): a parenting course (length assumed: waiting
    # for the next course, eight weekly sessions, and the follow-up).
    "strengthening-families": Fit(ages=(3, 17), needs=("parenting", "neglect"), days=(112, 140)),
    # Step Up Step Down (seed 003): short-term support to keep children out of care (length assumed).
    "step-up-step-down": Fit(ages=(0, 17), needs=("neglect", "parenting", "domestic_abuse"), days=(60, 120)),
    # More than Mentors (seed 003): peer mentoring for emotional wellbeing (ages and length assumed).
    "more-than-mentors": Fit(ages=(11, 17), needs=("emotional_wellbeing", "mental_health"), days=(90, 180)),
    # Harmony Groups (seed 003): music-therapy groups for children aged five and under (length assumed).
    "harmony-groups": Fit(ages=(0, 5), needs=("emotional_wellbeing", "neglect", "parenting"), days=(60, 120)),
    # No Wrong Door (seed 003): adolescents on the edge of care (ages and length assumed).
    "no-wrong-door": Fit(ages=(12, 17), needs=("neglect", "behaviour", "exploitation"), days=(120, 270)),
}
# The levels each programme takes (assumption: step-up-step-down and No Wrong Door are for complex needs).
PROGRAMME_LEVELS = {"step-up-step-down": (3,), "no-wrong-door": (3,)}

# What schools take up besides referring, per school a year (Poisson means; assumption). POWER offers
# schools trauma-awareness workshops (seed 000); nearly all of Cheshire East's schools used its partnership's
# tools for schools (seed 002); school staff were trained to run parenting courses in Tower Hamlets (seed
# 001). Schools that refer more take up more.
SCHOOL_OFFERS = {"training": 0.5, "trauma_workshop": 0.3, "tools": 0.6}
