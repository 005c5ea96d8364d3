"""The programme catalogue as the source documents describe it, so `continuum migrate` gives a usable one.

Facts (names, providers, ages, sessions, durations, figures, costs) come from the documents in the
project's seeds folder, each entry naming its own; every summary is written in the catalogue's own
words. A fact the source does not give is left empty. Each programme gets version 1 of its
eligibility rules, with a note saying what in the source the rules stand for.

The data is written here, not imported, so this migration means the same thing whenever it runs.
"""

from decimal import Decimal
from typing import Any

from django.db import migrations

S000 = "Seed 000 (000_8159a131f115551f.txt): Essex, Thurrock and Southend-on-Sea: the POWER project"
S001 = (
    "Seed 001 (001_ed8f03f7b8a2c157.txt): Early intervention: early messages from effective local practice "
    "(C4EO, March 2010)"
)
S002 = (
    "Seed 002 (002_d60e8eb5bae4804d.txt): Cheshire East: developing emotionally healthy children and young "
    "people (March 2020)"
)
S003 = "Seed 003 (003_17170b9a77f0906f.txt): Coram Innovation Incubator: the CII Innovation Collective"
S004 = (
    "Seed 004 (004_f0c949abad9ece95.txt): Lancashire: EmPower contextual safeguarding model and multi-agency "
    "working update (March 2024)"
)

LOOKED_AFTER = {"kind": "known_to", "label": "looked after", "involvements": ["looked_after"]}
NOT_IN_CARE = {"kind": "not_open", "label": "not already in care", "involvements": ["looked_after"]}
EDGE_OF_CARE = {"kind": "level", "min": 3, "max": 4}
WINDOW = "The 12-month window is the catalogue's choice; the source gives none."

