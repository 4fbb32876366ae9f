"""The report catalogue (counter_app/settlement/report_catalogue.py) is the one list of report
kinds: it names exactly the kinds API.md "Command line" and docs/api.md `report` name, and the
reports page offers; every kind builds (and renders) on an empty database."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from counter_app.keystore import Keys
from counter_app.settlement.report_catalogue import REPORTS, build_report
from counter_app.settlement.reports import ReportQuery
from receipts.reports import render
from settlement.conftest import work
from ui.pages.reports import report_kinds

ROOT = Path(__file__).resolve().parents[2]
# API.md "Command line" (the fixed contract, kept outside this repository as ../shared/API.md):
API_MD_KINDS_TEXT = """- Report kinds: `day`, `week`, `month`, `year`, `collection` (电费月收费报表), `account-detail`,
  `quota`, `low-balance`, `reconciliation` (half-month list per issuing department), `deposits`,
  `approvals`, `card-stock`, `tariff-board` (收费标准公示); R2: `abnormal`, `loss-check`,
  `four-party`, `k3`."""


def api_md_kinds(text: str) -> set[str]:
    """The kinds of the "Report kinds" item, without those marked R2 (not yet in scope)."""
    item = text[text.index("- Report kinds:") :]
    item = item[: item.index("\n- ")] if "\n- " in item else item
    return set(re.findall(r"`([a-z0-9-]+)`", item.split("R2:")[0]))


def docs_api_md_kinds() -> set[str]:
    row = next(line for line in (ROOT / "docs" / "api.md").read_text(encoding="utf-8").splitlines()
               if line.startswith("| `report(kind"))  # fmt: skip
    listed = row[row.index("`counter-admin report KIND` (") :]
    return set(re.findall(r"`([a-z0-9-]+)`", listed[: listed.index(")")]))


def test_the_catalogue_names_what_api_md_names():
    """Every kind of API.md is built; the catalogue may grow beyond it (docs/api.md names the
    additions, checked below)."""
    assert api_md_kinds(API_MD_KINDS_TEXT) <= set(REPORTS)
    shared = ROOT.parent / "shared" / "API.md"
    if shared.exists():  # beside a checkout that has the contract next to it: read the real text
        assert api_md_kinds(shared.read_text(encoding="utf-8")) <= set(REPORTS)


def test_the_catalogue_names_what_docs_api_md_names():
    assert set(REPORTS) == docs_api_md_kinds()


def test_the_reports_page_offers_every_kind_of_the_catalogue():
    offered = [kind for kind, _name in report_kinds()]
    assert len(offered) == len(set(offered)) and set(offered) == set(REPORTS)


@pytest.mark.parametrize("kind", sorted(REPORTS))
def test_every_kind_builds_and_renders_on_an_empty_database(db_engine, kind):
    with work(db_engine, Keys.generate()) as s:
        table = build_report(s, kind, ReportQuery(date(2025, 9, 1), date(2025, 9, 30)))
    assert table.kind == kind
    for fmt in ("pdf", "xlsx", "csv"):
        assert render(table, fmt)
