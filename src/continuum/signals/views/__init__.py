"""The multi-agency pages (one module per concern)."""
