"""Stamped school receipts (学校结算收据, 三联) in numbered books (DOMAIN "Receipts and slips").

A book (pages first..last) is issued to a cashier. Before a shift the cashier voids missing,
misprinted or unstamped pages with a reason (003:28); each payment that needs one records its
page (`use_receipt_page`, called by the payment service in the payment's transaction). Every page
is then accounted for as used, void (with its reason) or blank, at close and when the book comes
back. A page is used or voided once (UNIQUE(book_id, page_no)); nothing is ever edited.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from base.errors import InputInvalid, RoleForbidden
from base.validation import BOOK_MAX_PAGES, PAGE_NO_MAX
from counter_app import row_seals
from counter_app.context import OpContext
from counter_app.results import ReceiptBook
from db.models.security import Operator
from db.models.settlement import ReceiptBookIssue, ReceiptBookReturn, ReceiptPage


@dataclass(frozen=True)
class BookPages:
    book_id: int
    cashier: str
    first_no: int
    last_no: int
    used: tuple[int, ...]
    void: tuple[tuple[int, str], ...]  # (page, reason)
    blank: tuple[int, ...]


def issue_receipt_book(
    ctx: OpContext, session: Session, *, cashier_id: int, first_no: int, last_no: int
) -> ReceiptBook:
    """A book to a cashier, issued by `ctx`'s operator; a range overlapping another book is
    refused (pages are unique)."""
    if not _whole(first_no) or not _whole(last_no) or first_no <= 0 or last_no < first_no:
        raise InputInvalid(
            f"收据号段无效：{first_no}–{last_no}", detail_en="invalid page range", field="first_no"
        )
    if last_no > PAGE_NO_MAX or last_no - first_no + 1 > BOOK_MAX_PAGES:
        # A typo, not a book: 1..1e9 would list a billion blank pages at close (base.validation).
        raise InputInvalid(f"收据号段不合理：{first_no}–{last_no}（每本最多 {BOOK_MAX_PAGES} 页，页号最多 9 位）",
                           detail_en=f"implausible page range (at most {BOOK_MAX_PAGES} pages, 9-digit numbers)",
                           field="last_no", data={"max_pages": BOOK_MAX_PAGES})  # fmt: skip
    clash = session.scalar(select(ReceiptBookIssue.id).where(
        ReceiptBookIssue.first_no <= last_no, ReceiptBookIssue.last_no >= first_no))  # fmt: skip
    if clash is not None:
        raise InputInvalid(
            f"号段与第 {clash} 本收据重叠", detail_en=f"overlaps book {clash}", field="first_no"
        )
    book = ReceiptBookIssue(cashier_id=cashier_id, first_no=first_no, last_no=last_no,
                            issued_at=ctx.now(), issued_by=ctx.operator_id)  # fmt: skip
    session.add(book)
    session.flush()
    return receipt_book(session, book.id)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _book_holding(session: Session, cashier_id: int, page_no: int) -> ReceiptBookIssue:
    """The cashier's unreturned book containing the page; a page of someone else's book is refused."""
    book = session.scalar(select(ReceiptBookIssue).where(
        ReceiptBookIssue.first_no <= page_no, ReceiptBookIssue.last_no >= page_no))  # fmt: skip
    if book is None:
        raise InputInvalid(f"收据页号 {page_no} 不在任何已领用的收据本中", detail_en=f"page {page_no} is in no book",
                           field="page_no")  # fmt: skip
    if book.cashier_id != cashier_id:
        raise RoleForbidden(
            f"收据页号 {page_no} 属于他人领用的收据本", detail_en="the page is another cashier's"
        )
    if session.scalar(select(ReceiptBookReturn.id).where(ReceiptBookReturn.book_id == book.id)) is not None:
        raise InputInvalid(f"收据本 {book.id} 已交回", detail_en="the book was returned", field="page_no")
    return book


def _page_taken(session: Session, book_id: int, page_no: int) -> None:
    row = session.scalar(
        select(ReceiptPage).where(ReceiptPage.book_id == book_id, ReceiptPage.page_no == page_no)
    )
    if row is not None:
        row_seals.check(session, row)
        state = "已使用" if row.state == "used" else "已作废"
        raise InputInvalid(
            f"收据第 {page_no} 页{state}", detail_en=f"page {page_no} is {row.state}", field="page_no"
        )


def void_receipt_page(
    ctx: OpContext, session: Session, *, page_no: int, reason: str, shift_id: int | None = None
) -> ReceiptBook:
    """`ctx`'s operator voids a page of a book they hold."""
    if not reason or not reason.strip():
        raise InputInvalid("作废收据须注明原因", detail_en="a reason is needed", field="reason")
    book = _book_holding(session, ctx.operator_id, page_no)
    _page_taken(session, book.id, page_no)
    session.add(ReceiptPage(book_id=book.id, page_no=page_no, state="void", reason=reason.strip(),
                            shift_id=shift_id, at=ctx.now(), operator_id=ctx.operator_id))  # fmt: skip
    session.flush()
    return receipt_book(session, book.id)


