"""Extraction, resolution, the graph, and its exports, stores and views."""
