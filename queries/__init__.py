"""The published query catalogue: Cypher and SPARQL files with headers, loaded by name."""
