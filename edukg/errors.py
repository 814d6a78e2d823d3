"""One exception root for edukg, with small subclasses whose messages say what to do."""

from __future__ import annotations


class EdukgError(Exception):
    """Base of every error edukg raises on purpose."""


class InputError(EdukgError):
    """A report file that cannot be read: the message names the file and the reason."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnknownTypeError(EdukgError):
    """A label or relationship type that the ontology does not define."""

    def __init__(self, kind: str, name: str, valid: list[str]) -> None:
        super().__init__(f"unknown {kind} {name!r}; valid: {', '.join(sorted(valid))}")


class StoreError(EdukgError):
    """A graph store that cannot be reached or refused a write."""
