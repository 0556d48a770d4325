"""Job kinds for the tests, registered in the worker through ``MIDCORRIDOR_JOB_MODULES``."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from midcorridor.errors import InputError
from midcorridor.service.jobs import JobContext, register_job_kind


def count_until_gate(params: dict[str, Any], progress: JobContext) -> dict[str, Any]:
    """Sum 0..n-1, reporting progress, then wait for the file ``gate`` to exist.

    Each start appends this process's id to the file ``starts``, so a test sees reruns.
    """
    n = params.get("n")
    if not isinstance(n, int) or n < 1:
        raise InputError(f"params.n: must be a whole number of at least 1, got {n!r}")
    with open(params["starts"], "a") as starts:
        starts.write(f"{os.getpid()}\n")
    total = 0
    for i in range(n):
        total += i
        progress.report((i + 1) / (n + 1), f"counted {i + 1} of {n}")
    gate = Path(params["gate"])
    while not gate.exists():
        time.sleep(0.05)
    return {"total": total, "pid": os.getpid()}


register_job_kind("test_count", count_until_gate)
