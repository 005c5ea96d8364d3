"""Deterministic synthetic county generator: a realistic fictional county written as Parquet files.

Plain Python (no Django). `generate` builds "Shireford" - families, schools, agencies, practitioners
and their involvement with each child - and writes it with the ground truth beside it.
"""

from continuum.synth._generate import MAX_CHILDREN, generate

__all__ = ["MAX_CHILDREN", "generate"]
