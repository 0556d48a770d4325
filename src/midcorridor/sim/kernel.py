"""A small discrete-event kernel: a ``(time, priority, seq)`` heap driving generator processes.

A process is a generator. What it yields tells the kernel what to do:

- a number ``d``: resume the process ``d`` hours later;
- a :class:`Resource`: resume when one of its servers is free (release it with ``release()``);
- :data:`PASSIVATE`: suspend until someone calls :meth:`Kernel.resume` (or a scheduled
  :meth:`Kernel.resume_at` fires; cancel that with :meth:`Kernel.cancel`).

Ties are broken by priority (0 before 1) and then by a monotonic counter, so runs replay exactly.
It has the shape of SimPy without its per-event objects, which is where the speed comes from.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Generator
from itertools import count
from typing import Any

Process = Generator[Any, Any, None]

PASSIVATE = object()
"""Yield this to suspend a process until it is resumed explicitly."""

_URGENT = 0
_NORMAL = 1


class Kernel:
    """The simulation clock and the event heap."""

    def __init__(self) -> None:
        self.now = 0.0
        self.events = 0
        self._heap: list[tuple[float, int, int, Process, Any]] = []
        self._seq = count()
        self._cancelled: set[int] = set()

    def process(self, gen: Process, delay: float = 0.0) -> None:
        """Start a generator process ``delay`` hours from now."""
        heapq.heappush(self._heap, (self.now + delay, _NORMAL, next(self._seq), gen, None))

    def resume(self, gen: Process, value: Any = None) -> None:
        """Resume a suspended process now (after the current event)."""
        heapq.heappush(self._heap, (self.now, _URGENT, next(self._seq), gen, value))

    def resume_at(self, time: float, gen: Process, value: Any = None) -> int:
        """Resume a suspended process at ``time``; returns a ticket for :meth:`cancel`."""
        seq = next(self._seq)
        heapq.heappush(self._heap, (time, _NORMAL, seq, gen, value))
        return seq

    def cancel(self, ticket: int) -> None:
        """Forget a wake-up scheduled with :meth:`resume_at`."""
        self._cancelled.add(ticket)

    def run(self, until: float) -> None:
        """Process events up to and including time ``until``; the clock ends at ``until``."""
        # NOTE: the loop body is written out with local aliases for speed (the hot path).
        heap = self._heap
        pop = heapq.heappop
        push = heapq.heappush
        seq = self._seq
        cancelled = self._cancelled
        events = 0
        while heap and heap[0][0] <= until:
            time, _prio, ticket, gen, value = pop(heap)
            if cancelled and ticket in cancelled:
                cancelled.discard(ticket)
                continue
            self.now = time
            events += 1
            while True:
                try:
                    command = gen.send(value)
                except StopIteration:
                    break
                kind = type(command)
                if kind is float or kind is int:
                    push(heap, (time + command, _NORMAL, next(seq), gen, None))
                    break
                if command is PASSIVATE:
                    break
                if command._claim(gen):  # a free server: carry on at once
                    value = None
                    continue
                break
        self.events += events
        self.now = max(self.now, until)


class Resource:
    """``capacity`` identical servers with a FIFO queue; keeps time-weighted statistics."""

    def __init__(self, kernel: Kernel, capacity: int, name: str = "") -> None:
        if capacity < 1:
            raise ValueError(f"resource {name!r} needs at least one server, got {capacity}")
        self.kernel = kernel
        self.capacity = capacity
        self.name = name
        self.busy = 0
        self.queue: deque[Process] = deque()
        self._last = 0.0
        self.busy_area = 0.0  # integral of busy servers over time
        self.queue_area = 0.0  # integral of queue length over time
        self.arrivals = 0

    def _account(self) -> None:
        now = self.kernel.now
        span = now - self._last
        if span:
            self.busy_area += self.busy * span
            self.queue_area += len(self.queue) * span
            self._last = now

    def _claim(self, gen: Process) -> bool:
        self._account()
        self.arrivals += 1
        if self.busy < self.capacity:
            self.busy += 1
            return True
        self.queue.append(gen)
        return False

    def release(self) -> None:
        """Free one server; the longest-waiting process gets it."""
        self._account()
        if self.queue:
            self.kernel.resume(self.queue.popleft())
        else:
            self.busy -= 1

    def close(self) -> None:
        """Bring the time integrals up to the current clock."""
        self._account()
