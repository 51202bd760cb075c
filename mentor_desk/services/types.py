"""The stored enums and the :class:`Database` type, for layers that may not import ``db/``.

The window (``ui/``) never imports ``mentor_desk.db`` (tests/test_architecture.py enforces it), yet
its combo boxes need the enums and its type hints need :class:`Database`. This module is the one
door through which they pass; it adds nothing of its own.
"""

from __future__ import annotations

from mentor_desk.db.base import (
    Assessor,
    Cadence,
    CandorQuadrant,
    Decision,
    GoalCategory,
    GoalStatus,
    ItemOwner,
    Level,
    LmpState,
    MenteeStatus,
    ProgressMode,
    RecordedBy,
    StrEnumBase,
    Track,
    Visibility,
)
from mentor_desk.db.engine import Database

__all__ = [
    "Assessor",
    "Cadence",
    "CandorQuadrant",
    "Database",
    "Decision",
    "GoalCategory",
    "GoalStatus",
    "ItemOwner",
    "Level",
    "LmpState",
    "MenteeStatus",
    "ProgressMode",
    "RecordedBy",
    "StrEnumBase",
    "Track",
    "Visibility",
]
