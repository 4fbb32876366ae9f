"""Import files: the housing office's yearly room list and the old vending system's accounts.

Pure parsing and planning, no database: the services apply the results (docs/imports.md).
"""

from counter_app.imports.accounts_file import (
    ImportRow,
    Occupants,
    ParsedImport,
    RoomKey,
    parse_accounts_file,
)
from counter_app.imports.accounts_plan import (
    ExistingRoom,
    FieldChange,
    ImportPlan,
    RoomUpdate,
    diff_import,
    preview_lines,
)
from counter_app.imports.legacy_file import LegacyAccount, LegacyPurchase, ParsedLegacy, parse_legacy_file
from counter_app.imports.table import LineError

__all__ = [
    "ExistingRoom",
    "FieldChange",
    "ImportPlan",
    "ImportRow",
    "LegacyAccount",
    "LegacyPurchase",
    "LineError",
    "Occupants",
    "ParsedImport",
    "ParsedLegacy",
    "RoomKey",
    "RoomUpdate",
    "diff_import",
    "parse_accounts_file",
    "parse_legacy_file",
    "preview_lines",
]
