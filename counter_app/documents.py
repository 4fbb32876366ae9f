"""Printable documents as JSON, so a print job survives a crash and a reprint is the same document.

A job stores the document kind and the plain data of a `receipts.data` dataclass as JSON; the
print queue turns it back into the dataclass and lays it out with `receipts.thermal`. The
(de)serialiser follows the dataclass field types (nested dataclasses, tuples, dates, aware times).
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from datetime import date, datetime
from typing import Any

from receipts import data as rd
from receipts.escpos import Printout
from receipts.thermal import ReceiptBuilder

DOCUMENTS: dict[str, tuple[type, str]] = {
    "sale": (rd.SaleReceipt, "sale"),
    "payment": (rd.PaymentReceipt, "payment"),
    "void": (rd.VoidReceipt, "void"),
    "refund": (rd.RefundReceipt, "refund"),
    "provisional": (rd.ProvisionalSlip, "provisional"),
    "confirmation": (rd.ConfirmationSlip, "confirmation"),
    "shift_report": (rd.ShiftReport, "shift_report"),
}


def to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {
            f.name: to_json(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not (f.metadata.get("omit_when_default") and getattr(value, f.name) == f.default)
        }
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    return value


def from_json(kind: type, data: Any) -> Any:
    if data is None:
        return None
    if dataclasses.is_dataclass(kind):
        hints = _field_types(kind)
        return kind(**{name: from_json(hints[name], value) for name, value in data.items() if name in hints})
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        concrete = [a for a in typing.get_args(kind) if a is not type(None)]
        return from_json(concrete[0], data) if len(concrete) == 1 else data
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_json(args[0], v) for v in data)
        return tuple(from_json(a, v) for a, v in zip(args, data, strict=True))
    if kind is datetime:
        return datetime.fromisoformat(data)
    if kind is date:
        return date.fromisoformat(data)
    return data


@functools.cache
def _field_types(kind: type) -> dict[str, Any]:
    """A dataclass's resolved field types, once per class: `get_type_hints` evaluates every string
    annotation again on each call (a tenth of a receipt's render; issue 16). The dataclasses are
    frozen module-level classes, so the answer never changes."""
    return typing.get_type_hints(kind)


def render(document: str, payload: dict[str, Any], *, columns: int, reprint_count: int = 0) -> Printout:
    """Lay out a stored document; a person's reprint (n > 0) is marked 补打 第n次 in its header."""
    cls, method = DOCUMENTS[document]
    doc = from_json(cls, payload)
    if reprint_count and hasattr(doc, "header"):
        doc = dataclasses.replace(doc, header=dataclasses.replace(doc.header, reprint_count=reprint_count))
    printout: Printout = getattr(ReceiptBuilder(columns=columns), method)(doc)  # (the table names the method)
    return printout
