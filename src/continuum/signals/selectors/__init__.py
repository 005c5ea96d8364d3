"""Reads of the agency feeds."""
