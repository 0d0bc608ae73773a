"""The domain of pairnet, pure Python: records, validation, the NetworkX network and analyses.

Nothing here talks to a database, a web server or a browser.
"""

from .errors import InvalidInput, NotFound, PairnetError, Problem, StoreError, StoreUnavailable
from .model import (
    Dataset,
    Flow,
    FlowKind,
    Kind,
    Level,
    Mode,
    Ownership,
    Pairing,
    ParkRank,
    Poverty,
    Side,
    Source,
    Unit,
)
from .validate import check

__all__ = [
    "Dataset",
    "Flow",
    "FlowKind",
    "InvalidInput",
    "Kind",
    "Level",
    "Mode",
    "NotFound",
    "Ownership",
    "Pairing",
    "PairnetError",
    "ParkRank",
    "Poverty",
    "Problem",
    "Side",
    "Source",
    "StoreError",
    "StoreUnavailable",
    "Unit",
    "check",
]
