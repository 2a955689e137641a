"""Over-the-wire conformance suite for the marlopt env protocol v1 (see ../run.py)."""