CATALOGUE: list[dict[str, Any]] = [
    {
        "slug": "power",
        "name": "POWER",
        "provider": "Essex, Southend-on-Sea and Thurrock councils with their CAMHS provider",
        "category": "preventative",
        "modalities": ["one_to_one", "family", "school_workshop"],
        "needs": ["emotional_wellbeing", "behaviour", "school_attendance"],
        "summary": (
            "Promoting Opportunities with Emotional Resilience: emotional wellbeing support for children of "
            "8 to 13 who have come to the attention of the police (for anti-social behaviour, offences that "
            "would not reach court, domestic abuse incidents at home, or as victims of crime) and who are not "
            "already supported by youth offending services, CAMHS or children's social care. A POWER "
            "practitioner sees the child one to one, mostly at school, with extra sessions for parents and "
            "the family, and offers schools trauma-awareness workshops. Staff from CAMHS, schools, voluntary "
            "organisations and the youth offending services of three councils designed it; helping children "
            "stay in mainstream school across the move from primary to secondary is a central aim."
        ),
        "min_age": 8,
        "max_age": 13,
        "session_limit": 12,
        "measures": ["Strengths and Difficulties Questionnaire (on entry and exit)"],
        "evidence_rating": "none",
        "evidence_summary": (
            "Not formally evaluated. The team keeps routine data and, where it can, an SDQ when a child starts "
            "and finishes; the programme's leaders call the early data encouraging, but it is not published. "
            "Qualitative research by an independent team suggests the project reaches children who need help "
            "and that families and professionals value it."
        ),
        "outcome_figures": (
            "No outcome figures published. Referrals peak in school years 6 and 7 (ages 10 to 12); more than "
            "half of the children referred have been involved with children's social care before."
        ),
        "source": S000,
        "rules": [
            {"kind": "age", "min": 8, "max": 13},
            {
                "kind": "known_to",
                "label": "known to police",
                "involvements": ["police_contact"],
                "events": ["police_incident", "asb", "arrest", "domestic_abuse_notification"],
                "months": 12,
            },
            {
                "kind": "not_open",
                "label": "not already supported by youth justice, CAMHS or social care",
                "involvements": ["youth_justice", "camhs", "cin", "cp_plan", "looked_after"],
            },
        ],
        "note": (
            "From seed 000: ages 8 to 13; known to police; not already supported by youth offending services, "
            "CAMHS or children's social care."
        ),
    },
    {
        "slug": "strengthening-families",
        "name": "Strengthening Families Strengthening Communities",
        "provider": "London Borough of Tower Hamlets (Parenting Early Intervention Pathfinder)",
        "category": "preventative",
        "modalities": ["group"],
        "needs": ["parenting"],
        "summary": (
            "A group parenting course run in primary and secondary schools and community venues, in the "
            "school day, after school and in the evening, with courses aimed at fathers and at parents whose "
            "children have profound and multiple learning difficulties. Tower Hamlets chose it for the "
            "Parenting Early Intervention Pathfinder because it already ran well there; staff from several "
            "agencies led the first courses and trained school and voluntary-sector staff to lead later ones, "
            "so that it became part of the extended schools offer."
        ),
        "evidence_rating": "emerging",
        "evidence_summary": (
            "A national evaluation by the University of Warwick reported a positive effect on parents and their "
            "families; the council exceeded several of its own targets."
        ),
        "outcome_figures": (
            "81% of parents stayed to the end (the target was 70%); nearly three times the planned number of "
            "facilitators were trained; more courses ran, and more parents took part, than targeted."
        ),
        "source": S001,
        "rules": [],
        "note": "From seed 001: a parenting course with no stated limits on the children's age or level of need.",
    },
    {
        "slug": "building-bridges",
        "name": "Building Bridges",
        "provider": (
            "Family Action, with Lewisham, Hackney, Southwark, Luton, Newham, Tower Hamlets, Coventry and Sevenoaks"
        ),
        "category": "preventative",
        "modalities": ["family"],
        "needs": ["mental_health", "parenting"],
        "summary": (
            "Home visits for families where a parent lives with a severe and enduring mental illness. Staff "
            "qualified to NVQ level 3 and supervised by a qualified social worker begin with what the family "
            "says it needs: practical help and emotional support, help for the parent to understand their "
            "illness, parent well and deal with other services, and separate attention to the child's needs."
        ),
        "evidence_rating": "emerging",
        "evidence_summary": (
            "An evaluation found a noticeable improvement in outcomes for children and parents. Acting early is "
            "meant to stop a parent's illness escalating, avoiding hospital admissions and children entering care."
        ),
        "source": S001,
        "rules": [],
        "note": "From seed 001: the service is for the family of a parent with mental illness; no limits on the child.",
    },
    {
        "slug": "bristol-playbus",
        "name": "Bristol Playbus on Traveller sites",
        "provider": "Bristol Playbus",
        "category": "preventative",
        "modalities": ["group"],
        "needs": ["other"],
        "summary": (
            "An early-years play bus visiting two Traveller sites that are far from local services. Children "
            "have time for free, creative and messy play and stories, and a picture diary records each child's "
            "progress; parents get time to themselves and make friends who can support them. A health visitor holds "
            "baby clinics on board, agencies meet there, and a link worker at one site works with the local "
            "primary school to help children settle into school."
        ),
        "evidence_rating": "emerging",
        "evidence_summary": (
            "Families say their children's development has improved while attending, and commissioning officers agree."
        ),
        "source": S001,
        "rules": [],
        "note": "From seed 001: an early-years service; the source gives no age band.",
    },
    {
        "slug": "residential-life-coach",
        "name": "Life coach in residential children's homes",
        "provider": "A residential children's home in Kensington and Chelsea, with local CAMHS",
        "category": "therapeutic",
        "modalities": ["one_to_one", "group"],
        "needs": ["mental_health", "emotional_wellbeing"],
        "summary": (
            "A psychologist working as a 'life coach' in a children's home, after young people there said why "
            "they did not take up CAMHS and that solution-focused approaches suited them. Young people chose "
            "formal or activity-based sessions with the coach, who also taught staff solution-focused "
            "techniques, active listening, recognising depression, attachment and styles of parenting."
        ),
        "duration": "Began as a 12-month pilot, two days a week; later a full-time post covering a second home",
        "evidence_rating": "emerging",
        "evidence_summary": (
            "Young people and staff, asked in focus groups, valued the coach and the difference made, "
            "including helping young people use their own resources; Ofsted commended the post."
        ),
        "source": S001,
        "rules": [LOOKED_AFTER],
        "note": "From seed 001: young people living in residential care, so looked after.",
    },
    {
        "slug": "under-achieving-project",
        "name": "Under-Achieving Project",
        "provider": "",
        "category": "preventative",
        "modalities": ["one_to_one", "family"],
        "needs": ["school_attendance", "behaviour"],
        "summary": (
            "Individual advocacy and support, in Rugby and Nuneaton, for young people of 13 to 19 at risk of "
            "falling behind in education and of social exclusion, and for their families; teachers make most "
            "referrals. Young people helped design and deliver it, and those who show leadership become peer "
            "mentors. Support is tailored to each young person and includes home visits, visits to residential "
            "schools and coordinated help from justice, health, education, youth and voluntary services."
        ),
        "min_age": 13,
        "max_age": 19,
        "evidence_rating": "emerging",
        "evidence_summary": (
            "Reported outcomes include going back to school, moving into training or work, in-house "
            "certificates, and more motivation, confidence and self-esteem; young people keep working with the "
            "project voluntarily."
        ),
        "source": S001,
        "rules": [{"kind": "age", "min": 13, "max": 19}],
        "note": "From seed 001: ages 13 to 19.",
    },
    {
        "slug": "exeter-targeted-family-support",
        "name": "Targeted family support through children's centres (Exeter)",
        "provider": "Action for Children",
        "category": "preventative",
        "modalities": ["family", "group"],
        "needs": ["parenting"],
        "summary": (
            "Two Exeter children's centres, near two schools, offering universal and targeted services side by "
            "side with intensive casework from the project's social workers, so families find help at whatever "
            "level they need it. Staff are trained in the Incredible Years approach; parents who are struggling "
            "can join the universal parenting groups as well as having casework. An agreement with the council "
            "lets the centres take the council's referrals of children in need, children in care and child "
            "protection cases."
        ),
        "evidence_rating": "emerging",
        "evidence_summary": (
            "An independent evaluation found that the families receiving targeted support achieved strong "
            "outcomes from the mix of universal and targeted services."
        ),
        "outcome_figures": "About 10% of the families using the centres received targeted support.",
        "source": S001,
        "rules": [],
        "note": "From seed 001: the centres take families at every level of need.",
    },
    {
        "slug": "emotionally-healthy-children",
        "name": "Emotionally Healthy Children and Young People programme",
        "provider": (
            "Cheshire East Council children's services, with the clinical commissioning groups, CAMHS, "
            "headteachers and voluntary organisations"
        ),
        "category": "preventative",
        "modalities": ["online", "one_to_one", "group", "school_workshop"],
        "needs": ["emotional_wellbeing", "mental_health"],
        "summary": (
            "A partnership paid for mainly from the council's public health budget, aiming to make children and "
            "young people more resilient and to reduce A&E attendances and unsuitable CAMHS referrals. It began "
            "with 'emotionally healthy schools' pilots in six secondary schools in 2016, reached every primary "
            "and secondary school in 2017 through its 'tools for schools' offer, and was recommissioned in 2019 "
            "for four years. Young people can use online support, drop-in sessions, counselling and friendship "
            "groups; work with early years settings and parents was planned."
        ),
        "evidence_rating": "emerging",
        "evidence_summary": (
            "Schools report staff more confident to spot and respond to emotional harm, and changes in classroom "
            "behaviour and readiness to learn; CAMHS reports fewer and more appropriate referrals, after an "
            "initial rise in demand; providers report better outcomes for the young people they support."
        ),
        "outcome_figures": (
            "Nearly 97% of the area's primary and secondary schools have used tools for schools; 26 schools accredited by "
            "AcSEED; about 150 young people a month register for online support; more than 600 have been to "
            "drop-in sessions; 300 have had counselling (about 2,000 sessions); 60 attend friendship groups."
        ),
        "source": S002,
        "rules": [],
        "note": "From seed 002: open to children and young people generally; no limits stated.",
    },
    {
        "slug": "disrupting-exploitation",
        "name": "Disrupting Exploitation",
        "provider": "The Children's Society",
        "category": "preventative",
        "modalities": ["group", "one_to_one"],
        "needs": ["exploitation"],
        "summary": (
            "Work in London, Manchester and Birmingham to stop young people becoming victims of "
            "criminal exploitation: a six-week programme on exploitation, healthy relationships, confidence, "
            "safety and gender, trauma-informed therapeutic support that can be short or long, and advocacy so "
            "that professionals recognise these young people as vulnerable. The wider project also trains "
            "professionals, offers positive activities and helps parents protect their children."
        ),
        "typical_weeks": 6,
        "duration": "6 weeks; therapeutic support can be shorter or longer",
        "evidence_rating": "emerging",
        "evidence_summary": "A 2019 report found that three in four young people said they felt safer.",
        "outcome_figures": (
            "More than 350 young people referred; 45 took part in targeted group work during year one; 75% said they "
            "felt safer (2019 report)."
        ),
        "source": S003,
        "rules": [],
        "note": "From seed 003: young people at risk of criminal exploitation; no age band or threshold stated.",
    },
    {
        "slug": "creative-life-story",
        "name": "Creative Life Story",
        "provider": "Blue Cabin CIC, supported by Therapeutic Life Story International",
        "category": "therapeutic",
        "modalities": ["one_to_one", "family"],
        "needs": ["emotional_wellbeing"],
        "summary": (
            "Life story work for care-experienced children of 5 to 17 that joins therapeutic life story work to "
            "creative sessions with a professional artist, on family, friendship, memories and hopes, so that "
            "children understand their own story better and talk with their carer about where they have come from and where they are going. "
            "Developed in South Tyneside, then taken up by Darlington and Gateshead with What Works for "
            "Children's Social Care funding."
        ),
        "min_age": 5,
        "max_age": 17,
        "session_limit": 6,
        "measures": [
            "Strengths and Difficulties Questionnaire (at the end, against a control group)",
            "Placement stability",
            "School stability",
        ],
        "evidence_rating": "none",
        "evidence_summary": (
            "A randomised controlled trial of the 2021 phase by Coram and Ipsos MORI, with process and cost "
            "evaluations, was under way; its report was due in June 2022."
        ),
        "outcome_figures": "Planned for 270 children and young people in care.",
        "source": S003,
        "rules": [{"kind": "age", "min": 5, "max": 17}, LOOKED_AFTER],
        "note": "From seed 003: ages 5 to 17; looked-after children.",
    },
    {
        "slug": "creative-mentoring",
        "name": "Creative Mentoring Programme",
        "provider": "The Mighty Creatives (Leicester)",
        "category": "therapeutic",
        "modalities": ["one_to_one"],
        "needs": ["school_attendance", "emotional_wellbeing"],
        "summary": (
            "One-to-one mentoring through creative activities for care-experienced young people of 4 to 19 in "
            "Leicester whose education is at risk, building skills, confidence, communication and relationships "
            "so they do better at school."
        ),
        "min_age": 4,
        "max_age": 19,
        "duration": "3–9 months",
        "evidence_rating": "none",
        "evidence_summary": "Still new; little evaluation of outcomes so far.",
        "source": S003,
        "rules": [{"kind": "age", "min": 4, "max": 19}],
        "note": "From seed 003: ages 4 to 19 (care-experienced, which includes children no longer in care).",
    },
    {
        "slug": "functional-family-therapy",
        "name": "Families Functional Therapy G-Service",
        "provider": "London Borough of Redbridge with Family Psychology Mutual (Youth Endowment Fund)",
        "category": "therapeutic",
        "modalities": ["family"],
        "needs": ["exploitation", "behaviour", "parenting"],
        "summary": (
            "Family therapy based on a US model, also called Families Are Forever, for young people of 10 to 14 "
            "on the edge of gang involvement, often where family conflict has been reported. A specialist "
            "clinical therapist works with the young person and family in four stages (engaging, motivating, "
            "changing behaviour, and carrying the changes into everyday life) to improve relationships and "
            "communication so that problem behaviour and offending stop."
        ),
        "min_age": 10,
        "max_age": 14,
        "duration": "3–5 months",
        "evidence_rating": "emerging",
        "evidence_summary": (
            "Redbridge was preparing an impact report; it suggests the therapy contributes to fewer police "
            "Merlin reports and better engagement with education. Young people have generally engaged well."
        ),
        "outcome_figures": "130 referrals; 18 families completed and 5 more under way.",
        "source": S003,
        "rules": [{"kind": "age", "min": 10, "max": 14}],
        "note": "From seed 003: ages 10 to 14.",
    },
    {
        "slug": "futures-for-families",
        "name": "Futures for Families",
        "provider": "Middlesbrough Council (DfE funded)",
        "category": "therapeutic",
        "modalities": ["one_to_one", "family"],
        "needs": ["parenting", "behaviour"],
        "summary": (
            "Help for young people and families in crisis, to prevent family breakdown and the young person "
            "entering care, drawing on North Yorkshire's No Wrong Door model: each young person has a support "
            "worker, and the work centres on building relationships, including those within the family."
        ),
        "evidence_rating": "none",
        "evidence_summary": "Little evaluation so far, though the No Wrong Door model it draws on is better established.",
        "source": S003,
        "rules": [EDGE_OF_CARE, NOT_IN_CARE],
        "note": "From seed 003: families in crisis with a young person at risk of entering care (levels 3 to 4).",
    },
    {
        "slug": "restorative-parenting-recovery",
        "name": "Restorative Parenting Recovery Programme",
        "provider": "Halliwell Homes",
        "category": "therapeutic",
        "modalities": ["one_to_one"],
        "needs": ["emotional_wellbeing", "mental_health"],
        "summary": (
            "An individually planned recovery programme for children of 5 to 12 who have experienced trauma, "
            "grounded in psychological and neurological theory. Children's home staff, the school and clinical "
            "and training staff work together; children have key work and therapy to form trusting "
            "relationships, social skills and healthy attachments, working towards mainstream school and a "
            "stable foster home."
        ),
        "min_age": 5,
        "max_age": 12,
        "duration": "18–24 months",
        "measures": ["Restorative Parenting Recovery Index"],
        "evidence_rating": "emerging",
        "evidence_summary": (
            "The provider's figures for 2020, and an analysis published in March 2021, report gains in "
            "self-care, self-perception and relationships, and less marked gains in self-awareness and emotional "
            "competence."
        ),
        "outcome_figures": (
            "In 2020 children finished in 2 years on average and moved to mainstream school after 12 months, with "
            "average attendance of 99% over the year; by the time the programme ended every child had "
            "moved to a kinship or fostering placement."
        ),
        "source": S003,
        "rules": [{"kind": "age", "min": 5, "max": 12}, LOOKED_AFTER],
        "note": "From seed 003: ages 5 to 12, living in the provider's children's homes (looked after).",
    },
    {
        "slug": "harmony-groups",
        "name": "Harmony Groups",
        "provider": "Coram (funded by Comic Relief)",
        "category": "therapeutic",
        "modalities": ["group", "one_to_one", "online"],
        "needs": ["emotional_wellbeing", "parenting"],
        "summary": (
            "Therapeutic groups for children no older than five, with their carers, after care proceedings; "
            "they are led by a music therapist and an IAPT-trained infant health practitioner. Half-hour "
            "sessions of music, movement and sensory stories strengthen the bond between child and carer and "
            "build the skills children need for school; needs noticed in the group are followed up in "
            "individual sessions, and parents can have one-to-one sessions too. The groups moved online during "
            "Covid; a pilot for special guardianship families was planned."
        ),
        "max_age": 5,
        "duration": "30-minute sessions",
        "evidence_rating": "emerging",
        "evidence_summary": (
            "Practitioners saw behaviour change in most children in the first phase: more confidence, focus and "
            "attention, clearer speech and better social interaction. Parents' feedback was mostly positive."
        ),
        "outcome_figures": "Behaviour change noted for 71% of children in the first phase (ended February 2021).",
        "source": S003,
        "rules": [{"kind": "age", "max": 5}],
        "note": "From seed 003: aged five and under (children who have been through care proceedings).",
    },
    {
        "slug": "redthread",
        "name": "Redthread Youth Violence Intervention Programme",
        "provider": "Redthread",
        "category": "therapeutic",
        "modalities": ["one_to_one"],
        "needs": ["exploitation", "mental_health", "domestic_abuse"],
        "summary": (
            "Youth workers based in hospitals in London, Birmingham and Nottingham who bring a trauma-informed "
            "approach to young people in the health system: in emergency departments with young victims of "
            "violence, at the Well Centre where young people can reach health services, and with adolescent "
            "inpatients at King's College Hospital. They work on mental health, domestic and sexual violence, "
            "exploitation and gang violence."
        ),
        "measures": ["Risk score"],
        "evidence_rating": "emerging",
        "evidence_summary": (
            "A 2020 cost-benefit analysis of the emergency-department programme found savings of £4.90 for "
            "every £1 spent; a 2017 report found most young people's risk scores fell. More evaluation is "
            "under way."
        ),
        "outcome_figures": (
            "5,045 young people supported between January 2018 and December 2020; £4.90 saved for every £1 spent "
            "(2020 analysis); risk score down for 74%, unchanged for 15% and up for 11% (2017 report)."
        ),
        "source": S003,
        "rules": [{"kind": "known_to", "label": "attended A&E", "events": ["ae_attendance"], "months": 12}],
        "note": f"From seed 003: young people who come to hospital emergency departments. {WINDOW}",
    },
    {
        "slug": "innovate-therapeutic-care",
        "name": "Innovate Therapeutic Care",
        "provider": "Innovate Services",
        "category": "therapeutic",
        "modalities": ["one_to_one", "family"],
        "needs": ["emotional_wellbeing", "mental_health"],
        "summary": (
            "A 16-week therapeutic programme helping young people move out of costly residential care into "
            "foster care, supported living or back home. A multi-disciplinary team (therapists, educational "
            "psychologists, and staff from mental health and social care) works with the young person, parents and carers on "
            "resilience, writes a step-down plan, finds and prepares foster carers, and keeps offering outreach "
            "sessions after the move."
        ),
        "typical_weeks": 16,
        "duration": "16 weeks",
        "evidence_rating": "none",
        "evidence_summary": "The source reports no evaluation.",
        "source": S003,
        "rules": [LOOKED_AFTER],
        "note": "From seed 003: young people in residential care (looked after).",
    },
    {
        "slug": "inside-out",
        "name": "Inside Out",
        "provider": "The Children's Society (DfE funded)",
        "category": "therapeutic",
        "modalities": ["one_to_one", "family", "group"],
        "needs": ["emotional_wellbeing"],
        "summary": (
            "Intensive coaching for young people of 14 to 17 in care in Essex, Hertfordshire and Norfolk who "
            "have moved placement many times. Each has a coach, independent of the placement provider so the "
            "relationship survives a move, for 25 hours a week including evenings and weekends, in person or "
            "online, at home, in the placement or out and about. The aims are stable placements, a step down to "
            "less intensive care, and better wellbeing and relationships."
        ),
        "min_age": 14,
        "max_age": 17,
        "duration": "18 months, 25 hours a week",
        "evidence_rating": "promising",
        "evidence_summary": (
            "A Tavistock evaluation for the DfE (March 2020) found a positive effect for most young people: "
            "more stable placements, fewer missing episodes, better wellbeing and less risky behaviour, at least "
            "in the short term; staying in education or work remained hard."
        ),
        "outcome_figures": "For every £1 spent, £2.50 of benefit to the council or the wider sector (March 2020).",
        "source": S003,
        "rules": [{"kind": "age", "min": 14, "max": 17}, LOOKED_AFTER],
        "note": "From seed 003: ages 14 to 17, in care with unstable placements.",
    },
    {
        "slug": "kooth",
        "name": "Kooth",
        "provider": "Kooth",
        "category": "therapeutic",
        "modalities": ["online"],
        "needs": ["emotional_wellbeing", "mental_health"],
        "summary": (
            "Anonymous online mental health support for children and young people, running since 2004: "
            "magazines, forums, activities, messaging, and booked or drop-in sessions with practitioners, with "
            "risk checks and a route to urgent help. Young people choose what suits them and need no referral, "
            "so they avoid waiting lists."
        ),
        "measures": ["Goal-based outcomes"],
        "evidence_rating": "emerging",
        "evidence_summary": "Progress is tracked with goal-based outcomes; most users who set goals reach them.",
        "outcome_figures": (
            "Used by more than 170,000 children and young people during 2020; 63% of those who set goals in 2021 "
            "reached them; 94% of those asked would recommend it to a friend; it submitted NHS mental health data "
            "for 90 clinical commissioning groups."
        ),
        "source": S003,
        "rules": [],
        "note": "From seed 003: open to any child or young person without referral; no limits stated.",
    },
    {
        "slug": "lighthouse-parenting",
        "name": "Lighthouse Parenting Programme",
        "provider": "Bath and North East Somerset Council and Oxford Health NHS Trust",
        "category": "therapeutic",
        "modalities": ["group", "one_to_one"],
        "needs": ["parenting"],
        "summary": (
            "A parenting programme based on mentalization-based treatment for families whose child is subject to a "
            "child protection plan or in pre-proceedings. It helps parents understand what their child is experiencing "
            "and thinking and respond to the child's needs, in groups or individually, aiming at better "
            "parenting, less maltreatment, and fewer families on plans or moving into proceedings."
        ),
        "evidence_rating": "none",
        "evidence_summary": (
            "A randomised controlled trial by What Works for Children's Social Care in five local authorities was "
            "due to finish in September 2022."
        ),
        "source": S003,
        "rules": [{"kind": "known_to", "label": "on a child protection plan", "involvements": ["cp_plan"]}],
        "note": "From seed 003: a child on a child protection plan (pre-proceedings cases come from that group).",
    },
    {
        "slug": "lyft",
        "name": "LYFT",
        "provider": "London Borough of Lewisham Youth Offending Service",
        "category": "therapeutic",
        "modalities": ["family"],
        "needs": ["behaviour", "emotional_wellbeing", "parenting"],
        "summary": (
            "The Lewisham Youth Offending Service Family Team works with adolescents who offend or may offend and "
            "have long-standing emotional and behavioural difficulties, and their families. Families meet weekly "
            "for the Family Works programme in four phases (engage; motivate; change and practise; sustain and "
            "maintain), setting SMART goals and learning skills such as solving problems, communicating well and "
            "resolving conflict. A therapeutic hub with ARTS agrees the plan for more complicated cases with the family."
        ),
        "duration": "5–8 months of weekly family sessions",
        "evidence_rating": "none",
        "evidence_summary": "No evaluation data published yet.",
        "source": S003,
        "rules": [
            {
                "kind": "known_to",
                "label": "offending or at risk of offending",
                "involvements": ["youth_justice", "police_contact"],
                "events": ["arrest", "youth_justice_outcome", "police_incident", "asb"],
                "months": 12,
            }
        ],
        "note": (
            "From seed 003: adolescents who offend or are at risk of offending, read as known to youth justice or "
            f"police. {WINDOW}"
        ),
    },
    {
        "slug": "managing-my-childs-anxiety",
        "name": "Managing My Child's Anxiety",
        "provider": "Royal Borough of Windsor and Maidenhead",
        "category": "therapeutic",
        "modalities": ["online"],
        "needs": ["mental_health", "parenting"],
        "summary": (
            "A self-help course for parents of anxious children, based on cognitive behavioural therapy: parents "
            "watch one video a week introducing a module, then use worksheets and resources with their child "
            "before the next. The videos are on the council's website."
        ),
        "evidence_rating": "none",
        "evidence_summary": "Little evaluation so far.",
        "source": S003,
        "rules": [],
        "note": "From seed 003: a course for parents; no limits on the child stated.",
    },
    {
        "slug": "mockingbird",
        "name": "Mockingbird",
        "provider": "The Fostering Network",
        "category": "therapeutic",
        "modalities": ["family", "group"],
        "needs": ["other"],
        "summary": (
            "An extended-family model from the USA: an experienced hub foster carer gives short breaks, training "
            "and support to a cluster of nearby satellite fostering households, and brothers and sisters placed "
            "apart can meet at shared events and sleepovers. The aim is a community of foster families who "
            "support one another, so fewer placements break down."
        ),
        "evidence_rating": "promising",
        "evidence_summary": (
            "A DfE-commissioned evaluation led by the Rees Centre, University of Oxford (September 2020, 12 sites) "
            "found stronger relationships and sense of community, and better carer retention; qualitative "
            "evidence pointed to more stable placements and better wellbeing. It asked for a fuller study of "
            "value for money."
        ),
        "outcome_figures": (
            "October 2020: 39 partners, with 491 hub and satellite homes holding more than 1,953 children and adults. "
            "May 2018 to March 2020: 119 carer resignations averted, 216 children with more stable placements, "
            "and about £3 million of costs avoided."
        ),
        "source": S003,
        "rules": [LOOKED_AFTER],
        "note": "From seed 003: children in foster care (looked after).",
    },
    {
        "slug": "more-than-mentors",
        "name": "More than Mentors",
        "provider": "Community Links, with UCLPartners",
        "category": "therapeutic",
        "modalities": ["one_to_one", "online"],
        "needs": ["mental_health", "emotional_wellbeing"],
        "summary": (
            "Peer mentoring to catch the first signs of poor mental health and build resilience. Young mentors "
            "of 11 to 21, trained and supported by specialists (they can gain a level 2 peer-mentoring "
            "qualification), each mentor a young person of 8 to 17 whose mental health difficulties are low-level, "
            "backed by youth workers who can call on CAMHS. Sessions cover school, home, confidence, behaviour "
            "and friends; most mentees come through schools, by teachers' suggestion or their own. First piloted "
            "in East London; online since the pandemic."
        ),
        "min_age": 8,
        "max_age": 17,
        "session_limit": 10,
        "evidence_rating": "promising",
        "evidence_summary": (
            "An Anna Freud Centre evaluation found mentees' mental health and resilience improved, and mentors "
            "benefited at home and at school."
        ),
        "outcome_figures": "About 1,294 mentors and mentees matched since 2016.",
        "source": S003,
        "rules": [{"kind": "age", "min": 8, "max": 17}, {"kind": "level", "label": "low-level needs", "max": 2}],
        "note": "From seed 003: mentees aged 8 to 17 with low-level mental health difficulties (levels 1 to 2).",
    },
    {
        "slug": "no-wrong-door",
        "name": "No Wrong Door",
        "provider": "North Yorkshire County Council (DfE Innovation Programme)",
        "category": "therapeutic",
        "modalities": ["one_to_one", "family"],
        "needs": ["emotional_wellbeing", "behaviour"],
        "summary": (
            "A hub model for young people with complex needs: in care, on the edge of care, or living in "
            "supported or independent accommodation. A hub team that includes clinical psychologists, police, "
            "speech and language therapists and family circle workers uses the Signs of Safety framework; each "
            "young person keeps one key worker who plans with them, and the hubs offer short-term placements or "
            "outreach. The aim is lasting stability and less use of costly placements; many councils have "
            "adopted it."
        ),
        "measures": ["Strengths and Difficulties Questionnaire"],
        "evidence_rating": "promising",
        "evidence_summary": (
            "An evaluation by Loughborough University found it helped young people stay out of care, with fewer "
            "placement moves and missing episodes, better SDQ scores and more engagement in education, "
            "employment or training."
        ),
        "source": S003,
        "rules": [EDGE_OF_CARE],
        "note": "From seed 003: complex needs, in care or on the edge of care (levels 3 to 4).",
    },
    {
        "slug": "pause",
        "name": "Pause",
        "provider": "Pause, with local authorities and voluntary organisations",
        "category": "therapeutic",
        "modalities": ["one_to_one"],
        "needs": ["parenting"],
        "summary": (
            "An 18-month programme for women who have had, or may have, several children removed from their "
            "care. A Pause practitioner works closely with a few women at a time, using relationship-based and "
            "trauma-informed practice: looking back at their own childhood, getting help from other services, and "
            "supporting contact with children in care, with a Next Steps offer afterwards. Begun in Hackney; "
            "30 Pause practices now cover 39 boroughs. Pause works with the mother, not the child."
        ),
        "duration": "18 months",
        "evidence_rating": "promising",
        "evidence_summary": (
            "A DfE-commissioned evaluation (November 2020) found better wellbeing and life satisfaction, more "
            "stable housing and finances, better relationships with children, and fewer infants entering care; "
            "it recommended offering Pause to every woman who has had a child removed."
        ),
        "outcome_figures": (
            "On average 14.4 fewer infants a year entering care in each local authority with Pause; £4.50 saved "
            "for every £1 spent, over 4 years."
        ),
        "source": S003,
        "rules": [{"kind": "level", "label": "child at risk of removal", "min": 4}],
        "note": (
            "From seed 003: Pause works with mothers at risk of repeated removals, so the catalogue offers it when "
            "the child's level of need is 4 (specialist)."
        ),
    },
    {
        "slug": "ripplez",
        "name": "Ripplez",
        "provider": "Catch22",
        "category": "preventative",
        "modalities": ["family", "one_to_one"],
        "needs": ["parenting"],
        "summary": (
            "Early help for vulnerable young mothers and their families: support with health and social needs, "
            "wellbeing and confidence, and a way back to work through training and volunteering. Its first model "
            "included home visits to young new mothers (Family First) and the Family Nurse Partnership for "
            "mothers under 19; it now runs Pause in Derbyshire, Northamptonshire and Worcestershire."
        ),
        "evidence_rating": "emerging",
        "evidence_summary": (
            "By the end of the cohort every participant's child had been vaccinated, and just over half the women "
            "supported through the Family Nurse Partnership had moved into training, education or work."
        ),
        "outcome_figures": "More than 500 families engaged in a year.",
        "source": S003,
        "rules": [],
        "note": "From seed 003: a service for young mothers; no limits on the child stated.",
    },
    {
        "slug": "shift",
        "name": "SHiFT",
        "provider": "SHiFT (not for profit)",
        "category": "therapeutic",
        "modalities": ["one_to_one"],
        "needs": ["behaviour", "exploitation"],
        "summary": (
            "Intensive, relationship-based support for young people caught in a cycle of offending. A SHiFT guide "
            "stays with each young person for 18 months, building confidence, a positive identity and goals "
            "across family, friendships, education, work and statutory services, and keeps going whatever "
            "changes, across age limits, thresholds and council boundaries. Each guide works with at most five "
            "young people. It follows the Breaking Cycles approach and learns from Pause; the pilot sites were "
            "Greenwich, and Kingston and Richmond."
        ),
        "duration": "18 months",
        "evidence_rating": "none",
        "evidence_summary": (
            "Evaluation is at an early stage; in the first six months in Kingston and Richmond the young people "
            "appeared to make good progress, put down to the strength of the relationship with their guide."
        ),
        "outcome_figures": "A guide works with no more than 5 young people at a time.",
        "source": S003,
        "rules": [
            {
                "kind": "known_to",
                "label": "involved in offending",
                "involvements": ["youth_justice"],
                "events": ["arrest", "youth_justice_outcome"],
                "months": 12,
            }
        ],
        "note": (
            f"From seed 003: young people caught in a cycle of offending, with no age limit or threshold. {WINDOW}"
        ),
    },
    {
        "slug": "shout-85258",
        "name": "Shout 85258",
        "provider": "Shout",
        "category": "therapeutic",
        "modalities": ["online"],
        "needs": ["mental_health"],
        "summary": (
            "Free mental health support by text message, day and night, launched in 2019, for anyone struggling "
            "with anxiety, stress, depression or suicidal thoughts, or who needs help straight away."
        ),
        "evidence_rating": "emerging",
        "evidence_summary": (
            "Its early-2021 report found that for many texters this was the first help they had had with their "
            "mental health."
        ),
        "outcome_figures": (
            "More than 750,000 conversations; 38% had not asked anyone else for help; 65% of texters under 25 and "
            "7% no older than 13; 80% female, 7% autistic, 35% LGBTQ+."
        ),
        "source": S003,
        "rules": [],
        "note": "From seed 003: open to anyone; no limits stated.",
    },
    {
        "slug": "social-prescribing",
        "name": "Social prescribing for young people",
        "provider": "Sheffield Futures",
        "category": "preventative",
        "modalities": ["one_to_one"],
        "needs": ["emotional_wellbeing", "mental_health", "substance_misuse"],
        "summary": (
            "Link workers in GP surgeries and community settings agree a personal wellbeing plan with young "
            "people of 13 to 25 to lift mood and ease isolation, covering anything from money and fitness to "
            "drugs and alcohol. Piloted in 2018 with DfE money and then funded by Sheffield council, it grew from "
            "one worker for the city to a team across six primary care networks and 29 GP surgeries."
        ),
        "min_age": 13,
        "max_age": 25,
        "measures": ["Mental wellbeing scales"],
        "evidence_rating": "emerging",
        "evidence_summary": "An evaluation reported better scores on mental wellbeing scales.",
        "outcome_figures": "416 children and young people supported since 2018.",
        "source": S003,
        "rules": [{"kind": "age", "min": 13, "max": 25}],
        "note": "From seed 003: ages 13 to 25.",
    },
    {
        "slug": "staying-together",
        "name": "Staying Together",
        "provider": "London Borough of Bromley",
        "category": "therapeutic",
        "modalities": ["family"],
        "needs": ["parenting", "housing_poverty"],
        "summary": (
            "Relationship-based support from specialist practitioners for adolescents at risk of family "
            "breakdown or of entering care, and for homeless 16- and 17-year-olds. Drawing on systemic and "
            "solution-focused practice, it gives families a structure to think through their difficulties, set "
            "goals and learn the skills to reach them."
        ),
        "duration": "4–12 weeks",
        "evidence_rating": "none",
        "evidence_summary": "The source reports no evaluation.",
        "source": S003,
        "rules": [EDGE_OF_CARE, NOT_IN_CARE],
        "note": "From seed 003: adolescents at risk of family breakdown or entering care (levels 3 to 4).",
    },
    {
        "slug": "step-up-step-down",
        "name": "Step Up, Step Down",
        "provider": "The Fostering Network",
        "category": "therapeutic",
        "modalities": ["family"],
        "needs": ["parenting"],
        "summary": (
            "Foster carers trained to give families short, intensive, preventative support so that children stay "
            "out of care. When a family needs more, the carer can step up, even having the child to stay for a "
            "short time in a crisis, so the child goes to someone they already know rather than to strangers."
        ),
        "evidence_rating": "emerging",
        "evidence_summary": "A blog post about the project reports improvements in family life.",
        "outcome_figures": "A small pool of foster carers trained to support 120 families.",
        "source": S003,
        "rules": [EDGE_OF_CARE, NOT_IN_CARE],
        "note": "From seed 003: families whose children are at risk of entering care (levels 3 to 4).",
    },
    {
        "slug": "allichat",
        "name": "Allichat",
        "provider": "Voxsio, with NHS Forth Valley and the Scottish Government",
        "category": "therapeutic",
        "modalities": ["online"],
        "needs": ["mental_health", "emotional_wellbeing"],
        "summary": (
            "An AI chatbot, made with young people in Stirlingshire, where young people can raise worries about "
            "their mental health, get personal advice and try activities that build resilience, as a first step "
            "while they wait for CAMHS. Clinical and educational psychologists review its content; it is one of "
            "Nesta's AI for Good projects."
        ),
        "evidence_rating": "none",
        "evidence_summary": "No evaluation data yet.",
        "source": S003,
        "rules": [],
        "note": "From seed 003: open to young people; no limits stated.",
    },
    {
        "slug": "arcbox",
        "name": "ARCBOX",
        "provider": "ARC Adoption North East",
        "category": "therapeutic",
        "modalities": ["online", "one_to_one"],
        "needs": ["emotional_wellbeing"],
        "summary": (
            "A digital life story platform that children in care or with an adoption plan keep up as an ongoing "
            "record: they add events themselves, approved people in their lives (from birth relatives to social "
            "workers) contribute, and it includes a diary, family tree, photo gallery and a game. Two local "
            "authorities use it for life story work, one-to-one work on transitions and, through its messaging, "
            "anxiety during Covid; secure contact with birth families was being added."
        ),
        "evidence_rating": "none",
        "evidence_summary": "Widely commended; the source reports no evaluation.",
        "source": S003,
        "rules": [LOOKED_AFTER],
        "note": "From seed 003: children in care or with an adoption plan (looked after).",
    },
    {
        "slug": "family-drug-and-alcohol-court",
        "name": "Family Drug and Alcohol Court",
        "provider": "Tavistock and Portman NHS Foundation Trust, first with Coram",
        "category": "practice_development",
        "modalities": ["family"],
        "needs": ["substance_misuse", "parenting"],
        "summary": (
            "A problem-solving approach to care proceedings where parents misuse drugs or alcohol, first run in "
            "London in 2008. Parents see the same judge throughout, with a review hearing every two weeks, and a "
            "multi-disciplinary team of substance misuse specialists and social workers helps with housing, money "
            "and domestic abuse. The aim is for children to stay with their families where that can be made "
            "safe, and for fair alternative plans where it cannot."
        ),
        "measures": ["Family reunification"],
        "evidence_rating": "promising",
        "evidence_summary": (
            "A 2014 evaluation, borne out by a follow-up five years later, found it helped keep children with "
            "their parents, with less family disruption in the three years after proceedings for over half of "
            "families. A quasi-experimental evaluation by NatCen across 31 local authorities was due in November "
            "2022."
        ),
        "outcome_figures": (
            "35 local authorities, 14 teams and 20 courts; 176 families supported in 10 local authorities from "
            "2016 to 2021."
        ),
        "source": S003,
        "rules": [{"kind": "level", "label": "in care proceedings", "min": 4}],
        "note": "From seed 003: families in care proceedings (level 4).",
    },
    {
        "slug": "activity-days-for-fostering",
        "name": "Activity Days for Fostering",
        "provider": "Coram",
        "category": "practice_development",
        "modalities": ["group"],
        "needs": ["other"],
        "summary": (
            "Family finding through themed activity days where children waiting for a permanent foster family "
            "meet approved foster carers, so carers see each child as they are rather than only on paper, and "
            "children have a say. Mostly for children of 8 to 14, including those in residential care; Coram runs "
            "the days with one or more local authorities."
        ),
        "min_age": 8,
        "max_age": 14,
        "evidence_rating": "emerging",
        "evidence_summary": "Nearly half the children at four events were matched with carers.",
        "outcome_figures": "44 children took part in four events; 21 of them were matched with carers.",
        "source": S003,
        "rules": [{"kind": "age", "min": 8, "max": 14}, LOOKED_AFTER],
        "note": "From seed 003: children of 8 to 14 in care awaiting a permanent family.",
    },
    {
        "slug": "no-recourse-early-action",
        "name": "No Recourse Early Action Model (NOREAM)",
        "provider": "London Borough of Hackney",
        "category": "practice_development",
        "modalities": ["family"],
        "needs": ["housing_poverty"],
        "summary": (
            "Early multi-agency help for families with no recourse to public funds who fall outside existing "
            "support. A series of sessions covers seven areas: housing; food; income and work; immigration status; "
            "health and wellbeing; education, training and leisure; and support networks. A 12-month pilot from January "
            "2021 tested whether it reduces the need for section 17 support."
        ),
        "duration": "12-month pilot from January 2021",
        "evidence_rating": "none",
        "evidence_summary": (
            "Being evaluated by the University of Wolverhampton with What Works for Children's Social Care funding."
        ),
        "source": S003,
        "rules": [],
        "note": "From seed 003: families with no recourse to public funds; no limits on the child stated.",
    },
    {
        "slug": "we-can-talk-about-domestic-abuse",
        "name": "We Can Talk About Domestic Abuse",
        "provider": "Wirral Metropolitan Borough Council",
        "category": "practice_development",
        "modalities": ["family"],
        "needs": ["domestic_abuse"],
        "summary": (
            "A Wirral project, shaped by survivors with lived experience, to improve how parents and children "
            "affected by domestic abuse experience social care: co-production with survivors and families, "
            "reflective practice for professionals, and wider change to the system, while keeping safeguarding "
            "sound."
        ),
        "evidence_rating": "none",
        "evidence_summary": (
            "Being evaluated for What Works for Children's Social Care by Manchester Metropolitan University; the "
            "final report was due in March 2022."
        ),
        "outcome_figures": "The pilot was planned for 216 families and their professionals.",
        "source": S003,
        "rules": [],
        "note": "From seed 003: families affected by domestic abuse; no limits on the child stated.",
    },
    {
        "slug": "power2",
        "name": "Power2",
        "provider": (
            "City of Wolverhampton: children's and adult social care, the clinical commissioning group, public "
            "health and the voluntary sector"
        ),
        "category": "preventative",
        "modalities": ["one_to_one"],
        "needs": ["exploitation", "parenting"],
        "summary": (
            "A multi-agency service for vulnerable young people of 11 to 25 at risk of exploitation or family "
            "breakdown, built on one key worker for each young person who is consistent, trusted and does not "
            "judge, using trauma-informed practice."
        ),
        "min_age": 11,
        "max_age": 25,
        "evidence_rating": "emerging",
        "evidence_summary": (
            "Wolverhampton reports reductions in homelessness, reoffending, substance misuse, missing episodes, "
            "exploitation risk, young people not in education, employment or training, spending on placements, "
            "exclusions and A&E attendances, and better school attendance."
        ),
        "source": S004,
        "rules": [{"kind": "age", "min": 11, "max": 25}],
        "note": "From seed 004: ages 11 to 25.",
    },
    {
        "slug": "turnaround-contextual-mentoring",
        "name": "Turnaround contextual mentoring",
        "provider": "Lancashire Child and Youth Justice Service, with a commissioned voluntary-sector provider",
        "category": "preventative",
        "modalities": ["one_to_one", "family"],
        "needs": ["exploitation", "behaviour"],
        "summary": (
            "Lancashire's prevention and diversion work under the Ministry of Justice's Turnaround programme, "
            "with teams in its North, South/Central and East localities and a commissioned contextual mentoring "
            "pilot. Working with the whole family, from strengths and trusted relationships, it reduces the risks "
            "around children who come to notice for anti-social behaviour or exploitation, encourages safe "
            "friendships and activities, and links with emergency-department navigators. Children open to "
            "social care can take part when they meet the Turnaround criteria."
        ),
        "unit_cost": Decimal("1023397.83"),
        "unit_cost_year": 2024,
        "unit_cost_basis": "Total Ministry of Justice grant to March 2025",
        "evidence_rating": "none",
        "evidence_summary": "The source reports no evaluation.",
        "outcome_figures": (
            "Grant of £1,023,397.83 to March 2025, including £98,579.62 added in May 2023 for anti-social "
            "behaviour hotspots."
        ),
        "source": S004,
        "rules": [
            {
                "kind": "known_to",
                "label": "came to notice for anti-social behaviour",
                "events": ["asb"],
                "months": 12,
            }
        ],
        "note": (
            "From seed 004: children who come to attention for anti-social behaviour (the full Turnaround "
            f"criteria are not in the source). {WINDOW}"
        ),
    },
    {
        "slug": "empower-contextual-safeguarding",
        "name": "EmPower contextual safeguarding teams",
        "provider": "Lancashire County Council",
        "category": "system_change",
        "modalities": ["one_to_one", "family"],
        "needs": ["exploitation", "parenting"],
        "summary": (
            "Lancashire's multi-disciplinary teams for children at risk of exploitation, harm outside the home or "
            "family breakdown, meant to reduce the number who come into care. Teams in the North, Central and "
            "East localities bring together exploitation and other social workers, family support, missing-from-"
            "home and targeted youth workers, with mental health practitioners, psychologists, nurses, mentors, "
            "parenting and substance misuse workers, and speech and language therapists. Practice is "
            "trauma-informed, relationship-based and builds on strengths."
        ),
        "evidence_rating": "emerging",
        "evidence_summary": (
            "The models it draws on (Wigan, Rochdale and Greater Manchester) report that no young person living at "
            "home on the edge of care came into care, none in care moved to distant, costly or secure placements, "
            "and young people described better relationships and wellbeing."
        ),
        "outcome_figures": (
            "In the Greater Manchester models, £5 saved on accommodation for every £1 spent; running costs of "
            "£305k a year for 30 young people were estimated to bring annual benefits of over £1.6m; the "
            "authorities had spent £8.9 million placing 130 young people in homes outside their boroughs."
        ),
        "source": S004,
        "rules": [EDGE_OF_CARE],
        "note": "From seed 004: children at risk of exploitation, harm outside the home or entering care (levels 3 to 4).",
    },
]

