"""A line every so often during a long run: how long it has taken and which test is running.

CI shows only the tail of what a run printed; if a run ever stalls again (one did: killed at
its time limit at 97 %), these lines say whether the run was slow all along or one test stuck.
Set ``REVIEWER_TEST_CLOCK`` to the seconds between lines (``.ci/run`` sets it); unset, silent.

With ``REVIEWER_TEST_CURRENT`` set to a file, the test starting is written there: when the run
dies of a signal (a crash in Qt's event loop names no test), ``scripts/test`` says which one.
"""

from __future__ import annotations

import os
import time

import pytest

_started = time.monotonic()
_last = _started
_done = 0


def pytest_runtest_logstart(nodeid: str, location: tuple[str, int | None, str]) -> None:
    current = os.environ.get("REVIEWER_TEST_CURRENT")
    if current:
        with open(current, "w", encoding="utf-8") as file:
            file.write(nodeid)
    every = float(os.environ.get("REVIEWER_TEST_CLOCK", "0") or 0)
    global _last
    now = time.monotonic()
    if every <= 0 or now - _last < every:
        return
    _last = now
    reporter = _config.pluginmanager.get_plugin("terminalreporter") if _config else None
    line = f"[clock] {(now - _started) / 60:.1f} min, {_done} tests done, now {nodeid}"
    if reporter is not None:
        reporter.write("\n")  # the dots of -q run on after it, on the next line
        reporter.write_line(line)


def pytest_runtest_logfinish(nodeid: str, location: tuple[str, int | None, str]) -> None:
    global _done
    _done += 1


_config: pytest.Config | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _config
    _config = config
