"""A PNG of a decoded receipt, for screenshots and for eyes. Development only: uses Pillow and
qrcode (the `sim` extra; only `SimPrinter.render_png` imports this module) and the WenQuanYi font
when the system has it; without a CJK font Chinese shows as boxes, which is still enough to check
layout."""

from __future__ import annotations

from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from hardware.sim.escpos_decode import PrintedLine

_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
_WIDTH = 384  # 58 mm paper at 203 dpi
_LINE = 24


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in _FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def render(lines: list[PrintedLine], path: Path) -> Path:
    height = 16 + sum(_LINE * line.scale if not line.qr else 200 for line in lines)
    image = Image.new("L", (_WIDTH, max(height, 32)), 255)
    draw = ImageDraw.Draw(image)
    y = 8
    for line in lines:
        if line.qr:
            y = _draw_qr(image, line.qr, y)
            continue
        font = _font(20 * line.scale)
        width = draw.textlength(line.text, font=font)
        x = {0: 4, 1: (_WIDTH - width) / 2, 2: _WIDTH - width - 4}[line.align]
        draw.text((x, y), line.text, fill=0, font=font, stroke_width=1 if line.bold else 0)
        y += _LINE * line.scale
    image.save(path)
    return path


def _draw_qr(image: Image.Image, data: str, y: int) -> int:
    qr_image = qrcode.make(data, box_size=4, border=1).get_image().convert("L").resize((190, 190))
    image.paste(qr_image, ((_WIDTH - 190) // 2, y))
    return y + 200
