"""The background worker: sends due webhook deliveries and scans for silent shipments."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime

import httpx

from midcorridor.service import alerts, webhooks
from midcorridor.service.db.engine import Database

log = logging.getLogger(__name__)


class Worker:
    """A daemon thread running ``tick`` every ``delivery_interval_s`` until stopped."""

    def __init__(self, db: Database):
        self.db = db
        self.settings = db.settings
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="midcorridor-worker", daemon=True)
        self._last_scan = 0.0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def tick(self, client: httpx.Client) -> None:
        """Deliver what is due; scan for silence when its interval has passed."""
        s = self.settings
        now = datetime.now(UTC)
        webhooks.deliver_due(self.db, client, now=now, max_attempts=s.delivery_max_attempts,
                             backoff_s=s.delivery_backoff_s)
        if time.monotonic() - self._last_scan >= s.alert_scan_interval_s:
            self._last_scan = time.monotonic()
            with self.db.write() as session:
                alerts.scan_silent(session, now=now, factor=s.silence_factor)

    def _run(self) -> None:
        with httpx.Client(timeout=self.settings.delivery_timeout_s) as client:
            while not self._stop.wait(self.settings.delivery_interval_s):
                try:
                    self.tick(client)
                except Exception:  # keep the worker alive; the next tick retries
                    log.exception("background worker tick failed")