FIELDS = (
    "name",
    "provider",
    "category",
    "modalities",
    "needs",
    "summary",
    "min_age",
    "max_age",
    "session_limit",
    "typical_weeks",
    "duration",
    "capacity",
    "unit_cost",
    "unit_cost_year",
    "unit_cost_basis",
    "measures",
    "evidence_rating",
    "evidence_summary",
    "outcome_figures",
    "source",
)
DEFAULTS = {"provider": "", "duration": "", "unit_cost_basis": "", "evidence_summary": "", "outcome_figures": ""}


def seed(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    RuleSet = apps.get_model("programmes", "RuleSet")
    for entry in CATALOGUE:
        values = {f: entry.get(f, DEFAULTS.get(f, [] if f in ("measures",) else None)) for f in FIELDS}
        programme, _ = Programme.objects.update_or_create(slug=entry["slug"], defaults=values)
        if not RuleSet.objects.filter(programme=programme).exists():
            RuleSet.objects.create(programme=programme, version=1, rules=entry["rules"], note=entry["note"])


def unseed(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    RuleSet = apps.get_model("programmes", "RuleSet")
    slugs = [entry["slug"] for entry in CATALOGUE]
    RuleSet.objects.filter(programme__slug__in=slugs).delete()
    Programme.objects.filter(slug__in=slugs).delete()


class Migration(migrations.Migration):
    dependencies = [("programmes", "0002_programme_duration")]

    operations = [migrations.RunPython(seed, unseed)]
