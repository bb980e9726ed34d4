"""Writes to residents: each is atomic, validated and audited (simple-history records the actor)."""
