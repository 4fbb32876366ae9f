"""Account search by prefix (counter_app/ops/lookup.py, docs/benchmarks.md §2): room code, account
number, meter number and holder name, each a range on an index; holder names of 2+ characters also
by substring when the prefixes find fewer than the limit."""

from __future__ import annotations

import pytest
from opstesting import make_world

from bench.population import add_accounts
from counter_app.ops.lookup import SEARCH_LIMIT
from db.queries.search import _successor


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def found(world, text: str) -> list[str]:
    return [h.account_no for h in world.login("zhang").search_accounts(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12-1", ["S-12-101"]),  # room code, by prefix
        ("12101", ["S-12-101"]),  # a complete room code typed without the dash, normalised
        ("S-12", ["S-12-101"]),  # account number prefix
        ("s-12", ["S-12-101"]),  # typed in lower case
        ("M53", ["D-5-308", "D-5-309"]),  # meter number prefix
        ("m1001", ["B-1-001"]),
        ("张", ["S-12-101"]),  # holder, from the first character
        ("校园", ["B-1-001"]),
        ("超市", ["B-1-001"]),  # holder substring: the fallback when prefixes find too few
        ("308", []),  # not a prefix of anything: substrings of codes are no longer searched
        ("5_308", []),  # LIKE wildcards are plain characters
        ("5-3%", []),
    ],
)  # fmt: skip
def test_search_matches_prefixes_of_every_searched_column(world, text, expected):
    assert found(world, text) == expected


def test_exact_hit_comes_first_and_the_limit_holds(world):
    codes = add_accounts(world.counter.engine, 640, keys=world.counter.keys)  # building 20: 20-101 … 20-1040
    assert "20-101" in codes and "20-1010" in codes
    hits = found(world, "20-101")
    assert hits[0] == "D-20-101" or hits[0] == "S-20-101"
    assert {h.split("-", 1)[1] for h in hits} == {"20-101", *(f"20-10{i}" for i in range(10, 20))}
    assert len(found(world, "2")) == SEARCH_LIMIT  # 640 start with "2": the first 50
    exact = world.login("zhang").search_accounts("M201010")
    assert exact[0].meter_no == "M201010"


def test_successor_bounds_the_prefix_range():
    assert _successor("5-30") == "5-31"
    assert _successor("张") == chr(ord("张") + 1)
    assert _successor("\ud7ff") == "\ue000"  # skips the surrogates, which UTF-8 cannot hold
    assert _successor("\U0010ffff") is None


@pytest.mark.pg
def test_search_on_postgresql_uses_like_prefixes(tmp_path, pg_url):
    world = make_world(tmp_path, db_url=pg_url)
    try:
        assert found(world, "12-1") == ["S-12-101"]
        assert found(world, "s-12") == ["S-12-101"]
        assert found(world, "M53") == ["D-5-308", "D-5-309"]
        assert found(world, "张") == ["S-12-101"]
        assert found(world, "超市") == ["B-1-001"]
        assert found(world, "5_308") == []
    finally:
        world.close()
