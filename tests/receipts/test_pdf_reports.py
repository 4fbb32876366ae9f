"""PDFs in Chinese: the text extracts back (pdftotext), the CJK font is embedded (pdffonts), the
same input gives the same bytes, and a missing font falls back and says so."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from receipts.pdf_document import PdfReport
from receipts.pdf_fonts import DEBIAN_WQY, FontCandidate, resolve_cjk_font
from receipts.tables import Column

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
needs_wqy = pytest.mark.skipif(not DEBIAN_WQY.is_file(), reason="fonts-wqy-microhei not installed")

COLUMNS = [
    Column("收费项目"),
    Column("笔数", "int"),
    Column("金额（元）", "yuan"),
    Column("电量（kWh）", "kwh"),
]
ROWS = [
    ["寝室用户", 40, 400000, 679946],
    ["代收维修费（5-308 卫生间水管漏水，维修人王师傅，维修日期 2026-11-20）" * 2, 2, 10100, None],
    ["违规用电补缴电费 & <证据>", 1, 23530, 40000],
]


def make_report(font=None) -> PdfReport:
    pdf = PdfReport(title="财务交账单", form_no="HNKJ/C4/1012", font=font)
    pdf.lines(["柜台：W01　班次：S-20261123-2", "收款员：张三"])
    pdf.table(COLUMNS, ROWS, total=["合计", 43, 433630, 719946])
    pdf.signatures(["营业员", "部门助理", "主管", "财务"])
    return pdf


def pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@needs_poppler
@needs_wqy
def test_chinese_text_extracts_and_font_is_embedded(tmp_path: Path) -> None:
    path = tmp_path / "sheet.pdf"
    make_report(resolve_cjk_font(DEBIAN_WQY)).build(path)
    text = pdftotext(path)
    for expected in [
        "财务交账单",
        "表号：HNKJ/C4/1012",
        "寝室用户",
        "4000.00",
        "6799.46",
        "违规用电补缴电费 & <证据>",
        "部门助理（签字）",
    ]:
        assert expected in text, expected
    assert "第1页" in text.replace(" ", "")
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "WenQuanYi" in line]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk)  # the "emb" column


@needs_wqy
def test_same_input_gives_identical_bytes_across_processes(tmp_path: Path) -> None:
    script = (
        "import sys; sys.path.insert(0, sys.argv[2]);"
        "from test_pdf_reports import make_report; make_report().build(sys.argv[1])"
    )
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"r{seed}.pdf"
        env = {"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}
        subprocess.run(
            [sys.executable, "-c", script, str(out), str(Path(__file__).parent)],
            check=True,
            env=env,
            cwd=Path(__file__).parents[2],
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert make_report().build() == make_report().build()


@needs_poppler
def test_without_any_font_file_falls_back_to_cid_and_says_so(tmp_path: Path) -> None:
    font = resolve_cjk_font(candidates=[])
    assert font.name == "STSong-Light" and font.embedded is False
    assert font.warning and "未嵌入" in font.warning
    path = tmp_path / "fallback.pdf"
    make_report(font).build(path)
    assert "STSong-Light" in subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout


@needs_wqy
def test_broken_configured_font_falls_back_to_the_next_and_says_so(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttc"
    broken.write_bytes(b"not a font")
    font = resolve_cjk_font(broken, candidates=[FontCandidate(DEBIAN_WQY, "system")])
    assert font.source == "system" and font.embedded
    assert font.warning and "配置的字体无法使用" in font.warning


@needs_wqy
def test_configured_font_is_used_first() -> None:
    font = resolve_cjk_font(DEBIAN_WQY, candidates=[])
    assert (font.source, font.path, font.warning) == ("setting", DEBIAN_WQY, None)
    assert font.bold_name == font.name  # WQY has no bold face: bold maps to regular


def test_windows_fonts_are_looked_for_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from receipts import pdf_fonts

    monkeypatch.setenv("WINDIR", str(tmp_path))
    (tmp_path / "Fonts").mkdir()
    (tmp_path / "Fonts" / "simsun.ttc").write_bytes(b"")
    candidates = pdf_fonts.default_candidates()
    assert candidates[0] == FontCandidate(tmp_path / "Fonts" / "simsun.ttc", "windows")
