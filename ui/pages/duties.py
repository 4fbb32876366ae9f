"""部门事务: the department's own duties on one page (issue 15 items 3, 4, 9, 10).

- 来电来访登记 (seed 001:1661): every role that meets customers writes a call or visit down; the
  open items (customer not told yet) are listed first, on the start page of the assistant and head;
  one form escalates, answers or closes an item.
- 半月收账检查 and spot checks (001:1618, 1643), for the assistant and head: record a check, see
  which half-months of the month are checked.
- 应收清单导入 (001:28): a receivables list from finance or the inspection department, checked first,
  then imported; the reconciliation one file per issuing department.
- 轮岗 (001:19): who holds which post since when, terms over the setting marked.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QGroupBox, QPushButton, QTableView, QVBoxLayout, QWidget

from base.money import format_yuan
from ui import style
from ui.models import Column, RowsModel, yuan_column
from ui.ops import FacadeOp, error_text
from ui.pages.base import Page
from ui.pages.form import ActionForm, Spec
from ui.times import SECONDS, shown_time
from ui.widgets import ERROR_STYLE, info_label

translate = QCoreApplication.translate
CHECKERS = {"assistant", "head"}
IMPORTERS = {"assistant", "head", "finance"}
READERS = {"assistant", "head", "finance"}
VISITOR_ROLES = {"cashier", "supervisor", "assistant", "head"}


def _moment(value: Any) -> str:
    return shown_time(value, SECONDS) if value else ""


def _table(model: RowsModel, height: int = 140) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.setMinimumHeight(height)
    style.fit_columns(view)  # the headers, before any row
    model.modelReset.connect(lambda: style.fit_columns(view))  # a long question or label is read whole
    return view


def channels() -> tuple[tuple[str, str], ...]:
    return (("phone", translate("Duties", "来电")), ("visit", translate("Duties", "来访")))


def visitor_model(parent=None) -> RowsModel:
    names = dict(channels())
    return RowsModel(
        [
            Column(translate("Duties", "编号"), lambda r: r.entry_id),
            Column(translate("Duties", "时间"), lambda r: r.logged_at, _moment),
            Column(translate("Duties", "方式"), lambda r: r.channel, lambda v: names.get(v, v)),
            Column(translate("Duties", "来电来访人"), lambda r: r.caller or ""),
            Column(translate("Duties", "房间"), lambda r: r.room_code or ""),
            Column(translate("Duties", "问题"), lambda r: r.question),
            Column(translate("Duties", "上报至"), lambda r: r.escalated_to or ""),
            Column(translate("Duties", "答复"), lambda r: r.answer or ""),
        ],
        parent,
    )


def half_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(translate("Duties", "半月"), lambda r: f"{r.first.isoformat()} – {r.last.isoformat()}"),
            Column(
                translate("Duties", "收账检查"),
                lambda r: r.checked,
                lambda v: translate("Duties", "已检查") if v else translate("Duties", "未检查"),
            ),
            Column(
                translate("Duties", "检查人"),
                lambda r: "、".join(dict.fromkeys(c.checked_by for c in r.checks)),
            ),
            Column(translate("Duties", "抽查次数"), lambda r: len(r.spot_checks)),
            yuan_column(
                translate("Duties", "抽查清点"),
                lambda r: sum(c.counted_fen or 0 for c in r.spot_checks) if r.spot_checks else None,
            ),
        ],
        parent,
    )


def term_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(translate("Duties", "岗位"), lambda r: r.post, post_name),
            Column(translate("Duties", "姓名"), lambda r: r.person),
            Column(translate("Duties", "起始"), lambda r: r.from_date, lambda v: v.isoformat()),
            Column(
                translate("Duties", "结束"),
                lambda r: r.to_date,
                lambda v: v.isoformat() if v else translate("Duties", "在任"),
            ),
            Column(translate("Duties", "月数"), lambda r: r.months),
            Column(
                translate("Duties", "超期"),
                lambda r: r.over_limit,
                lambda v: translate("Duties", "超期") if v else "",
            ),
        ],
        parent,
    )


def post_name(post: str) -> str:
    names = {
        "cashier": translate("Duties", "营业员"),
        "supervisor": translate("Duties", "监督人"),
        "assistant": translate("Duties", "部门助理"),
        "head": translate("Duties", "主管"),
        "finance": translate("Duties", "财务"),
        "admin": translate("Duties", "管理员"),
        "appointed": translate("Duties", "监督人（任命）"),
    }
    return names.get(post, post)


def handle_visitor(session: Any, *, entry_id: int, action: str, text: str | None = None) -> Any:
    """One form for the three later steps: escalate (text = to whom), answer, told (text = note)."""
    if action == "escalate":
        return session.escalate_visitor(entry_id=entry_id, to=text or "")
    if action == "answer":
        return session.answer_visitor(entry_id=entry_id, answer=text or "")
    return session.visitor_told(entry_id=entry_id, note=text)


def export_lists(session: Any, *, start: date, end: date, folder: str) -> int:
    """On the worker: one PDF per issuing department into `folder`; how many were written."""
    files = session.reconciliation_lists(start=start, end=end)
    for department, pdf in files.items():
        safe = "".join(ch for ch in department if ch not in '\\/:*?"<>|')
        (Path(folder) / f"对账单_{safe}_{start}_{end}.pdf").write_bytes(pdf)
    return len(files)


class DutiesPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Duties", "部门事务")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        roles = set(ctx.roles)
        self.status = info_label()
        self.add(self.status)
        self.visitors = visitor_model(self)
        self.halves = half_model(self)
        self.terms = term_model(self)
        if roles & VISITOR_ROLES:
            self.add(self._visitor_box())
        if roles & CHECKERS:
            self.add(self._checks_box())
        if roles & IMPORTERS:
            self.add(self._receivables_box())
        if roles & READERS:
            self.add(self._rotation_box())
        self.roles = roles
        self.finish()

    # --- 来电来访 ----------------------------------------------------------------------------------
    def _visitor_box(self) -> QWidget:
        box = QGroupBox(translate("Duties", "来电来访登记（未告知用户的事项）"))
        column = QVBoxLayout(box)
        column.addWidget(_table(self.visitors))
        self.log_form = ActionForm(
            self.ctx,
            translate("Duties", "登记"),
            [
                Spec("channel", translate("Duties", "方式"), "choice", choices=channels()),
                Spec("caller", translate("Duties", "来电来访人"), optional=True),
                Spec("room_code", translate("Duties", "房间"), optional=True),
                Spec("question", translate("Duties", "问题")),
                Spec("answer", translate("Duties", "当场答复（权限内）"), optional=True),
            ],
            lambda s, **kw: s.log_visitor(**kw),
            self._visitor_done,
        )
        self.step_form = ActionForm(
            self.ctx,
            translate("Duties", "处理"),
            [
                Spec("entry_id", translate("Duties", "编号"), "int"),
                Spec(
                    "action",
                    translate("Duties", "处理"),
                    "choice",
                    choices=(
                        ("escalate", translate("Duties", "上报主管或助理")),
                        ("answer", translate("Duties", "答复")),
                        ("told", translate("Duties", "已告知用户")),
                    ),
                ),
                Spec("text", translate("Duties", "上报给谁 / 答复 / 备注"), optional=True),
            ],
            handle_visitor,
            self._visitor_done,
        )
        column.addWidget(self.log_form)
        column.addWidget(self.step_form)
        return box

    def _visitor_done(self, item: Any) -> str:
        self.refresh()
        state = translate("Duties", "待处理") if item.open else translate("Duties", "已办结")
        return translate("Duties", "第 {0} 条：{1}").format(item.entry_id, state)

    # --- 收账检查 ----------------------------------------------------------------------------------
    def _checks_box(self) -> QWidget:
        box = QGroupBox(translate("Duties", "半月收账检查与抽查（本月）"))
        column = QVBoxLayout(box)
        column.addWidget(_table(self.halves, 90))
        self.check_form = ActionForm(
            self.ctx,
            translate("Duties", "记录检查"),
            [
                Spec(
                    "kind",
                    translate("Duties", "类型"),
                    "choice",
                    choices=(
                        ("half_month", translate("Duties", "半月收账检查")),
                        ("spot", translate("Duties", "抽查")),
                    ),
                ),
                Spec("covers_from", translate("Duties", "检查期间自"), "date"),
                Spec("covers_to", translate("Duties", "至"), "date"),
                Spec("shift_id", translate("Duties", "班次号"), "int", optional=True),
                Spec("counted_fen", translate("Duties", "清点金额"), "yuan", optional=True),
                Spec("findings", translate("Duties", "检查结果")),
            ],
            lambda s, **kw: s.record_collection_check(**kw),
            self._check_done,
        )
        column.addWidget(self.check_form)
        return box

    def _check_done(self, row: Any) -> str:
        self.refresh()
        return translate("Duties", "已记录检查 {0}").format(row.check_id)

    # --- 应收清单 ----------------------------------------------------------------------------------
    def _receivables_box(self) -> QWidget:
        box = QGroupBox(translate("Duties", "应收清单导入与按部门对账"))
        column = QVBoxLayout(box)
        self.import_form = ActionForm(
            self.ctx,
            translate("Duties", "导入应收清单（CSV 或 XLSX）"),
            [
                Spec("path", translate("Duties", "文件路径")),
                Spec("department", translate("Duties", "开单部门（文件未注明时）"), optional=True),
                Spec(
                    "commit",
                    translate("Duties", "操作"),
                    "choice",
                    choices=(
                        ("check", translate("Duties", "只检查")),
                        ("import", translate("Duties", "检查并导入")),
                    ),
                ),
            ],
            lambda s, commit, **kw: s.import_receivables(commit=commit == "import", **kw),
            self._imported,
        )
        self.lists_form = ActionForm(
            self.ctx,
            translate("Duties", "按开单部门导出对账单（PDF）"),
            [
                Spec("start", translate("Duties", "从"), "date"),
                Spec("end", translate("Duties", "到"), "date"),
                Spec("folder", translate("Duties", "保存到文件夹")),
            ],
            export_lists,
            lambda n: translate("Duties", "已导出 {0} 个部门的对账单").format(n),
        )
        column.addWidget(self.import_form)
        column.addWidget(self.lists_form)
        return box

    def _imported(self, result: Any) -> str:
        if result.errors:
            return "\n".join(
                [translate("Duties", "有 {0} 处问题，未导入：").format(len(result.errors)), *result.errors]
            )
        done = translate("Duties", "已导入") if result.imported else translate("Duties", "检查通过，可导入")
        return translate("Duties", "{0}：{1} 张通知单，合计 ￥{2}").format(
            done, result.notices, format_yuan(result.total_fen)
        )

    # --- 轮岗 ----------------------------------------------------------------------------------------
    def _rotation_box(self) -> QWidget:
        box = QGroupBox(translate("Duties", "轮岗：岗位任职"))
        column = QVBoxLayout(box)
        column.addWidget(_table(self.terms))
        refresh = style.with_icon(QPushButton(translate("Duties", "刷新")), "refresh")
        refresh.clicked.connect(self.refresh)
        column.addWidget(style.left(refresh))
        return box

    # --- refresh -------------------------------------------------------------------------------------
    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        session, roles, counter = self.ctx.session, self.roles, self.ctx.counter

        def read() -> tuple[
            list[Any], list[Any], list[Any]
        ]:  # on the worker (the clock may ask the database)
            first = counter.clock().date().replace(day=1)
            last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            visitors = session.open_visitor_items() if roles & VISITOR_ROLES else []
            halves = session.collection_checks(start=first, end=last) if roles & CHECKERS else []
            terms = session.post_history() if roles & READERS else []
            return visitors, halves, terms

        FacadeOp(self, read).success(self._listed).failure(self._failed).run()

    def _listed(self, lists: tuple[list[Any], list[Any], list[Any]]) -> None:
        for model, rows in zip((self.visitors, self.halves, self.terms), lists, strict=True):
            model.set_rows(rows)
        self.status.setStyleSheet("")
        self.status.setText(translate("Duties", "未告知用户的来电来访：{0} 条").format(len(lists[0])))

    def _failed(self, exc: BaseException) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(error_text(exc))
