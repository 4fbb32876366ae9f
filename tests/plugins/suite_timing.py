"""Print how long each suite (first folder under tests/) took, so CI shows where time goes."""

from __future__ import annotations

from collections import defaultdict

_durations: dict[str, float] = defaultdict(float)


def _suite_of(nodeid: str) -> str:
    parts = nodeid.split("::")[0].split("/")
    return parts[1] if len(parts) > 2 else "(top level)"


def pytest_runtest_logreport(report) -> None:
    _durations[_suite_of(report.nodeid)] += report.duration


def pytest_terminal_summary(terminalreporter) -> None:
    if not _durations:
        return
    terminalreporter.section("suite durations")
    for suite, seconds in sorted(_durations.items(), key=lambda kv: -kv[1]):
        terminalreporter.write_line(f"{seconds:8.1f} s  {suite}")
