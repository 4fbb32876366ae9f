"""base/latest_writer.py: a durable write on its own thread, newest state only, waited for."""

from __future__ import annotations

import threading

import pytest

from base.latest_writer import LatestWriter


def test_wait_returns_once_everything_asked_before_it_is_written():
    state, written = {"n": 0}, []
    release = threading.Event()

    def write() -> None:
        release.wait(5)
        written.append(state["n"])

    writer = LatestWriter(write, name="test")
    try:
        for n in range(1, 6):  # asked five times while the first write is held up
            state["n"] = n
            writer.request()
        release.set()
        writer.wait()
        assert written[-1] == 5  # the newest state is on "disk" when wait returns
        assert len(written) <= 2  # the requests coalesced: never one write per request
    finally:
        writer.close()


def test_what_the_write_raised_reaches_whoever_waits_and_the_writer_goes_on():
    calls = []

    def write() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk full")

    writer = LatestWriter(write, name="test")
    try:
        writer.request()
        with pytest.raises(OSError, match="disk full"):
            writer.wait()
        writer.request()
        writer.wait()  # the next write succeeds and nothing is raised again
        assert len(calls) == 2
    finally:
        writer.close()


def test_close_writes_what_was_asked_and_stops_the_thread():
    written = []
    writer = LatestWriter(lambda: written.append(1), name="test")
    writer.request()
    writer.close()
    assert written == [1] and not writer._thread.is_alive()
