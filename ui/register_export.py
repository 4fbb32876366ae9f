"""售电登记表 to a file, from the X report tab (the open shift) and from the sheets page (the
sheet's shift): one save dialog (PDF or Excel by the filter chosen), the facade's
`sales_register` run on the worker, the file written there too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from ui.ops import FacadeOp, error_text

translate = QCoreApplication.translate
FILTERS = {"PDF (*.pdf)": "pdf", "Excel (*.xlsx)": "xlsx"}


def ask_register_path(parent: QWidget | None, suggested: str) -> tuple[str, str] | None:
    """(path, format) from the save dialog; None when cancelled. Tests monkeypatch this."""
    path, chosen = QFileDialog.getSaveFileName(
        parent, translate("Register", "保存售电登记表"), suggested, ";;".join(FILTERS)
    )
    if not path:
        return None
    fmt = FILTERS.get(chosen) or ("xlsx" if path.lower().endswith(".xlsx") else "pdf")
    if not path.lower().endswith(f".{fmt}"):
        path = f"{path}.{fmt}"
    return path, fmt


def export_register(parent: QWidget, session: object, shift_id: int | None, said: Callable[[str, bool], None],
                    ask: Callable[[QWidget | None, str], tuple[str, str] | None] | None = None) -> None:  # fmt: skip
    """Ask where, then write the register; `said(text, is_error)` reports the outcome."""
    suggested = f"sales-register_{shift_id if shift_id is not None else 'open'}.pdf"
    answer = (ask or ask_register_path)(parent, suggested)
    if answer is None:
        return
    path, fmt = answer

    def write() -> str:
        Path(path).write_bytes(session.sales_register(shift_id=shift_id, format=fmt))  # type: ignore[attr-defined]
        return path

    FacadeOp(parent, write).success(
        lambda p: said(translate("Register", "售电登记表已保存：{0}").format(p), False)
    ).failure(lambda exc: said(error_text(exc), True)).run()
