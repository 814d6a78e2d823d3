"""The store layer: the URI a message may show, the dialect each adapter declares."""

from __future__ import annotations

import pytest

from edukg.errors import StoreError
from edukg.graph.load_falkordb import FalkorStore
from edukg.graph.load_neo4j import Neo4jStore
from edukg.graph.store import count_elements, public_uri


@pytest.mark.parametrize(
    ("uri", "default_port", "shown"),
    [
        ("bolt://neo4j:secret@db.example:7687", None, "bolt://db.example:7687"),
        ("neo4j+s://db", 7687, "neo4j+s://db:7687"),
        ("falkordb://:pw@[::1]:6380", 6379, "falkordb://[::1]:6380"),
        ("unix:///tmp/x/fk.sock", 6379, "unix:///tmp/x/fk.sock"),
    ],
)
def test_public_uri_never_shows_credentials(uri: str, default_port: int | None, shown: str) -> None:
    assert public_uri(uri, default_port) == shown


@pytest.mark.parametrize(
    ("uri", "reason"),
    [("bolt://db:99999", "a port that is not a number"), ("bolt://[::1:7687", "a malformed IPv6 host")],
)
def test_public_uri_names_what_is_wrong(uri: str, reason: str) -> None:
    with pytest.raises(StoreError, match=reason):
        public_uri(uri)


def test_each_adapter_declares_its_dialect(falkordb_store: FalkorStore) -> None:
    assert (falkordb_store.dialect, Neo4jStore.dialect) == ("falkordb", "neo4j")
    assert count_elements(falkordb_store) == (0, 0)
