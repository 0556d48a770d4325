"""Run ``midcorridor worker`` as a real subprocess (its own process group) for tests."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from helpers.server_process import kill_group

if TYPE_CHECKING:
    from collections.abc import Callable

TESTS = Path(__file__).parents[1]  # where ``helpers`` is importable from
T = TypeVar("T")


class WorkerProcess:
    """``python -m midcorridor.cli worker`` on ``database_url``, with the test job kinds."""

    def __init__(self, database_url: str, env: dict[str, str] | None = None,
                 queue: str = "all"):
        self.database_url = database_url
        self.env = env or {}
        self.queue = queue
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> WorkerProcess:
        env = dict(os.environ, MIDCORRIDOR_DATABASE_URL=self.database_url,
                   MIDCORRIDOR_JOB_MODULES="helpers.job_kinds",
                   MIDCORRIDOR_CALLBACK_ALLOW_LOOPBACK="true",  # the tests' receivers
                   PYTHONPATH=os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
                   **self.env)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "midcorridor.cli", "worker", "--queue", self.queue],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        return self

    def kill(self) -> None:
        """SIGKILL to the worker and every process it started, as a crash would."""
        kill_group(self.process)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=20)
        self.kill()
        with contextlib.suppress(ProcessLookupError):  # any child left behind
            os.killpg(self.process.pid, signal.SIGKILL)

    def __enter__(self) -> WorkerProcess:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def wait_for(check: Callable[[], T | None], what: str, timeout_s: float = 90.0) -> T:
    """Poll ``check`` until it returns something truthy; fail naming ``what`` otherwise."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
