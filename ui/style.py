"""The look of the workstation (issue 14 "The face"): one palette, one type scale, one spacing scale,
one style sheet, applied once to the QApplication by `apply(app)`.

Anchors: Odoo's point of sale (calm light surfaces, one strong colour for the action that moves
the sale on) and the card-room tools the centre knows (dense tables, big figures).

Status colours mean one thing each, everywhere:
  OK green      – done, genuine, healthy
  WARNING amber – needs attention but nothing is wrong yet (paper near end, previous purchase not loaded)
  ERROR red     – refused, failed, forged, a device down
  SIMULATED     – the 演示 banner only (simulated devices): its own purple, never used for anything else
  INFO blue     – working / busy, neutral news

Widgets pick a colour by object name (styled here) or through the small *_STYLE strings below
(the widget's own sheet; kept for labels that switch between states at run time).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QStyle,
    QTableView,
    QWidget,
)

# --- palette -------------------------------------------------------------------------------------------
PRIMARY = "#1f5fa8"  # the one colour of the action that moves the work on
PRIMARY_HOVER = "#184d8a"
PRIMARY_PRESSED = "#123c6c"
TEXT = "#1f2933"
MUTED = "#5f6b7a"
BORDER = "#c5ccd6"
SURFACE = "#ffffff"
WINDOW = "#f2f4f7"
ALT_ROW = "#f6f8fb"
SELECTION = "#d4e3f6"
HEADER = "#e8ecf1"

OK = "#1b6e34"
OK_BG = "#1b7f3b"
WARNING = "#9a5b00"
WARNING_STRONG = "#b35c00"  # amber as a background under white text (a voided receipt)
WARNING_BG = "#fff3cd"
WARNING_TEXT = "#5d4200"
ERROR = "#b00020"
SIMULATED = "#6a1b9a"
INFO = "#0d47a1"

# --- type scale (px) -----------------------------------------------------------------------------------
FONT_FAMILIES = ["Microsoft YaHei UI", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "sans-serif"]
BASE_PX = 14  # readable at 1366×768 from a cashier's chair
SMALL_PX = 12
TITLE_PX = 20  # a page's heading
FIGURE_PX = 24  # the sale's change, amounts a customer is told
ENTRY_PX = 20  # the sale's amount and energy fields
VERDICT_PX = 34  # 真票 / 不是真票

# --- spacing (px) --------------------------------------------------------------------------------------
SPACE_XS, SPACE_S, SPACE_M, SPACE_L = 4, 8, 12, 16
BUTTON_MIN_WIDTH = 96
FIELD_MAX_PX = 560  # an input never wider than this
COLUMN_MAX_PX = 360  # a table column fitted to a long text stops here (the last one stretches)

# --- the states a label takes at run time (its own sheet: these override the application's) ----------
ERROR_STYLE = f"color: {ERROR};"
OK_STYLE = f"color: {OK};"
WARNING_STYLE = f"color: {WARNING}; font-weight: bold;"
INFO_STYLE = f"color: {INFO}; font-weight: bold;"
MUTED_STYLE = f"color: {MUTED};"
FIELD_ERROR_STYLE = f"border: 2px solid {ERROR};"
DEVICE_DOWN_STYLE = f"color: {ERROR}; font-weight: bold;"
HEADING_STYLE = f"font-size: {TITLE_PX}px; font-weight: bold; margin: {SPACE_XS}px 0;"
FIGURE_STYLE = f"font-size: {FIGURE_PX}px; font-weight: bold;"
SALE_RESULT_STYLE = f"font-size: 16px; color: {OK};"


def banner(background: str, size: int = 16, pad: int = 4, color: str = "white") -> str:
    return (
        f"background: {background}; color: {color}; font-weight: bold; font-size: {size}px; padding: {pad}px;"
    )


SIMULATED_BANNER_STYLE = banner(SIMULATED)
ERROR_BANNER_STYLE = banner(ERROR, 18, 8)
WORKING_BANNER_STYLE = banner(WARNING_BG, 15, 6, WARNING_TEXT)
VERDICT_OK_STYLE = banner(OK_BG, VERDICT_PX, 14)
VERDICT_WARNING_STYLE = banner(WARNING_STRONG, VERDICT_PX, 14)
VERDICT_ERROR_STYLE = banner(ERROR, VERDICT_PX, 14)


def style_sheet() -> str:
    """The application's one sheet."""
    return f"""
QMainWindow, QDialog, LoginWindow {{ background: {WINDOW}; }}
QWidget {{ color: {TEXT}; }}
QLabel {{ background: transparent; }}
QGroupBox {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 6px;
    margin-top: 14px; padding: {SPACE_M}px {SPACE_S}px {SPACE_S}px {SPACE_S}px; font-weight: bold;
}}
QGroupBox::title {{ subcontrol-origin: margin; left: {SPACE_M}px; padding: 0 {SPACE_XS}px; color: {TEXT}; }}
QGroupBox QLabel, QGroupBox QLineEdit, QGroupBox QComboBox, QGroupBox QPushButton,
QGroupBox QCheckBox, QGroupBox QTableView {{ font-weight: normal; }}
QLineEdit, QPlainTextEdit, QTextEdit {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 4px; padding: 3px 6px;
    selection-background-color: {SELECTION}; selection-color: {TEXT};
}}
QLineEdit:focus, QPlainTextEdit:focus {{
    border: 1px solid {PRIMARY};
}}
QSpinBox {{ max-width: 180px; }}
QLineEdit:disabled {{ background: {WINDOW}; color: {MUTED}; }}
QPushButton {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 4px;
    padding: 5px 14px; min-width: {BUTTON_MIN_WIDTH - 28}px;
}}
QPushButton:hover {{ border-color: {PRIMARY}; }}
QPushButton:pressed {{ background: {SELECTION}; }}
QPushButton:disabled {{ color: #9aa5b1; background: {WINDOW}; border-color: #dde2e8; }}
QPushButton[primary="true"] {{
    background: {PRIMARY}; color: white; border: 1px solid {PRIMARY}; font-weight: bold;
}}
QPushButton[primary="true"]:hover {{ background: {PRIMARY_HOVER}; }}
QPushButton[primary="true"]:pressed {{ background: {PRIMARY_PRESSED}; }}
QPushButton[primary="true"]:disabled {{ background: #9db7d6; border-color: #9db7d6; color: white; }}
QPushButton:default {{ border-width: 2px; }}
QTabWidget::pane {{ border: 1px solid {BORDER}; border-radius: 4px; background: {SURFACE}; top: -1px; }}
QTabBar::tab {{
    background: {HEADER}; border: 1px solid {BORDER}; border-bottom: none;
    padding: 5px 12px; margin-right: 2px; border-top-left-radius: 4px; border-top-right-radius: 4px;
}}
QTabBar::tab:selected {{ background: {SURFACE}; color: {PRIMARY}; font-weight: bold; }}
QTableView, QTreeView, QListView {{
    background: {SURFACE}; alternate-background-color: {ALT_ROW}; border: 1px solid {BORDER};
    gridline-color: #e3e7ec; selection-background-color: {SELECTION}; selection-color: {TEXT};
}}
QHeaderView::section {{
    background: {HEADER}; color: {TEXT}; border: none; border-right: 1px solid {BORDER};
    border-bottom: 1px solid {BORDER}; padding: 4px 6px; font-weight: bold;
}}
QListWidget#pageList {{ background: #24303f; border: none; color: #dfe6ee; font-size: 15px; outline: 0; }}
QListWidget#pageList::item {{ padding: 5px 6px; border-radius: 4px; }}
QListWidget#pageList::item:selected {{ background: {PRIMARY}; color: white; }}
QListWidget#pageList::item:hover:!selected {{ background: #334255; }}
QMenuBar {{ background: {SURFACE}; border-bottom: 1px solid {BORDER}; }}
QStatusBar {{ background: {SURFACE}; border-top: 1px solid {BORDER}; color: {MUTED}; }}
QStatusBar QLabel {{ padding: 0 {SPACE_XS}px; }}
QScrollArea#pageScroll {{ border: none; background: transparent; }}
QWidget#pageBody {{ background: transparent; }}
QDockWidget {{ font-weight: bold; }}
QDockWidget > QWidget {{ background: {SURFACE}; font-weight: normal; }}
QLabel#fieldError {{ color: {ERROR}; }}
QLabel#loginMessage {{ color: {ERROR}; }}
QLabel#busyIndicator {{ color: {INFO}; font-weight: bold; }}
QLabel#pageTitle {{ font-size: {TITLE_PX}px; font-weight: bold; }}
QLabel#bigFigure {{ font-size: {FIGURE_PX}px; font-weight: bold; color: {TEXT}; }}
QLabel#mutedNote {{ color: {MUTED}; }}
QLineEdit#bigEntry {{ font-size: {ENTRY_PX}px; padding: 3px 8px; }}
"""


