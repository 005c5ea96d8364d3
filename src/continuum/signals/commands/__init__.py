"""The sub-commands of `continuum signals` (one module each)."""
