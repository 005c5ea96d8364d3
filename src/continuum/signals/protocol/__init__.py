"""The attendance protocol (Hampshire and Isle of Wight, Surrey; seed 003): its settings, and the runs of absence
it alerts on, found in the attendance marks by DuckDB. Plain Python: no Django, so analysts can run it over the
marks from a notebook.

    rules = load_rules()        # signals/attendance_protocol.toml, checked
    runs = find_runs(con=..., marks_sql=read_marks(store), pupils=..., children=..., as_of=..., rules=rules)
"""

from continuum.signals.protocol.rules import DEFAULT_PATH, Rules, RulesError, load_rules
from continuum.signals.protocol.runs import RUNS_SCHEMA, academic_year, find_runs

__all__ = ["DEFAULT_PATH", "RUNS_SCHEMA", "Rules", "RulesError", "academic_year", "find_runs", "load_rules"]
