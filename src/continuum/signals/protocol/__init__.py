"""The attendance protocol: runs of unexplained absences, found in the marks (plain Python; helper D)."""
