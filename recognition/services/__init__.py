"""Every state change of the recognition cycle. Each service is keyword-only, atomic, validates and leaves a history
row with its actor; the allowed transitions are the table in transitions.py."""
