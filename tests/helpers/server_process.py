"""Run the service as a real uvicorn subprocess on 127.0.0.1 (crash test and benchmark)."""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time

import httpx

from helpers.pg_server import free_port


def kill_group(process: subprocess.Popen[bytes] | None) -> None:
    """SIGKILL to a process started in its own session and every process of its group."""
    if process is not None and process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


class ServerProcess:
    """``uvicorn --factory midcorridor.service.main:create_app`` on a loopback port."""

    def __init__(self, database_url: str, *, port: int | None = None, workers: int = 1,
                 env: dict[str, str] | None = None):
        self.database_url = database_url
        self.port = port or free_port()
        self.workers = workers
        self.env = env or {}
        self.process: subprocess.Popen[bytes] | None = None
        self._log: collections.deque[str] = collections.deque(maxlen=200)
        self._ready = 0
        self._ready_changed = threading.Condition()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 300.0) -> None:
        """Start the server and wait until every worker process has finished its start-up
        (the app loads the data set's lookups there) and ``/health`` answers.

        The wait is for those events, not for a fixed time: ``timeout_s`` only bounds a
        server that hangs; one that exits fails at once with its error output.
        """
        env = dict(os.environ, MIDCORRIDOR_DATABASE_URL=self.database_url,
                   MIDCORRIDOR_BACKGROUND="false",
                   MIDCORRIDOR_CALLBACK_ALLOW_LOOPBACK="true",  # the tests' receivers
                   # Load tests and benchmarks post thousands of events a second with a token.
                   MIDCORRIDOR_RATE_LIMIT_PER_TOKEN="", MIDCORRIDOR_RATE_LIMIT_PER_ADDRESS="")
        env.update(self.env)
        # Info level: uvicorn says "Application startup complete." once per worker process.
        argv = [sys.executable, "-m", "uvicorn", "--factory",
                "midcorridor.service.main:create_app", "--host", "127.0.0.1",
                "--port", str(self.port), "--log-level", "info", "--no-access-log"]
        if self.workers > 1:
            argv += ["--workers", str(self.workers)]
        self._ready = 0
        # Its own process group, so a kill reaches every worker, as a machine crash would.
        self.process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, start_new_session=True)
        # Read the log all along: an unread pipe that fills up would stop the server.
        threading.Thread(target=self._read_log, args=(self.process,), daemon=True).start()
        deadline = time.monotonic() + timeout_s
        with self._ready_changed:
            while self._ready < self.workers and self.process.poll() is None:
                if not self._ready_changed.wait(timeout=max(0.0, deadline - time.monotonic())):
                    self._fail(f"its workers did not finish starting within {timeout_s:g} s")
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._fail(f"it exited with {self.process.returncode}")
            try:
                if httpx.get(self.url + "/health", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self._fail(f"/health did not answer within {timeout_s:g} s")

    def _read_log(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stderr is not None
        for raw in process.stderr:
            line = raw.decode(errors="replace").rstrip()
            self._log.append(line)
            if "Application startup complete." in line:
                with self._ready_changed:
                    self._ready += 1
                    self._ready_changed.notify_all()
        with self._ready_changed:  # the process ended: wake the waiter
            self._ready_changed.notify_all()

    def _fail(self, why: str) -> None:
        self.kill()
        log = "\n".join(self._log)
        raise RuntimeError(f"the server on {self.url} did not start: {why}\n{log}")

    def kill(self) -> None:
        """SIGKILL to the server and all its workers, as a crash would."""
        kill_group(self.process)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
