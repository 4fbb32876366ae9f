"""The example meter profile (examples/sample_profile) made known to this process without pip:
its source on sys.path and a test-only distribution stub (a `.dist-info` with its entry point), so
`importlib.metadata` finds it under `counter.meter_profiles` exactly as after an install. Installing
it into the shared environment would change every other test run.

    def test_x(tmp_path, monkeypatch):
        register_sample_profile(tmp_path, monkeypatch)
"""

from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample_profile"
SAMPLE_MODEL = "sample-bcd-v1"
SAMPLE_SPEC = "counter_sample_profile.profile:SampleProfile"


def register_sample_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "profile-site"
    dist = site / "counter_sample_profile-1.0.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: counter-sample-profile\nVersion: 1.0.0\n")
    (dist / "entry_points.txt").write_text(f"[counter.meter_profiles]\n{SAMPLE_MODEL} = {SAMPLE_SPEC}\n")
    monkeypatch.syspath_prepend(str(EXAMPLE))
    monkeypatch.syspath_prepend(str(site))
