"""One settings class for the service, read from ``MIDCORRIDOR_*`` environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from limits import RateLimitItem, parse_many

from midcorridor.errors import InputError
from midcorridor.network.reading import yes_no

DEFAULT_DATA_DIR = Path(".midcorridor")


def default_database_url(data_dir: Path = DEFAULT_DATA_DIR) -> str:
    """The SQLite file in the local data folder (WAL mode is switched on when it opens)."""
    return f"sqlite:///{(data_dir / 'service.sqlite').as_posix()}"


@dataclass(frozen=True)
class Settings:
    """What the service needs to run; every field has an env var ``MIDCORRIDOR_<FIELD>``.

    ``database_url`` is a SQLAlchemy URL: SQLite by default, PostgreSQL as
    ``postgresql+psycopg://user:password@host:5432/db``.
    """

    database_url: str = ""
    # A folder of network data files extending the packaged data set, as the CLI's --data
    # (empty: the packaged data set). The planner, the optimizer and the corridor state read it.
    data: str = ""
    # A Dask scheduler (e.g. tcp://10.0.0.5:8786) where what-ifs and experiment comparisons
    # run their replications; empty: in the worker's own processes.
    dask: str = ""
    migrate_on_start: bool = True
    max_body_bytes: int = 2_000_000
    max_bulk_events: int = 1000
    eta_slip_alert_h: float = 24.0
    silence_factor: float = 1.5
    alert_scan_interval_s: float = 300.0
    delivery_interval_s: float = 2.0
    delivery_max_attempts: int = 6
    delivery_backoff_s: float = 5.0
    delivery_timeout_s: float = 5.0
    # Callbacks go only to public addresses; this also admits loopback (tests, a receiver on
    # the same machine). Private, link-local and metadata addresses are always refused.
    callback_allow_loopback: bool = False
    # Requests allowed per API token and per client address, per server process, like
    # "1200/minute" or "1200/minute; 100/second"; empty: no limit.
    rate_limit_per_token: str = "1200/minute"
    rate_limit_per_address: str = "2400/minute"
    sqlite_synchronous: str = "NORMAL"
    background: bool = True
    # A token's principal is reused for this long (0: look it up on every request).
    token_cache_ttl_s: float = 2.0
    # Concurrent single-event posts share one transaction (group commit).
    group_commit: bool = True
    # PostgreSQL connection pool per process.
    pool_size: int = 12
    # Jobs (long computations) run in this many worker processes: at most K at once.
    job_workers: int = 2
    # Queued plus running jobs one organization may have at a time (beyond: 429).
    job_limit_per_org: int = 4
    # A running job's worker writes a heartbeat this often; a job whose heartbeat is older
    # than the lease (or whose worker process on this host is gone) was orphaned.
    job_heartbeat_s: float = 5.0
    job_lease_s: float = 60.0
    # An orphaned job is run again until it has been started this many times, then failed.
    job_max_attempts: int = 2
    # Webhook deliveries run on this many threads, at most one at a time per subscription.
    delivery_workers: int = 8
    # Longest pause between two looks at an empty queue (SQLite; PostgreSQL is notified).
    queue_poll_s: float = 0.5
    # Extra modules the worker imports so that they register their job kinds.
    job_modules: str = ""
    # How long a web app sign-in lasts.
    session_hours: float = 12.0
    # Origins (comma-separated) allowed to call the API from other sites; empty: none (CORS off).
    cors_origins: str = ""

    def __post_init__(self) -> None:
        if not self.database_url:
            object.__setattr__(self, "database_url", default_database_url())
        for name in ("job_workers", "job_limit_per_org", "job_max_attempts", "delivery_workers"):
            if getattr(self, name) < 1:
                raise InputError(f"MIDCORRIDOR_{name.upper()} must be at least 1")
        if self.sqlite_synchronous.upper() not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
            raise InputError(
                "MIDCORRIDOR_SQLITE_SYNCHRONOUS must be one of OFF, NORMAL, FULL, EXTRA"
            )

        for name in ("rate_limit_per_token", "rate_limit_per_address"):
            parse_limits(name, getattr(self, name))

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from the environment (``os.environ`` by default), then ``overrides``."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"MIDCORRIDOR_{f.name.upper()}")
            if raw is None:
                continue
            values[f.name] = _parse(f.name, str(f.type), raw)
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    def replace(self, **changes: object) -> Settings:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is SQLite."""
        return self.database_url.startswith("sqlite")


def parse_limits(name: str, text: str) -> list[RateLimitItem]:
    """``"600/minute; 50/second"`` as rate limits; an empty text means no limit."""
    if not text.strip():
        return []
    try:
        items = list(parse_many(text))
    except ValueError:
        items = []
    if not items or any(item.amount < 1 for item in items):
        raise InputError(f"MIDCORRIDOR_{name.upper()}={text!r} is not a rate such as "
                         "'600/minute' or '600/minute; 50/second' (empty: no limit)")
    return items


def _parse(name: str, type_name: str, raw: str) -> object:
    try:
        if type_name == "bool":
            answer = yes_no(raw) if raw.strip() else None
            if answer is None:
                raise ValueError(raw)
            return answer
        if type_name == "int":
            return int(raw)
        if type_name == "float":
            return float(raw)
    except ValueError:
        raise InputError(
            f"MIDCORRIDOR_{name.upper()}={raw!r} is not a valid {type_name}"
        ) from None
    return raw