def app_font() -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPixelSize(BASE_PX)
    return font


def primary(button: QAbstractButton) -> QAbstractButton:
    """Mark `button` as the page's or form's main action (the blue one)."""
    button.setProperty("primary", True)
    button.style().unpolish(button)
    button.style().polish(button)
    return button


def tidy_tables(root: QWidget) -> None:
    """Every table under `root`: alternating rows, no row numbers, columns as wide as their contents
    (within bounds) with the last one stretched, re-fitted when the rows change. Idempotent."""
    for view in root.findChildren(QTableView):
        tidy_table(view)


def tidy_table(view: QTableView) -> None:
    if view.property("tidied"):
        return
    view.setProperty("tidied", True)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(BASE_PX + 14)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setMinimumSectionSize(48)
    header.setResizeContentsPrecision(200)  # a long report is sampled, not measured row by row
    if header.sectionResizeMode(0) == QHeaderView.ResizeMode.Interactive:
        _fit_on_change(view)


def fit_columns(view: QTableView, widest: int = COLUMN_MAX_PX) -> None:
    """Columns as wide as their contents, none but the (stretched) last wider than `widest`.
    (Not QHeaderView.setMaximumSectionSize: that would stop the last column stretching.)"""
    header = view.horizontalHeader()
    view.resizeColumnsToContents()
    last = header.count() - 1
    for column in range(max(last, 0)):
        if header.sectionSize(column) > widest:
            header.resizeSection(column, widest)
    if last >= 0:  # the last takes what is left (a fit sets it to its contents until the next resize)
        others = sum(header.sectionSize(column) for column in range(last))
        header.resizeSection(last, max(header.sectionSize(last), view.viewport().width() - others))


