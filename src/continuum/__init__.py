"""Continuum: multi-agency early help and contextual safeguarding for children's services."""

__version__ = "0.1.0"
