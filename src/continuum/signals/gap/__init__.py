"""The gap finder: children with signals from several agencies and no open involvement (plain Python).

rules = load_rules()                     # signals/gap_rules.toml, every key checked (RulesError)
flags = find(con=..., events=..., indicators=..., open_involvement=..., population=..., as_of=..., rules=rules)
"""

from continuum.signals.gap.finder import RESULT_SCHEMA, find, summarise
from continuum.signals.gap.rules import DIMENSIONS, GapRules, Rule, RulesError, Signal, load_rules

__all__ = ["DIMENSIONS", "RESULT_SCHEMA", "GapRules", "Rule", "RulesError", "Signal", "find", "load_rules", "summarise"]
