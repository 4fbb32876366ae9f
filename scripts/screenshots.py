"""Write a PNG of the login window, every page, the lock screen and the approval dialog.

Run through scripts/screenshots.sh (Xvfb, xcb). Uses the temporary fake facade from tests/ui until
the real one exists; then pass --real to open `counter_app.api.open_counter(..., simulate=True)`
via `counter_app.demo.prepare_demo()`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "ui")]

from PySide6.QtWidgets import QApplication  # noqa: E402

from ui import i18n  # noqa: E402
from ui.approval_dialog import ApprovalDialog, ApprovalRequest  # noqa: E402
from ui.context import Workstation  # noqa: E402
from ui.login import LoginWindow  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.ops import runner  # noqa: E402


def open_counter(real: bool):
    if real:
        from counter_app.api import open_counter as open_real
        from counter_app.demo import prepare_demo

        db_url, keystore, sim_dir = prepare_demo()
        return open_real(db_url, workstation="W01", simulate=True, sim_dir=sim_dir, keystore=keystore), None
    from fake_counter import Approval, FakeCounter

    return FakeCounter(), Approval


def settle(app: QApplication, ms: int = 300) -> None:
    """Let queued facade answers arrive and layouts settle before grabbing."""
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def shoot(widget, path: Path, app: QApplication) -> None:
    settle(app)
    widget.grab().save(str(path))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    parser.add_argument("--real", action="store_true")
    parser.add_argument("--lang", default="zh_CN")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    suffix = "" if i18n.install(app, args.lang) == "zh_CN" else "_en"
    counter, approval = open_counter(args.real)
    login = LoginWindow(counter)
    login.resize(520, 360)
    login.show()
    shoot(login, out / f"00_login{suffix}.png", app)
    session = counter.login("wang", "pw")
    session.open_shift(float_fen=50000)
    counter.sim.present_card("C00001")
    window = MainWindow(Workstation(counter, session, approval))
    window.resize(1280, 760)
    window.show()
    for i, (key, page) in enumerate(window.pages.items(), start=1):
        window.show_page(key)
        if key == "sale":
            page.look_up()
            settle(app, 400)
            page.amount.set_text("100")
            page.confirm_amount()
        shoot(window, out / f"{i:02d}_{key}{suffix}.png", app)
    dialog = ApprovalDialog(
        window, ApprovalRequest("更正", "wang", "5-308", 5000, 8499, "房间号输错"), approval
    )
    dialog.show()
    shoot(dialog, out / f"20_approval{suffix}.png", app)
    dialog.close()
    window.lock()
    shoot(window, out / f"21_lock{suffix}.png", app)
    runner().shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
