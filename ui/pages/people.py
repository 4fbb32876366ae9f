"""人员 (administrator, head, assistant): the counter's people with their roles and 监督人 terms,
and the work on them without a command line (issue 14).

The administrator adds a person (login ID, the name people read, one role, a first password typed
twice: co-signed), corrects the name, disables a person (co-signed by 主管 or 部门助理 when the person
is a co-signer) and resets a password (co-signed, never by its owner). The head or an assistant
appoints a 监督人 for some days. Choosing a row in the list fills the login ID of every form, so
nobody types an id they can pick. Each form calls the facade method the command line's service
sits behind (counter_app/ops/people_admin.py): the same rules, co-signatures and audit entries.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTabWidget

from base.vocabulary import ROLES
from ui import i18n, style
from ui.ops import FacadeOp, error_text
from ui.pages.admin_forms import ConvertedForm, may, read_only_table, same_password
from ui.pages.base import Page
from ui.pages.form import ActionForm, Spec
from ui.pages.settings import people_model, role_text
from ui.widgets import ERROR_STYLE, info_label

translate = QCoreApplication.translate


def done(text: str) -> Any:
    """A result line naming the person the facade returned."""

    def line(person: Any) -> str:
        opening, closing = (" (", ")") if i18n.current_language() == "en" else ("（", "）")
        return text.format(f"{person.display_name or person.name}{opening}{person.name}{closing}")

    return line


class PeoplePage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("People", "人员")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.people = people_model(self)
        self.view = read_only_table(self.people, 260)
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _p: self.pick(cur.row()))
        self.add(self.view)
        self.status = info_label()
        self.add(self.status)
        self.forms: dict[str, ActionForm] = {}
        self.tabs = QTabWidget()
        for key, form in self._forms():
            self.forms[key] = form
            self.tabs.addTab(form, form.title())
            form.setTitle("")
        self.add(self.tabs)
        self.finish()

    def _forms(self) -> list[tuple[str, ActionForm]]:
        roles, ctx = self.ctx.roles, self.ctx
        name = Spec("name", translate("People", "登录名"))
        password = Spec("password", translate("People", "新密码（至少 8 位）"))
        again = Spec("password_again", translate("People", "再输一次"))
        forms: list[tuple[str, ActionForm]] = []
        if may(roles, "admin"):
            role_choices = tuple((r, role_text(r)) for r in ROLES if r != "supervisor")
            forms += [
                ("add", ConvertedForm(
                    ctx, translate("People", "添加人员"),
                    [name, Spec("display_name", translate("People", "姓名")),
                     Spec("role", translate("People", "角色"), "choice", choices=role_choices), password, again],
                    lambda s, **kw: s.add_operator(**kw), done(translate("People", "已添加 {0}")),
                    needs_approval=True, operation="add_operator", convert=same_password, after=self._changed)),
                ("rename", ConvertedForm(
                    ctx, translate("People", "修改姓名"), [name, Spec("display_name", translate("People", "姓名"))],
                    lambda s, **kw: s.rename_operator(**kw), done(translate("People", "已改名 {0}")), after=self._changed)),
                ("disable", ConvertedForm(
                    ctx, translate("People", "停用"), [name],
                    lambda s, **kw: s.disable_operator(**kw), done(translate("People", "已停用 {0}")),
                    needs_approval=True, operation="disable_operator", after=self._changed)),
                ("reset", ConvertedForm(
                    ctx, translate("People", "重置密码"), [name, password, again],
                    lambda s, **kw: s.reset_password(**kw), done(translate("People", "已重置 {0} 的密码")),
                    needs_approval=True, operation="reset_password", convert=same_password, after=self._changed)),
            ]  # fmt: skip
        if may(roles, "head", "assistant"):
            forms.append(("appoint", ConvertedForm(
                ctx, translate("People", "任命监督人"),
                [name, Spec("start", translate("People", "任期自"), "date"),
                 Spec("end", translate("People", "任期至"), "date")],
                lambda s, **kw: s.appoint_supervisor(**kw), done(translate("People", "已任命 {0} 为监督人")),
                after=self._changed)))  # fmt: skip
        return forms

    def _changed(self, _person: Any) -> None:
        self.refresh()

    # --- loading -------------------------------------------------------------------------------------
    def activated(self) -> None:
        self.refresh()
        self.view.setFocus()

    def refresh(self) -> None:
        session = self.ctx.session
        FacadeOp(self, session.list_people).success(self._loaded).failure(self._failed).run()

    def _loaded(self, rows: list) -> None:
        self.people.set_rows(rows)
        style.fit_columns(self.view)

    def _failed(self, exc: BaseException) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(error_text(exc))

    def pick(self, row: int) -> None:
        if row < 0:
            return
        chosen = self.people.row(row)
        for key, form in self.forms.items():
            if key != "add" and "name" in form.fields:  # a new person's login ID is typed, never picked
                form.fields["name"].set_text(chosen.name)
            if "display_name" in form.fields and form is self.forms.get("rename"):
                form.fields["display_name"].set_text(chosen.display_name)
