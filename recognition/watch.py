"""The live watch of recognised units (filled below)."""
