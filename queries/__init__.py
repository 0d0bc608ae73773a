"""Everything that talks to a database: the store interface and its implementations.

Open a store with :func:`open_store`; a path (or ``sqlite:///path``) is the embedded
SQLite store, a ``bolt://`` or ``neo4j://`` URI is Neo4j.
"""

from .sqlite_store import SqliteStore
from .store import DEFAULT_STORE, ImportSummary, Progress, Store, open_store

__all__ = ["DEFAULT_STORE", "ImportSummary", "Progress", "SqliteStore", "Store", "open_store"]
