"""Household list import: reading spreadsheets as communes keep them and cleaning each row (no database here)."""