def use_receipt_page(
    ctx: OpContext, session: Session, *, page_no: int, ledger_entry_id: int | None, shift_id: int | None
) -> int:
    """Record the stamped page of a payment taken by `ctx`'s operator from a book they hold (typed
    once); the book id. Call in the payment's transaction."""
    book = _book_holding(session, ctx.operator_id, page_no)
    _page_taken(session, book.id, page_no)
    session.add(ReceiptPage(book_id=book.id, page_no=page_no, state="used", ledger_entry_id=ledger_entry_id,
                            shift_id=shift_id, at=ctx.now(), operator_id=ctx.operator_id))  # fmt: skip
    session.flush()
    return book.id


def book_pages(session: Session, book_id: int) -> BookPages:
    book = session.get(ReceiptBookIssue, book_id)
    if book is None:
        raise InputInvalid(f"没有收据本 {book_id}", detail_en=f"no book {book_id}", field="book_id")
    pages = session.scalars(
        select(ReceiptPage).where(ReceiptPage.book_id == book_id).order_by(ReceiptPage.page_no)
    )
    used, void = [], []
    for page in row_seals.check_all(session, pages):
        (
            used.append(page.page_no)
            if page.state == "used"
            else void.append((page.page_no, page.reason or ""))
        )
    taken = set(used) | {p for p, _ in void}
    blank = tuple(n for n in range(book.first_no, book.last_no + 1) if n not in taken)
    cashier = session.scalar(select(Operator.display_name).where(Operator.id == book.cashier_id)) or ""
    return BookPages(book.id, cashier, book.first_no, book.last_no, tuple(used), tuple(void), blank)


def receipt_book(session: Session, book_id: int) -> ReceiptBook:
    pages = book_pages(session, book_id)
    return ReceiptBook(
        pages.book_id, pages.cashier, pages.first_no, pages.last_no, tuple(p for p, _ in pages.void)
    )


def books_of(session: Session, cashier_id: int, *, open_only: bool = True) -> list[int]:
    stmt = (
        select(ReceiptBookIssue.id)
        .where(ReceiptBookIssue.cashier_id == cashier_id)
        .order_by(ReceiptBookIssue.id)
    )
    if open_only:
        returned = select(ReceiptBookReturn.book_id)
        stmt = stmt.where(ReceiptBookIssue.id.not_in(returned))
    return list(session.scalars(stmt))


def return_receipt_book(ctx: OpContext, session: Session, *, book_id: int) -> BookPages:
    """The book comes back to `ctx`'s operator: every page is accounted for and the account is kept
    with the return."""
    pages = book_pages(session, book_id)
    if session.scalar(select(ReceiptBookReturn.id).where(ReceiptBookReturn.book_id == book_id)) is not None:
        raise InputInvalid(
            f"收据本 {book_id} 已交回", detail_en="the book was returned already", field="book_id"
        )
    summary = {"used": list(pages.used), "void": [[p, r] for p, r in pages.void], "blank": list(pages.blank)}
    session.add(
        ReceiptBookReturn(book_id=book_id, at=ctx.now(), operator_id=ctx.operator_id, summary=summary)
    )
    session.flush()
    return pages


def compress(pages: tuple[int, ...] | list[int]) -> str:
    """1,2,3,5 → "1–3, 5": how a person reads a list of page numbers."""
    runs: list[list[int]] = []
    for n in sorted(pages):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)
