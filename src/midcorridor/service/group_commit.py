"""Group commit: concurrent single-event posts of one process share one transaction.

Each request queues its event and then waits for the *leader* lock. Whoever holds it takes
everything queued so far (up to ``max_batch``), ingests it in one transaction and hands every
waiter its own outcome; a waiter whose event was handled meanwhile just returns. With one
request in flight this is a plain transaction; under load, one commit (one fsync on
PostgreSQL, one write-lock turn on SQLite) serves many requests. Every answer is still given
only after the commit that stored its event.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from midcorridor.service.access import Principal
from midcorridor.service.schemas import EventCreate

Item = tuple[Principal, EventCreate]


@dataclass
class _Pending:
    item: Item
    done: bool = False
    result: object = None
    error: BaseException | None = None


class GroupCommit:
    """Batches calls of ``run(items) -> results`` (one result per item, in order).

    If a batch of several items fails, each item is run again on its own, so one bad item
    fails only its own request.
    """

    def __init__(self, run: Callable[[Sequence[Item]], list[object]], max_batch: int = 256):
        self._run = run
        self.max_batch = max_batch
        self._queue: list[_Pending] = []
        self._queue_lock = threading.Lock()
        self._leader = threading.Lock()

    def submit(self, principal: Principal, event: EventCreate) -> object:
        """Ingest one event with whatever else is queued; its result once committed."""
        pending = _Pending((principal, event))
        with self._queue_lock:
            self._queue.append(pending)
        while not pending.done:
            with self._leader:
                if pending.done:
                    break
                with self._queue_lock:
                    batch = self._queue[: self.max_batch]
                    del self._queue[: self.max_batch]
                self._process(batch)
        if pending.error is not None:
            raise pending.error
        return pending.result

    def _process(self, batch: list[_Pending]) -> None:
        try:
            results = self._run([p.item for p in batch])
        except Exception as exc:
            if len(batch) == 1:
                _settle(batch[0], None, exc)
                return
            for pending in batch:  # find the culprit: each on its own
                try:
                    [result] = self._run([pending.item])
                except Exception as single:
                    _settle(pending, None, single)
                else:
                    _settle(pending, result, None)
            return
        for pending, result in zip(batch, results, strict=True):
            _settle(pending, result, None)


def _settle(pending: _Pending, result: object, error: BaseException | None) -> None:
    pending.result, pending.error, pending.done = result, error, True
