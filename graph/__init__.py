"""The domain of pairnet, pure Python: records, validation, the NetworkX network and analyses.

Nothing here talks to a database, a web server or a browser.
"""

from .alignment import alignment
from .balance import balance, gini
from .coverage import coverage, coverage_timeline
from .errors import InvalidInput, InvalidParameter, NotFound, PairnetError, Problem, StoreError, StoreUnavailable
from .full_coverage import school_coverage, two_way_coverage
from .gaps import gaps
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
from .recommend import recommend
from .rollups import rollup
from .targets import Hierarchy, TargetSet, resolve_unit, select_targets
from .validate import check
from .whatif import whatif

__all__ = [
    "Hierarchy",
    "TargetSet",
    "alignment",
    "balance",
    "coverage",
    "coverage_timeline",
    "gaps",
    "gini",
    "recommend",
    "resolve_unit",
    "rollup",
    "school_coverage",
    "select_targets",
    "two_way_coverage",
    "whatif",
    "Dataset",
    "Flow",
    "FlowKind",
    "InvalidInput",
    "InvalidParameter",
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
