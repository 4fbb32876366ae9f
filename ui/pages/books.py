"""收据本: the department hands a stamped receipt book to a cashier (页号 range); the cashier holding
it voids a spoiled page with a reason (facade `issue_receipt_book`, `void_receipt_page`). Each
person sees the form their role may use.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from ui.pages.base import Page
from ui.pages.form import ActionForm, Spec, note

translate = QCoreApplication.translate
ISSUERS = {"assistant", "head", "finance"}
HOLDERS = {"cashier", "supervisor"}


def book_text(book: Any) -> str:
    voids = "、".join(str(p) for p in book.void_pages) or "—"
    return translate("Books", "收据本 {0}（{1}）：第 {2}—{3} 页；作废页 {4}").format(
        book.book_id, book.cashier, book.first_no, book.last_no, voids
    )


class BooksPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Books", "收据本")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.issue = ActionForm(
            ctx,
            translate("Books", "发放收据本"),
            [
                Spec("cashier", translate("Books", "营业员（登录名）")),
                Spec("first_no", translate("Books", "起始页号"), "int"),
                Spec("last_no", translate("Books", "终止页号"), "int"),
            ],
            lambda s, **kw: s.issue_receipt_book(**kw),
            book_text,
        )
        self.void = ActionForm(
            ctx,
            translate("Books", "作废收据页"),
            [
                Spec("page_no", translate("Books", "页号"), "int"),
                Spec("reason", translate("Books", "作废原因")),
            ],
            lambda s, **kw: s.void_receipt_page(**kw),
            book_text,
            button=translate("Books", "作废此页"),
        )
        self.issue.setVisible(bool(ISSUERS & ctx.roles))
        self.void.setVisible(bool(HOLDERS & ctx.roles))
        self.add(
            note(translate("Books", "作废的收据页须保留原页，并在交账单上列明；只能作废本人领用的收据本。"))
        )
        self.add(self.issue)
        self.add(self.void)
        self.finish()
