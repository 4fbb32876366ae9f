"""`counter-app --self-test [--production]`: exit codes and the lines that name what is wrong."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from opstesting import make_world

from counter_app import selftest
from counter_app.main import parse_args


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def run(capsys, *argv, env=None) -> tuple[int, str]:
    code = selftest.main(parse_args(["--self-test", *argv]))
    return code, capsys.readouterr().out


def base(world) -> list[str]:
    return ["--db", world.db_url, "--keystore", world.keystore, "--workstation", "W02"]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_development_setup_passes_as_development(world, capsys, monkeypatch):
    monkeypatch.delenv("COUNTER_READER_URL", raising=False)
    monkeypatch.delenv("COUNTER_PRINTER_URL", raising=False)
    code, out = run(capsys, *base(world))
    assert code == 0, out
    assert "self-test passed" in out and "rules: 开发 / development" in out
    for line in ("✓ 数据库 / database", "✓ 持久写入 / durability", "✓ 密钥 / keystore", "✓ 时钟 / clock",
                 "✓ 中文字体 / CJK font", "✓ 备份 / backup target"):  # fmt: skip
        assert line in out
    assert "journal_mode=wal, synchronous=2, foreign_keys=1, quick_check=ok" in out


def test_production_rules_on_a_development_setup_fail_naming_the_checks(world, capsys, monkeypatch):
    monkeypatch.delenv("COUNTER_READER_URL", raising=False)
    monkeypatch.delenv("COUNTER_PRINTER_URL", raising=False)
    code, out = run(capsys, *base(world), "--production")
    assert code == 1
    failed = out.strip().splitlines()[-1]
    assert failed.startswith("✗ 自检未通过 / self-test FAILED:")
    for name in ("keystore", "card reader", "printer", "backup target"):
        assert name in failed
    assert "database" not in failed and "durability" not in failed
    assert "✗ 密钥 / keystore" in out


def test_simulated_devices_answer_but_are_refused_in_production(world, capsys):
    urls = ["--reader", world.sim.reader_url, "--printer", world.sim.printer_url]
    code, out = run(capsys, *base(world), *urls)
    assert code == 0, out
    assert "模拟器 / simulator SIM" in out
    code, out = run(capsys, *base(world), *urls, "--production")
    assert code == 1 and "card reader" in out.splitlines()[-1]


def test_a_configured_port_that_does_not_answer_fails(world, capsys, monkeypatch):
    port = closed_port()
    monkeypatch.setenv("COUNTER_READER_URL", f"socket://127.0.0.1:{port}")
    code, out = run(capsys, *base(world))
    assert code == 1
    assert "✗ 读卡器 / card reader" in out and "DEVICE_OFFLINE" in out


def test_backup_target_checks(world, capsys, usb, tmp_path):
    admin = world.login("admin")
    admin.set_setting("backup.target_dir", str(usb), approval=world.approval("zhao"))
    code, out = run(capsys, *base(world))
    assert code == 0 and f"✓ 备份 / backup target: {usb}" in out
    (tmp_path / "local").mkdir()
    admin.set_setting("backup.target_dir", str(tmp_path / "local"), approval=world.approval("zhao"))
    code, out = run(capsys, *base(world))
    assert code == 1 and "on the database's own disk" in out
    admin.set_setting("backup.target_dir", str(tmp_path / "unplugged"), approval=world.approval("zhao"))
    code, out = run(capsys, *base(world))
    assert code == 1 and "missing or not mounted" in out


def test_an_unreachable_server_and_an_unknown_workstation_fail(world, capsys):
    code, out = run(capsys, "--db", f"postgresql+psycopg://nobody@127.0.0.1:{closed_port()}/counter")
    assert code == 1 and "DB_UNREACHABLE" in out and out.strip().endswith("database")
    code, out = run(capsys, "--db", world.db_url, "--keystore", world.keystore, "--workstation", "W99")
    assert code == 1 and "W99 未登记" in out


def test_the_self_test_needs_no_display_and_no_qt(world):
    """Run as a program with no DISPLAY and no QT_QPA_PLATFORM; Qt must not even be imported."""
    probe = (
        "import sys; from counter_app.main import main; code = main(sys.argv[1:]); "
        "assert 'PySide6.QtWidgets' not in sys.modules and 'PySide6.QtGui' not in sys.modules; "
        "sys.exit(code)"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(world.tmp)}
    done = subprocess.run([sys.executable, "-c", probe, "--self-test", *base(world)], env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
