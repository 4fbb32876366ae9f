"""Table models without any widget (Vorta's pattern)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter_app.results import AccountInfo, IntentInfo
from ui.models import accounts_model, intents_model

pytestmark = pytest.mark.gui


def test_intents_model_formats_units_but_keeps_integers(qapp):
    model = intents_model()
    model.set_rows(
        [
            IntentInfo("I-1", "A0001", 5000, 8499, "open", 3),
            IntentInfo("I-2", "A0002", 100, 170, "suspense", 2),
        ]
    )
    assert (model.rowCount(), model.columnCount()) == (2, 6)
    assert model.headerData(2, Qt.Orientation.Horizontal) == "金额"
    assert model.data(model.index(0, 2)) == "50.00"
    assert model.data(model.index(0, 2), Qt.ItemDataRole.UserRole) == 5000
    assert model.data(model.index(0, 3)) == "84.99"
    assert model.data(model.index(1, 4)) == "挂账"
    assert model.row(1).intent_id == "I-2"


def test_set_rows_resets(qapp):
    model = accounts_model()
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    row = AccountInfo("A1", "5-308", "dorm", "active", "张三", None, "M1", "C1", 5883, 3, None, 0, None)
    model.set_rows([row])
    assert model.data(model.index(0, 2)) == "学生公寓" and model.data(model.index(0, 3)) == "正常"
    model.set_rows([])
    assert model.rowCount() == 0 and resets == [1, 1]
