"""分时段收费: the day report's takings by hour as bars, drawn with QPainter.

pyside6-essentials has no QtCharts, and 24 bars need nothing more than rectangles and labels. The
values are the facade's `HourChart` (whole yuan per hour 0..23), shown as they come.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui import style

translate = QCoreApplication.translate
BAR = QColor(style.PRIMARY)
AXIS = QColor(style.MUTED)
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 12, 28, 24


def nice_ceiling(value: int) -> int:
    """The axis top: 1, 2 or 5 × a power of ten at or above `value` (so gridlines read easily)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step >= value:
                return factor * step
        step *= 10


class HourChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: tuple[int, ...] = (0,) * 24
        self.labels: tuple[str, ...] = tuple(str(h) for h in range(24))
        self.title = ""
        self.unit = ""
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.painted = 0  # how many times it painted (tests: it draws without error)

    def set_chart(self, title: str, values: Sequence[int], unit: str, labels: Sequence[str] = ()) -> None:
        """24 hourly values, or one value per label (the monthly trend)."""
        self.title, self.values, self.unit = title, tuple(values), unit
        self.labels = tuple(labels) or tuple(str(h) for h in range(len(self.values)))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 — Qt's name
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.fillRect(self.rect(), Qt.GlobalColor.white)
            plot = QRectF(
                MARGIN_LEFT,
                MARGIN_TOP,
                max(1, self.width() - MARGIN_LEFT - MARGIN_RIGHT),
                max(1, self.height() - MARGIN_TOP - MARGIN_BOTTOM),
            )
            top = nice_ceiling(max(self.values, default=0))
            self._title(painter)
            self._axes(painter, plot, top)
            self._bars(painter, plot, top)
        finally:
            painter.end()
        self.painted += 1

    def _title(self, painter: QPainter) -> None:
        painter.setPen(AXIS)
        text = (translate("Chart", "{0}（{1}）").format(self.title, self.unit)) if self.unit else self.title
        painter.drawText(QRectF(0, 2, self.width(), MARGIN_TOP - 4), Qt.AlignmentFlag.AlignCenter, text)

    def _axes(self, painter: QPainter, plot: QRectF, top: int) -> None:
        grid = QPen(QColor("#dddddd"))
        for i in range(5):  # 0, ¼, ½, ¾ and the top, labelled on the left
            y = plot.bottom() - plot.height() * i / 4
            painter.setPen(grid)
            painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            painter.setPen(AXIS)
            label = QRectF(0, y - 8, MARGIN_LEFT - 6, 16)
            painter.drawText(
                label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{top * i / 4:g}"
            )
        painter.setPen(AXIS)
        painter.drawLine(int(plot.left()), int(plot.bottom()), int(plot.right()), int(plot.bottom()))

    def _bars(self, painter: QPainter, plot: QRectF, top: int) -> None:
        slot = plot.width() / max(len(self.values), 1)
        for hour, value in enumerate(self.values):
            x = plot.left() + hour * slot
            if value > 0:
                height = plot.height() * value / top
                painter.fillRect(QRectF(x + slot * 0.15, plot.bottom() - height, slot * 0.7, height), BAR)
            if hour % 2 == 0 or slot > 28:  # narrow windows label every other bar
                painter.setPen(AXIS)
                painter.drawText(
                    QRectF(x, plot.bottom() + 2, slot, MARGIN_BOTTOM - 4),
                    Qt.AlignmentFlag.AlignHCenter,
                    self.labels[hour] if hour < len(self.labels) else "",
                )
