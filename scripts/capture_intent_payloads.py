"""Store what today's code writes into card-write intents: tests/fixtures/intent_payloads/<version>/.

    PYTHONPATH=$PWD .venv/bin/python scripts/capture_intent_payloads.py v1            # every scenario
    PYTHONPATH=$PWD .venv/bin/python scripts/capture_intent_payloads.py v2 top_up     # one of them

Each scenario of tests/ops/intent_payload_scenarios.py runs through the facade in a fresh world with
its commit lost; the file <scenario>.json holds the intent row's columns, its payload and every row
recovery adds when it rolls the intent forward. tests/ops/test_intent_payloads.py puts each stored
payload back into an open intent and checks that recovery adds exactly those rows. Never edit or
delete a stored version: it stands for open intents that may exist in the field when a counter is
upgraded (an intent left open by a crash is settled by the next version's recovery).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "ops")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from intent_payload_scenarios import FIXTURES, SCENARIOS, capture  # noqa: E402


def main(version: str, names: list[str]) -> None:
    folder = FIXTURES / version
    folder.mkdir(parents=True, exist_ok=True)
    for name in names or list(SCENARIOS):
        with tempfile.TemporaryDirectory() as tmp:
            data = capture(name, Path(tmp))
        path = folder / f"{name}.json"
        path.write_text(
            json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
