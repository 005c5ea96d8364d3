"""Agency feeds: the extracts schools, police, health, youth justice and social care send, checked and loaded.

`continuum.signals.feeds` is plain Python (no Django): each feed's tables, columns and codes, and the checks that
turn a council's files into typed rows or FILE:LINE:FIELD problems, for the loader, analysts and Spark alike.
The app stores what the single view shows: the people each source knows (`SourcePerson`), the events
(`SignalEvent`), pupils' attendance by term and week (`AttendanceTerm`), and every load (`FeedLoad`).
Attendance marks themselves are landed as Parquet under the var directory, never row by row in the database.
"""
