"""Attendance marks at county scale: about 70 million a year, checked and landed by DuckDB over Arrow, never
row by row in Python or through the ORM.

    checked = check_marks([Path("attendance.csv")], work=tmp)      # problems, rejected rows, staged Parquet
    prepared = prepare_marks(checked, store=var / "feeds" / "attendance")
    prepared.inserted, prepared.updated, prepared.unchanged, prepared.pupils, prepared.terms
    prepared.commit()     # after the database transaction commits; prepared.discard() if it does not
"""
