"""Reading questionnaires and programme outcomes."""
