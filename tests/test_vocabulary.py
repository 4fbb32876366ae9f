"""base.vocabulary is the one definition of card classes, tenders and roles; the schema keeps its
migrated text, and the sheets list tenders in the vocabulary's (the sale page's) order."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint

from base import vocabulary as v
from counter_app.settlement.ledger_view import EntryRow
from counter_app.settlement.sheet_content import tender_rows
from db.models.accounts import CARD_CLASS_ROWS
from db.models.ledger import TENDERS_AS_MIGRATED, LedgerEntry
from db.models.security import RoleGrant


def test_every_code_has_its_label() -> None:
    assert set(v.CLASS_LABELS) == set(v.CLASS_LETTERS) == set(v.CLASS_GROUPS) == set(v.CLASS_CODES)
    assert set(v.CLASS_GROUPS.values()) == set(v.CLASS_GROUP_LABELS)
    assert tuple(v.TENDER_LABELS) == v.TENDERS
    assert tuple(v.ROLE_LABELS) == v.ROLES
    assert set(v.SELLING_ROLES) | set(v.CO_SIGN_ROLES) | set(v.APPOINTING_ROLES) <= set(v.ROLES)


def test_the_reference_rows_are_the_migrated_ones() -> None:
    migration = importlib.import_module("db.migrations.versions.0002_reference_rows")
    assert list(CARD_CLASS_ROWS) == migration.CARD_CLASSES


def test_the_check_constraints_keep_their_text_and_know_every_code() -> None:
    tender_check = " ".join(_checks(LedgerEntry))
    assert "tender IN ('cash', 'cheque', 'campus_card', 'wechat', 'alipay')" in tender_check
    assert set(TENDERS_AS_MIGRATED) == set(v.TENDERS)
    role_check = next(text for text in _checks(RoleGrant) if text.startswith("role IN"))
    # 'auditor' added by issue 15 item 8: the migration is regenerated with it
    assert role_check == "role IN ('cashier', 'supervisor', 'assistant', 'head', 'finance', 'admin', 'auditor')"


def _checks(model: type) -> list[str]:
    return [str(c.sqltext) for c in model.__table__.constraints if isinstance(c, CheckConstraint)]


def _paid(entry_id: int, tender: str) -> EntryRow:
    return EntryRow(id=entry_id, kind="sale", line="dorm", tender=tender, reference=None, fen=100, energy_ckwh=0,
                    free_ckwh=0, at=datetime(2026, 1, 1, tzinfo=UTC), operator_id=None, operator=None,
                    shift_id=None, account_no=None, room_code=None, receipt_no=None, reason=None, data={})  # fmt: skip


def test_the_sheet_lists_tenders_in_the_vocabulary_order() -> None:
    entries = [_paid(i, t) for i, t in enumerate(reversed(v.TENDERS))]
    assert [row[0] for row in tender_rows(entries)] == list(v.TENDERS)
    assert [row[1] for row in tender_rows(entries)] == [v.TENDER_LABELS[t] for t in v.TENDERS]
