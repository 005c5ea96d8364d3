"""Recording questionnaires and custom indices."""
