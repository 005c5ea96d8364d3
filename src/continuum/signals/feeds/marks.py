"""Attendance marks at county scale: about 70 million a year, checked and landed by DuckDB over Arrow and Parquet,
never row by row in Python or through the ORM.

    checked = check_marks([Path("attendance.csv")], work=tmp)      # problems, rejected rows, staged Parquet
    prepared = prepare_marks(checked, store=var / "feeds" / "attendance")
    prepared.inserted, prepared.updated, prepared.unchanged, prepared.pupils, prepared.terms
    prepared.commit()     # after the database transaction commits; prepared.discard() if it does not

Checking (`check_marks`, in marks_check): every file against the contract's attendance feed, each problem as
FILE:LINE:FIELD with the line exact. A clean file takes one parallel DuckDB pass from CSV to a typed Parquet file in
the file's order (so a row's line is its place in it); a file with problems is read again, by DuckDB or (when its
structure is broken: wrong cell counts, blank lines, quoted line breaks, bytes that are not UTF-8) by Python, to find
every problem's line. A UPN whose check letter fails is a warning, once per distinct UPN on the first line it is on;
its marks load and the UPN is marked unusable for linkage. Duplicate keys are errors within a file (on the later
line, naming the first); across the files of one load the later file's mark wins. With the quarantine, a file's
good marks load and its bad rows are in `rejected` with their cells and reasons, unless it has more than
MAX_REJECTED of them: then the whole file is refused.

Preparing (`prepare_marks`, in marks_store): the load's marks merged with the store's, counted per mark key
(school_urn, upn, date, session) against what the store held (the same file again: 0 inserted, 0 updated, all
unchanged, and no marks file rewritten; a corrected re-send: updated), with `pupils` (one row per UPN sent: upn,
upn_usable, given_name, family_name, date_of_birth, school_urn, from the pupil's latest-dated stored mark) and
`terms` (for every (upn, school_urn, term) touched, recomputed from every stored mark: upn, school_urn, term,
term_start, possible, present, authorised, unauthorised, not_counted, and weeks, each {monday, possible, present,
authorised, unauthorised}). Terms are the school census's: autumn 1 August to 31 December, spring 1 January to
Easter Sunday, summer Easter Monday to 31 July. Counting is the DfE's: possible sessions are every mark but those not
counted (codes D, X, Y1-Y7, Z, #); present includes approved educational activity away from the school (K, V, P,
W, B); each code's category is continuum.signals.feeds.codes.ATTENDANCE_CATEGORY. Nothing in the store changes until
`commit()`.

The store (one folder, settings.FEEDS_DIR / "attendance"; every file Parquet):

    store/
      marks/school_urn=100123/academic_year=2024/marks.parquet   a school's marks in one academic year (from
                                                                 1 August): one partition
      pupils.parquet       per pupil, school and academic year: who the pupil is, as at their latest mark there
      .lock                while a load is between prepare_marks and commit() or discard()
      .pending-<id>/       that load's new files, in the same layout, until commit() moves them into place

A marks file holds upn, date, session (AM, PM) and code (the DfE code as the register has it): what a mark is;
school_urn and academic_year are its folders'. Who a pupil is lives once per pupil, school and year in
pupils.parquet (upn, school_urn, academic_year, given_name, family_name, date_of_birth, and `last`, the session of
their latest mark there, numbered (date - 1970-01-01) * 2, + 1 for PM): the identity that mark came with. A load's
identity replaces a stored one when its latest mark is as late or later; so the summary always holds the identity of
each pupil's latest-dated mark, as if every mark carried one. A load writes only the partitions where a mark is new
or changed: a school's corrected re-send of one term replaces that school's file for that year, and every other
file stays as it was. commit() renames each new file over the old one (atomic per partition), then pupils.parquet;
the lock file stops two loads writing the store at once (one left by a process that has ended on this machine is
taken over).

Reading (issue 15 and analysts): `read_marks(store)` is DuckDB SQL over every stored mark with its category, e.g.

    con.sql(f"SELECT upn, count(*) FILTER (category = 'unauthorised') FROM ({read_marks(store)})
              WHERE academic_year = 2024 GROUP BY upn")

DuckDB reads only the partitions a filter on school_urn or academic_year names. Persistent absence over any window is
a filter on date and counts over category (possible sessions: category <> 'not_counted').

Speed and memory: DuckDB uses every core and at most marks_db.MEMORY_LIMIT of memory, spilling to the work folder
beyond it. Numbering rows with row_number() OVER () would hold a pass to one thread, so the clean path numbers them by
their place in the file-ordered Parquet it writes instead.
"""

from continuum.signals.feeds.marks_check import MAX_REJECTED, CheckedMarks, check_marks, staged_marks_sql
from continuum.signals.feeds.marks_store import PreparedMarks, StoreLocked, prepare_marks, read_marks, term_of

__all__ = [
    "MAX_REJECTED",
    "CheckedMarks",
    "PreparedMarks",
    "StoreLocked",
    "check_marks",
    "prepare_marks",
    "read_marks",
    "staged_marks_sql",
    "term_of",
]
