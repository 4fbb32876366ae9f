"""Free energy on the settlement sheet, by quota batch with the batch's 监督人 (DOMAIN "Settlement"):
read from `quota_deliveries`, because one card visit can deliver from several batches."""

from __future__ import annotations

import subprocess
from datetime import datetime

import pytest
from opstesting import make_world
from quotatesting import needs_sales, rows, set_setting
from sqlalchemy import select

from base.clock import BUSINESS_TZ
from db.models.quota import QuotaDelivery
from db.models.settlement import SettlementSheet
from db.session import unit_of_work


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    set_setting(w, "term_ends", ["2027-01-20", "2027-07-05"])
    zhang = w.login("zhang")
    # November approved by li (the 监督人), December by wang (部门助理): each batch names its checker.
    for period, checker in (("2026-11", "li"), ("2026-12", "wang")):
        draft = zhang.prepare_quota_batch(period=period, buildings=["5"])
        zhang.approve_quota_batch(batch_id=draft.batch_id, approval=w.approval(checker))
    w.clock.set(datetime(2026, 12, 5, 10, 0, tzinfo=BUSINESS_TZ))
    yield w
    w.close()


@needs_sales
def test_the_sheet_shows_free_energy_by_batch_with_its_checker_down_to_the_pdf(world, tmp_path):
    s = world.login("zhang")
    s.open_shift(float_fen=0, supervisor="li")
    world.issue_card("D-5-308", s)
    top_up = s.top_up(account_no="D-5-308", amount_fen=5_000, tendered_fen=5_000)  # money + both batches
    world.issue_card("D-5-309", s)
    pickup = s.collect_free(account_no="D-5-309")  # free energy only
    assert top_up.free_ckwh > 0 and pickup.free_ckwh > 0

    deliveries = rows(world, QuotaDelivery)
    by_batch: dict[int, tuple[int, int]] = {}
    for d in deliveries:
        n, ckwh = by_batch.get(d.batch_id, (0, 0))
        by_batch[d.batch_id] = (n + 1, ckwh + d.ckwh)
    assert len(by_batch) == 2 and all(n == 2 for n, _ in by_batch.values())  # each visit spans two batches

    info = s.close_shift(counted={5000: 1})
    with unit_of_work(world.counter.engine, read_only=True) as db:
        content = db.scalar(select(SettlementSheet.content).where(SettlementSheet.sheet_no == info.sheet_no))
    (nov_id, nov), (dec_id, dec) = sorted(by_batch.items())
    assert content["free"] == [[f"2026-11 第{nov_id}批", nov[0], nov[1], "li"],
                               [f"2026-12 第{dec_id}批", dec[0], dec[1], "wang"]]  # fmt: skip
    assert sum(r[2] for r in content["free"]) == top_up.free_ckwh + pickup.free_ckwh

    path = tmp_path / "sheet.pdf"
    path.write_bytes(s.sheet_pdf(sheet_no=info.sheet_no))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "批次监督人" in text
    assert any(f"2026-11 第{nov_id}批 2 {nov[1] / 100:.2f} li" in line for line in lines), text
    assert any(f"2026-12 第{dec_id}批 2 {dec[1] / 100:.2f} wang" in line for line in lines), text
    assert "未注明批次" not in text
