"""Neo4j 5 as a store, through the official ``neo4j`` driver.

Each statement runs in its own managed write transaction (``execute_write``), which
the driver retries on transient errors. The password goes to the driver only: it
is never part of a message, a description or a log line of edukg.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from edukg.errors import StoreError
from edukg.graph.store import Statement, public_uri
from edukg.ontology import check_label

CONNECT_TIMEOUT = 5.0  # seconds per connection attempt; an unreachable server fails within 10 s
RETRY_TIME = 30.0  # seconds the driver keeps retrying a transaction that failed transiently

# The driver logs why it gave up (e.g. "Unable to retrieve routing information") as a warning,
# which Python's last-resort handler prints on stderr beside the one line of edukg's error;
# a handler of its own keeps the records for whoever configures logging, off the terminal.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


def constraint_statements(labels: Sequence[str]) -> list[Statement]:
    """One uniqueness constraint (and so an index) on ``id`` per label.

    >>> constraint_statements(["Bureau"])[0].text
    'CREATE CONSTRAINT edukg_bureau_id IF NOT EXISTS FOR (n:`Bureau`) REQUIRE n.id IS UNIQUE'
    """
    return [
        Statement(
            f"CREATE CONSTRAINT edukg_{check_label(label).lower()}_id IF NOT EXISTS "
            f"FOR (n:`{label}`) REQUIRE n.id IS UNIQUE"
        )
        for label in labels
    ]


def _reason(error: Exception) -> str:
    """The server's message and code of a Neo4j error, without the driver's GQL status boilerplate."""
    from neo4j.exceptions import Neo4jError

    if isinstance(error, Neo4jError) and error.message:
        return f"{error.message} ({error.code})"
    return str(error)


class Neo4jStore:
    """One Neo4j database reached through a driver."""

    dialect = "neo4j"
    serial_writes = False  # transactions run at once; reads take no lock

    def __init__(self, driver: Any, database: str | None, description: str) -> None:
        self._driver = driver
        self._database = database
        self.description = description

    @classmethod
    def connect(cls, uri: str, user: str, password: str, database: str | None = None) -> Neo4jStore:
        """Open a driver for ``uri`` and check that the server answers and accepts the credentials."""
        import neo4j
        from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

        description = f"Neo4j at {public_uri(uri)} (database {database or 'default'}, user {user})"
        try:
            driver = neo4j.GraphDatabase.driver(
                uri,
                auth=neo4j.basic_auth(user, password),
                connection_timeout=CONNECT_TIMEOUT,
                connection_acquisition_timeout=2 * CONNECT_TIMEOUT,
                max_transaction_retry_time=RETRY_TIME,
                # The driver logs each server notification as a warning, which Python prints on
                # stderr: one per statement that names a property no node has yet.
                notifications_min_severity="OFF",
            )
        except (ValueError, DriverError) as error:
            # The driver quotes a URI it refuses, with any password written in it.
            raise StoreError(
                f"cannot use {description}: {str(error).replace(uri, public_uri(uri))}"
            ) from None
        try:
            driver.verify_connectivity()
        except AuthError:
            driver.close()
            raise StoreError(
                f"{description} refused the user name or password (set --user/--password or "
                "NEO4J_USER/NEO4J_PASSWORD)"
            ) from None
        except ServiceUnavailable as error:
            driver.close()
            raise StoreError(f"cannot reach {description}: {error}") from None
        except (Neo4jError, DriverError, OSError) as error:
            driver.close()
            raise StoreError(f"cannot use {description}: {_reason(error)}") from None
        return cls(driver, database, description)

    def _session(self) -> Any:
        return self._driver.session(database=self._database)

    def _run(self, action: str, call: Any) -> Any:
        from neo4j.exceptions import DriverError, Neo4jError

        try:
            with self._session() as session:
                return call(session)
        except (Neo4jError, DriverError, OSError) as error:
            raise StoreError(f"{action} failed on {self.description}: {_reason(error)}") from None

    def ensure_schema(self, labels: Sequence[str]) -> None:
        for statement in constraint_statements(labels):
            self.write(statement)

    def write(self, statement: Statement) -> None:
        """Run ``statement`` in one write transaction (retried on transient errors)."""

        def work(tx: Any) -> None:
            tx.run(statement.text, statement.parameters).consume()

        self._run("a write", lambda session: session.execute_write(work))

    def read(self, statement: Statement) -> list[dict[str, Any]]:
        def work(tx: Any) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(statement.text, statement.parameters)]

        return self._run("a read", lambda session: session.execute_read(work))

    def close(self) -> None:
        self._driver.close()
