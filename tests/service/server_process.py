"""Run the service as a real uvicorn subprocess on 127.0.0.1 (crash test and benchmark)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import httpx
from pg_server import free_port


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

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 30.0) -> None:
        env = dict(os.environ, MIDCORRIDOR_DATABASE_URL=self.database_url,
                   MIDCORRIDOR_BACKGROUND="false",
                   MIDCORRIDOR_CALLBACK_ALLOW_LOOPBACK="true",  # the tests' receivers
                   # Load tests and benchmarks post thousands of events a second with a token.
                   MIDCORRIDOR_RATE_LIMIT_PER_TOKEN="", MIDCORRIDOR_RATE_LIMIT_PER_ADDRESS="")
        env.update(self.env)
        argv = [sys.executable, "-m", "uvicorn", "--factory",
                "midcorridor.service.main:create_app", "--host", "127.0.0.1",
                "--port", str(self.port), "--log-level", "warning", "--no-access-log"]
        if self.workers > 1:
            argv += ["--workers", str(self.workers)]
        # Its own process group, so a kill reaches every worker, as a machine crash would.
        self.process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"server exited with {self.process.returncode}: {err}")
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"server did not answer on {self.url} within {timeout_s} s")

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
