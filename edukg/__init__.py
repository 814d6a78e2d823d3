"""edukg: knowledge graphs from Chinese education-bureau reports.

The stages live in the design card's folders, mapped into this package:
``edukg.ingest`` (reports to text and structure), ``edukg.graph`` (extraction,
resolution, the graph, its exports and stores), ``edukg.ontology`` (types,
lexicons, concepts, shapes) and ``edukg.queries`` (the Cypher and SPARQL catalogue).
"""

__version__ = "0.1.0"