def _fit_on_change(view: QTableView) -> None:
    fit = QTimer(view, singleShot=True, interval=0)
    fit.timeout.connect(lambda: fit_columns(view))
    hooked: list[object] = []

    def hook() -> None:
        model = view.model()
        if model is None or model in hooked:
            return
        hooked.append(model)
        model.modelReset.connect(fit.start)
        model.layoutChanged.connect(fit.start)
        model.rowsInserted.connect(fit.start)

    hook()
    fit.timeout.connect(hook)  # a model set later is hooked at the next fit
    fit.start()


def apply(app: QApplication) -> None:
    """The font and the sheet, once per application (idempotent)."""
    if app.property("counterStyled"):
        return
    app.setProperty("counterStyled", True)
    app.setFont(app_font())
    app.setStyleSheet(style_sheet())


def fit_to_screen(window: QWidget, preferred: tuple[int, int] = (1366, 728)) -> None:
    """The main window within the screen's free area (1366×768 less a taskbar fits; on 1920×1080 it
    grows to the free area up to 1600×1000)."""
    screen = window.screen() or QApplication.primaryScreen()
    if screen is None:
        window.resize(*preferred)
        return
    free = screen.availableGeometry()
    width = min(free.width(), max(preferred[0], min(1600, free.width())))
    height = min(free.height(), max(preferred[1], min(1000, free.height())))
    window.resize(width, height)
    window.move(free.x() + (free.width() - width) // 2, free.y() + (free.height() - height) // 2)


def left(*widgets: QWidget) -> QWidget:
    """`widgets` in a row on the left, as wide as their words: a button that is not a full-width bar."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(SPACE_S)
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return holder


ICONS = {
    "refresh": QStyle.StandardPixmap.SP_BrowserReload,
    "save": QStyle.StandardPixmap.SP_DialogSaveButton,
    "open": QStyle.StandardPixmap.SP_DialogOpenButton,
    "view": QStyle.StandardPixmap.SP_FileDialogContentsView,
}


def with_icon(button: QAbstractButton, kind: str) -> QAbstractButton:
    """An icon where it helps the eye find a repeated action (refresh, save a file, open a file)."""
    button.setIcon(button.style().standardIcon(ICONS[kind]))
    return button
