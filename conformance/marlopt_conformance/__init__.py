"""Over-the-wire conformance suite for the marlopt env protocol v2 (see ../run.py)."""
