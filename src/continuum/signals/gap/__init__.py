"""The gap finder: children with signals from several agencies and no open involvement (plain Python; helper E)."""
