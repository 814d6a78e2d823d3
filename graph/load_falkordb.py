"""FalkorDB as a store, through its native client (``falkordb``), never its Bolt endpoint.

Unique ids use FalkorDB's own mechanism: an exact-match (range) index on ``id``
per label, then ``GRAPH.CONSTRAINT CREATE ... UNIQUE NODE <label> PROPERTIES 1 id``,
which FalkorDB builds in the background.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from edukg.errors import StoreError
from edukg.graph.store import Statement, public_uri
from edukg.ontology import check_label

CONNECT_TIMEOUT = 5.0  # seconds to connect and to answer a ping
READ_TIMEOUT = 300.0  # seconds any one query may take to answer; a server that never answers fails
CONSTRAINT_TIMEOUT = 30.0
WRITE_LOCK_TIMEOUT = 60.0  # longer than any one batch takes; the lock of a killed load expires


def _reason(error: Exception) -> str:
    import redis

    if isinstance(error, redis.AuthenticationError) or "WRONGPASS" in str(error) or "NOAUTH" in str(error):
        return "the server refused the user name or password (set --user/--password or FALKORDB_PASSWORD)"
    return f"{type(error).__name__}: {error}"


class FalkorStore:
    """One FalkorDB graph. Each statement is one query, which FalkorDB runs atomically."""

    dialect = "falkordb"
    serial_writes = True  # ``write`` holds the graph's redis lock

    def __init__(self, database: Any, graph: str, description: str) -> None:
        self._database = database
        self._graph = database.select_graph(graph)
        self.graph_name = graph
        self.description = description

    @classmethod
    def connect(
        cls,
        url: str,
        graph: str,
        user: str | None = None,
        password: str | None = None,
        where: str | None = None,
    ) -> FalkorStore:
        """Connect to ``falkordb://HOST:PORT`` or ``unix:///path.sock`` and check it answers."""
        import falkordb
        import redis

        description = f"FalkorDB graph {graph!r} at {where or public_uri(url, default_port=6379)}"
        parts = urlsplit(url)
        options: dict[str, Any] = {
            "socket_connect_timeout": CONNECT_TIMEOUT,
            "username": user or parts.username,
            "password": password or parts.password,
        }
        if parts.scheme == "unix":
            options["unix_socket_path"] = parts.path
        else:
            options.update(
                host=parts.hostname or "127.0.0.1", port=parts.port or 6379, ssl=parts.scheme == "falkors"
            )
        try:
            # A server that accepts and never answers fails the ping within CONNECT_TIMEOUT;
            # the client's own connections wait up to READ_TIMEOUT for a query's answer.
            with redis.Redis(**options, socket_timeout=CONNECT_TIMEOUT) as probe:
                probe.ping()
            database = falkordb.FalkorDB(**options, socket_timeout=READ_TIMEOUT)
        except redis.RedisError as error:
            raise StoreError(f"cannot use {description}: {_reason(error)}") from None
        return cls(database, graph, description)

    def _run(self, action: str, call: Any) -> Any:
        import redis

        try:
            return call()
        except (redis.RedisError, OSError) as error:
            raise StoreError(f"{action} failed on {self.description}: {_reason(error)}") from None

    def ensure_schema(self, labels: Sequence[str]) -> None:
        """An exact-match index and a unique constraint on ``id`` for each label."""
        import redis

        existing = {(c["label"], tuple(c["properties"])) for c in self.constraints()}
        pending = []
        for label in labels:
            check_label(label)
            if (label, ("id",)) in existing:
                continue
            try:
                self._graph.create_node_range_index(label, "id")
            except redis.ResponseError as error:
                if "already indexed" not in str(error):
                    raise StoreError(f"cannot index {label}.id on {self.description}: {error}") from None
            try:
                self._database.execute_command(
                    "GRAPH.CONSTRAINT",
                    "CREATE",
                    self.graph_name,
                    "UNIQUE",
                    "NODE",
                    label,
                    "PROPERTIES",
                    1,
                    "id",
                )
            except redis.ResponseError as error:
                if "already exists" not in str(error):  # else a load running at the same time made it
                    raise StoreError(f"cannot constrain {label}.id on {self.description}: {error}") from None
            except (redis.RedisError, OSError) as error:
                raise StoreError(
                    f"creating the unique constraint on {label}.id failed on {self.description}: {_reason(error)}"
                ) from None
            pending.append(label)
        deadline = time.monotonic() + CONSTRAINT_TIMEOUT
        while pending and time.monotonic() < deadline:
            states = {c["label"]: c["status"] for c in self.constraints()}
            pending = [label for label in pending if states.get(label) != "OPERATIONAL"]
            if any(states.get(label) == "FAILED" for label in pending):
                raise StoreError(f"{self.description}: a unique constraint on id failed (duplicate ids?)")
            time.sleep(0.02)
        if pending:
            raise StoreError(
                f"{self.description}: unique constraints still building for {', '.join(pending)}"
            )

    def constraints(self) -> list[dict[str, Any]]:
        import redis

        try:
            return self._graph.list_constraints()
        except redis.ResponseError:
            return []  # the graph does not exist yet
        except redis.RedisError as error:
            raise StoreError(f"listing constraints failed on {self.description}: {_reason(error)}") from None

    def write(self, statement: Statement) -> None:
        """Run ``statement`` while no other edukg client writes to this graph.

        FalkorDB runs several clients' queries at once, so two loads' ``MERGE`` of one
        relationship could both create it; a redis lock per graph makes them take turns.
        """
        import redis

        lock = self._database.connection.lock(
            f"edukg:write-lock:{self.graph_name}",
            timeout=WRITE_LOCK_TIMEOUT,
            sleep=0.005,
            blocking_timeout=WRITE_LOCK_TIMEOUT,
        )
        try:
            acquired = lock.acquire()
        except (redis.RedisError, OSError) as error:
            raise StoreError(f"a write failed on {self.description}: {_reason(error)}") from None
        if not acquired:
            raise StoreError(
                f"{self.description}: another load held the write lock for {WRITE_LOCK_TIMEOUT:.0f} s"
            )
        try:
            self._run("a write", lambda: self._graph.query(statement.text, statement.parameters))
        finally:
            with contextlib.suppress(redis.RedisError):  # expired, or the server went away
                lock.release()

    def read(self, statement: Statement) -> list[dict[str, Any]]:
        import redis

        try:
            result = self._graph.ro_query(statement.text, statement.parameters)
        except redis.ResponseError as error:
            if "empty key" in str(error):
                return []  # the graph does not exist yet: nothing to read
            raise StoreError(f"a read failed on {self.description}: {error}") from None
        except (redis.RedisError, OSError) as error:
            raise StoreError(f"a read failed on {self.description}: {_reason(error)}") from None
        names = [column[1] if isinstance(column, list | tuple) else column for column in result.header]
        return [dict(zip(names, row, strict=True)) for row in result.result_set]

    def delete_graph(self) -> None:
        """Drop the whole graph (tests and fresh starts)."""
        import redis

        with contextlib.suppress(redis.ResponseError):  # no such graph
            self._graph.delete()

    def close(self) -> None:
        self._database.connection.close()
