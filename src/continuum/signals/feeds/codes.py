"""The code lists the agency feeds accept, each as code -> meaning, with the publication it comes from.

Plain Python (no Django). The catalogue (`continuum.signals.feeds.catalogue`) attaches these to its columns; the
checker rejects any other code; docs/feeds/ lists them for councils' data officers. Codes are published facts;
the meanings are written here in our own words, close to the publication's so that a data officer recognises them.
"""

from __future__ import annotations

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
    "present": "Present (including approved educational activity away from the school)",
    "authorised": "Authorised absence",
    "unauthorised": "Unauthorised absence",
    "not_counted": "Not counted as a possible session",
}

# A register has two sessions a day.
SESSION: dict[str, str] = {"AM": "Morning session", "PM": "Afternoon session"}
