"""Deterministic synthetic county generator: a realistic fictional county written as Parquet files.

Plain Python (no Django). `generate` builds "Shireford" - families, schools, agencies, practitioners
and their involvement with each child - and writes it with the ground truth beside it. `two_lists` draws two
lists of children (names, date of birth and postcode only) for benchmarking record linkage.
"""

from continuum.synth._generate import MAX_CHILDREN, generate
from continuum.synth._lists import TwoLists, two_lists

__all__ = ["MAX_CHILDREN", "TwoLists", "generate", "two_lists"]
