"""账户: campus → building → unit → room tree, instant search, opening and changing accounts.

Search: `session.search_accounts(text)` (room code, holder name, meter or account number; at most
50 rows). Tree: `session.list_rooms()` (campus, building, unit, room_code rows of this campus).
Both are docs/api.md "Lookups"; clicking a room searches it. Double-click (or Enter) on a hit opens
its detail (`session.account_history`, ui/pages/account_detail.py).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHBoxLayout, QTableView, QTabWidget, QTreeView, QWidget

from base.vocabulary import CLASS_CODES
from ui.models import accounts_model, class_text
from ui.ops import FacadeOp, error_text
from ui.pages.base import Page
from ui.pages.form import ActionForm, Spec, note
from ui.widgets import Field

translate = QCoreApplication.translate
SEARCH_DEBOUNCE_MS = 150  # longer than a fast typist's gap between keys (~100 ms), still feels instant


def search(session: Any, text: str) -> list:
    """Runs on the worker: room code, holder name, meter or account number → matching accounts."""
    return list(session.search_accounts(text))


def room_tree(rows: list) -> QStandardItemModel:
    """campus → building → unit (optional) → room, from plain rows."""
    model = QStandardItemModel()
    model.setHorizontalHeaderLabels([translate("Accounts", "校区/楼栋/单元/房间")])
    nodes: dict[tuple, QStandardItem] = {}
    for row in rows:
        parent = model.invisibleRootItem()
        path: tuple = ()
        for part in (row.campus, row.building, getattr(row, "unit", None)):
            if not part:
                continue
            path += (part,)
            if path not in nodes:
                nodes[path] = QStandardItem(str(part))
                parent.appendRow(nodes[path])
            parent = nodes[path]
        leaf = QStandardItem(row.room_code)
        leaf.setData(row.room_code, Qt.ItemDataRole.UserRole)
        parent.appendRow(leaf)
    return model


class AccountsPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Accounts", "账户")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self._tree_loaded = False
        self.query = Field(translate("Accounts", "房间号 / 户主姓名 / 电表号 / 账户号（输入即查）"))
        # Debounced: a search starts 150 ms after the last keystroke, and never while one is on the
        # single worker (the newest text is searched when it returns), so fast typing queues nothing.
        self.query.edit.textEdited.connect(lambda _t: self._timer.start())
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_search)
        self._searching = False
        self._search_again = False
        self.model = accounts_model(self)
        table = self.table = QTableView()
        table.setModel(self.model)
        table.horizontalHeader().setStretchLastSection(True)
        table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        # Double-click or Enter on a hit (or Enter in the search field: the selected or first hit)
        # opens the account's detail: its data and history (ui/pages/account_detail.py).
        table.activated.connect(lambda index: self.open_detail(index.row()))
        self.query.edit.returnPressed.connect(self._open_from_query)
        self.tree = QTreeView()
        self.tree.setMaximumWidth(260)
        self.tree.clicked.connect(self._room_clicked)
        self.tree_note = note("")
        row = QHBoxLayout()
        row.addWidget(self.tree)
        row.addWidget(table, 1)
        holder = QWidget()
        holder.setLayout(row)
        self.add(self.query)
        self.add(self.tree_note)
        self.add(holder)
        self.add(self._forms())
        self.finish()

    def _forms(self) -> QTabWidget:
        classes = tuple((c, class_text(c)) for c in ("staff", "business"))
        self.open_form = ActionForm(
            self.ctx,
            translate("Accounts", "建档开户（教职工/实体经营）"),
            [
                Spec("room_code", translate("Accounts", "房间号")),
                Spec("cls", translate("Accounts", "类别"), "choice", choices=classes),
                Spec("meter_no", translate("Accounts", "电表号")),
                Spec("holder", translate("Accounts", "户主")),
                Spec("phone", translate("Accounts", "电话"), optional=True),
            ],
            lambda s, **kw: s.open_account(**kw),
            lambda r: translate("Accounts", "已开户 {0}（{1}）").format(r.account_no, r.status),
        )
        self.confirm_form = ActionForm(
            self.ctx,
            translate("Accounts", "确认类别"),
            [
                Spec("account_no", translate("Accounts", "账户号")),
                Spec(
                    "cls",
                    translate("Accounts", "类别"),
                    "choice",
                    choices=tuple((c, class_text(c)) for c in CLASS_CODES),
                ),
            ],
            lambda s, **kw: s.confirm_class(**kw),
            lambda r: translate("Accounts", "账户 {0} 类别已确认").format(r.account_no),
            needs_approval=True,
            operation="confirm_class",
        )
        self.holder_form = ActionForm(
            self.ctx,
            translate("Accounts", "过户"),
            [
                Spec("account_no", translate("Accounts", "账户号")),
                Spec("holder", translate("Accounts", "新户主")),
                Spec("phone", translate("Accounts", "电话")),
                Spec("handover_ckwh", translate("Accounts", "交接电量"), "kwh"),
            ],
            lambda s, **kw: s.change_holder(**kw),
            lambda r: translate("Accounts", "账户 {0} 已过户给 {1}").format(r.account_no, r.holder),
        )
        tabs = QTabWidget()
        for form in (self.open_form, self.confirm_form, self.holder_form):
            tabs.addTab(form, form.title())
        return tabs

    def activated(self) -> None:
        self.query.edit.setFocus()
        if self._tree_loaded:
            return
        self._tree_loaded = True  # thousands of rooms: built once per window, not per visit
        FacadeOp(self, self.ctx.session.list_rooms).success(self._show_tree).failure(
            lambda exc: self.tree_note.setText(error_text(exc))
        ).run()

    def _show_tree(self, rows: list) -> None:
        self.tree.setModel(room_tree(rows))
        self.tree_note.setText(translate("Accounts", "共 {0} 间房；点房间即查询").format(len(rows)))

    def run_search(self) -> None:
        if self._searching:  # one at a time: the newest text runs when this one returns
            self._search_again = True
            return
        text = self.query.text()
        if not text:
            self.model.set_rows([])
            return
        self._searching = True
        session = self.ctx.session
        FacadeOp(self, lambda: search(session, text)).success(self._found).failure(self._search_failed).run()

    def _found(self, rows: list) -> None:
        if self._search_done():
            return
        self.model.set_rows(rows)
        if not rows:
            self.query.error.setText(translate("Accounts", "没有找到"))
            self.query.error.show()

    def _search_failed(self, exc: BaseException) -> None:
        if not self._search_done():
            self.query.show_error(error_text(exc))

    def _search_done(self) -> bool:
        """True when the text changed meanwhile: the answer is stale and the newest search starts."""
        self._searching = False
        if self._search_again:
            self._search_again = False
            self.run_search()
            return True
        return False

    def _open_from_query(self) -> None:
        if self.model.rowCount():
            selected = self.table.selectionModel().selectedRows()
            self.open_detail(selected[0].row() if selected else 0)

    def open_detail(self, row: int) -> None:
        account_no = self.model.row(row).account_no
        session = self.ctx.session
        FacadeOp(self, lambda: session.account_history(account_no=account_no)).success(self._show_detail).run()

    def _show_detail(self, history) -> None:
        from ui.pages.account_detail import AccountDetailDialog

        self.detail = AccountDetailDialog(history, self)
        self.detail.open()

    def _room_clicked(self, index) -> None:
        room = index.data(Qt.ItemDataRole.UserRole)
        if room:
            self.query.set_text(room)
            self.run_search()
