"""Indicators: readable definitions computed in DuckDB over the feeds (plain Python; helper A)."""
