"""Extraction: Report -> Extraction (entities, metrics, relations with evidence)."""
