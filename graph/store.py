"""The store layer: a :class:`Statement` (Cypher text plus parameters) and the
:class:`GraphStore` protocol that every store adapter (``load_falkordb.FalkorStore``,
``load_neo4j.Neo4jStore``) implements. Which store a URI names is ``open_store``'s
business; what the graph becomes in a store is ``store_properties``'.

>>> COUNT_NODES.text
'MATCH (n) RETURN count(n) AS count'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from edukg.errors import StoreError


@dataclass(frozen=True, slots=True)
class Statement:
    """One Cypher statement with its parameters; ``rows`` counts the graph elements it writes."""

    text: str
    parameters: dict[str, Any] = field(default_factory=dict)
    rows: int = 0
    kind: str = ""  # "node", "relationship", or "" for anything else


class GraphStore(Protocol):
    """What the loader and the queries need from a store.

    ``description`` names it for messages and never contains a password; ``dialect``
    (``neo4j`` or ``falkordb``) says which variant of a catalogue query it runs;
    ``serial_writes`` is true when the adapter runs one edukg write at a time on the graph
    (then a statement that reads and rewrites an element's lists needs no lock of its own).
    """

    description: str
    dialect: str
    serial_writes: bool

    def ensure_schema(self, labels: Sequence[str]) -> None: ...

    def write(self, statement: Statement) -> None: ...

    def read(self, statement: Statement) -> list[dict[str, Any]]: ...

    def close(self) -> None: ...


COUNT_NODES = Statement("MATCH (n) RETURN count(n) AS count")
COUNT_RELATIONSHIPS = Statement("MATCH ()-[e]->() RETURN count(e) AS count")


def _count(store: GraphStore, statement: Statement) -> int:
    rows = store.read(statement)
    return int(rows[0]["count"]) if rows else 0


def count_elements(store: GraphStore) -> tuple[int, int]:
    """(nodes, relationships) in the store."""
    return _count(store, COUNT_NODES), _count(store, COUNT_RELATIONSHIPS)


def public_uri(uri: str, default_port: int | None = None) -> str:
    """``uri`` as a message may show it: scheme, host (an IPv6 one in brackets) and port, never
    a user or password; a StoreError naming what is wrong with a port or an IPv6 host.

    >>> public_uri("falkordb://me:secret@[::1]:6379"), public_uri("bolt://db", default_port=7687)
    ('falkordb://[::1]:6379', 'bolt://db:7687')
    """
    try:
        parts = urlsplit(uri)
        host, port = parts.hostname or "", parts.port or default_port
    except ValueError as error:
        scheme = uri.partition("://")[0]
        reason = (
            "a malformed IPv6 host (write it in brackets: [::1]:PORT)"
            if "IPv6" in str(error)
            else "a port that is not a number from 1 to 65535"
        )
        raise StoreError(f"cannot use the store URI {scheme}://…: it has {reason}") from None
    if parts.scheme == "unix":
        return f"unix://{parts.path}"
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")
