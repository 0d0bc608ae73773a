"""What every front door shares: questions (scope, target set, defaults), the analyses'
answers (typed results, export rows, file names), the choices of their settings, and the
lists of records with their export rows.

The CLI and the API are thin layers over this package; it knows neither HTTP nor the
terminal, and raises the graph's errors for the doors to translate.
"""

from . import analyses, listings, titles
from .answer import Answer, dated
from .choices import CoverageBy, GapSort, GapStatus, RollupKey
from .question import Question, day, question, scope, unit_id, unit_ids

__all__ = [
    "Answer",
    "CoverageBy",
    "GapSort",
    "GapStatus",
    "Question",
    "RollupKey",
    "analyses",
    "listings",
    "titles",
    "dated",
    "day",
    "question",
    "scope",
    "unit_id",
    "unit_ids",
]
