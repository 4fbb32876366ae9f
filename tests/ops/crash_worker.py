"""Run one top-up in a process that kills itself at a named crash point (tests/ops/test_crash_sweep).

    python crash_worker.py WORLD_DIR CARD_SERIAL AMOUNT_FEN [TEAR_AT_BYTE]

COUNTER_CRASH_AT names the point. Exit 0 means the point was never reached (the sweep fails).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opstesting import existing_world  # noqa: E402


def main() -> int:
    world_dir, serial, amount = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    world = existing_world(world_dir)
    world.sim.present_card(serial)
    if len(sys.argv) > 4:
        world.sim.pull_card_at_byte(int(sys.argv[4]))
    session = world.login("zhang")
    session.top_up(account_no="D-5-308", amount_fen=amount, tendered_fen=amount)
    return 0


if __name__ == "__main__":
    sys.exit(main())
