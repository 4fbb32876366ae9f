"""Writers for real import files in tmp_path: CSV in UTF-8 (with or without BOM) and GB18030,
XLSX through XlsxWriter, the way the housing office's Excel or WPS would save them."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import xlsxwriter

HEADER = ["校区", "楼栋", "单元", "房间", "类别", "床位", "本科", "研究生", "博士", "电表号", "户主", "电话"]
DATA = Path(__file__).parent / "data"


def csv_bytes(rows: Sequence[Sequence[object]], encoding: str = "utf-8", *, bom: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def write_csv(
    path: Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8", *, bom: bool = False
) -> Path:
    path.write_bytes(csv_bytes(rows, encoding, bom=bom))
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """Numbers stay numbers (as Excel stores a typed 308 or 4), text stays text."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("房间")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})  # a date cell, as Excel makes one
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, date_format)
            else:
                sheet.write(r, c, value)
    workbook.close()
    return path


GOOD_ROWS = [
    HEADER,
    ["东校区", "5", "", "308", "学生公寓", 4, 3, 1, 0, "10000308", "", ""],
    ["东校区", "5", "", "309", "dorm", 6, 0, 2, 2, "10000309", "", ""],
    ["东校区", "12", "2", "101", "教职工", "", "", "", "", "20012101", "王老师", "13800138000"],
    ["西校区", "B", "", "1", "实体经营", "", "", "", "", "B-0001", "校园超市", "0571-88888888"],
]


def write_raw_xlsx(path: Path, sheet_data: str, *, sheet_xml: str | None = None) -> Path:
    """A minimal XLSX around hand-written `<sheetData>` content (the cells exactly as given: without
    references, far-away cells, formulas without values), as a script or an odd program may save."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="房间" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml
        or f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>{sheet_data}</sheetData></worksheet>',
    }
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path
