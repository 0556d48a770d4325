"""The engine and sessions: SQLite in WAL mode with immediate write locks, or PostgreSQL."""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from midcorridor.errors import InputError
from midcorridor.service.settings import Settings

log = logging.getLogger(__name__)
_WRITE = "midcorridor_write"
_AFTER_COMMIT = "midcorridor_after_commit"
_DATABASE = "midcorridor_database"


def database_of(session: Session) -> Database:
    """The :class:`Database` whose ``write()`` or ``read()`` made ``session``."""
    db = session.info.get(_DATABASE)
    if not isinstance(db, Database):
        raise RuntimeError("this session does not come from Database.write()")
    return db


def after_commit(session: Session, action: Callable[[], None]) -> None:
    """Run ``action`` after ``session`` (from :meth:`Database.write`) commits.

    For work outside the database transaction, such as handing a job to the queue, which on
    SQLite needs the write lock the transaction holds.
    """
    actions = session.info.get(_AFTER_COMMIT)
    if actions is None:
        raise RuntimeError("after_commit needs a session from Database.write()")
    actions.append(action)


class Database:
    """One engine per service; ``write()`` and ``read()`` give transactional sessions.

    On SQLite a write transaction starts with ``BEGIN IMMEDIATE`` so two writers queue on the
    busy timeout instead of failing when a read lock cannot be upgraded.
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self.engine = make_engine(settings)
        writer = self.engine.execution_options(**{_WRITE: True})
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(writer, expire_on_commit=False)
        # SQLite has one writer at a time: queue writers on a lock rather than on SQLite's
        # busy handler, which sleeps in steps of up to 100 ms. The lock is a thread lock and,
        # for a database file, an flock on ``<file>-writelock`` shared by every process
        # (several uvicorn workers, the CLI), which wakes the next writer at once.
        self._write_lock = writer_lock(settings)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose transaction commits on success and rolls back on error.

        Actions registered with :func:`after_commit` run once the transaction has committed
        and the write lock is released (never after a rollback). One that fails is logged:
        what was committed stands, and the queue's sweep hands over what was not.
        """
        actions: list[Callable[[], None]] = []
        with self._write_lock, self._write() as session:
            session.info[_AFTER_COMMIT] = actions
            session.info[_DATABASE] = self
            with session.begin():
                yield session
        for action in actions:
            try:
                action()
            except Exception:
                log.exception("an action after commit failed; the sweep will retry it")

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (rolled back at the end)."""
        with self._read() as session:
            session.info[_DATABASE] = self
            yield session

    def dispose(self) -> None:
        """Close every connection of the engine."""
        self.engine.dispose()


def writer_lock(settings: Settings) -> AbstractContextManager[object]:
    """The lock every writer of this database takes first (SQLite; none for PostgreSQL).

    Each call gives a new lock object with its own file handle, so two of them exclude each
    other as two processes would.
    """
    return WriterLock(_lock_path(settings)) if settings.is_sqlite else nullcontext()


def _lock_path(settings: Settings) -> str | None:
    database = make_url(settings.database_url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return f"{database}-writelock"


class WriterLock:
    """A thread lock plus, when ``path`` is given, an exclusive flock across processes.

    A forked child starts with a fresh lock and file handle: an flock belongs to the open
    file, which the child would otherwise share with its parent.
    """

    def __init__(self, path: str | None):
        self._thread_lock = threading.Lock()
        self._path = path
        self._fd: int | None = None
        reset = weakref.WeakMethod(self._after_fork)
        os.register_at_fork(after_in_child=lambda: _call(reset()))

    def _after_fork(self) -> None:
        self._thread_lock = threading.Lock()
        if self._fd is not None:
            os.close(self._fd)  # the parent's handle stays open, and its lock with it
        self._fd = None

    def __enter__(self) -> WriterLock:
        self._thread_lock.acquire()
        try:
            if self._path is not None:
                if self._fd is None:
                    Path(self._path).parent.mkdir(parents=True, exist_ok=True)
                    self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
                fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._thread_lock.release()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()


def _call(method: Callable[[], None] | None) -> None:
    if method is not None:
        method()


def safe_url(url: str) -> str:
    """``url`` with its password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: show nothing of it that could be a secret
        return "<invalid database URL>"


def make_engine(settings: Settings) -> Engine:
    """Create the engine for ``settings.database_url``, preparing SQLite's folder and pragmas."""
    try:
        url = make_url(settings.database_url)
    except Exception as exc:
        raise InputError(
            f"MIDCORRIDOR_DATABASE_URL is not a database URL: {exc}"
        ) from None
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url.render_as_string(hide_password=False), url.database, settings)
    if url.get_backend_name() != "postgresql":
        raise InputError(
            "MIDCORRIDOR_DATABASE_URL must be a sqlite:/// or postgresql+psycopg:// URL")
    # No pre-ping: it costs a round trip on every checkout; stale connections are recycled.
    return create_engine(url, pool_size=settings.pool_size, max_overflow=20, pool_recycle=1800)


def _sqlite_engine(url: str, database: str | None, settings: Settings) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=8,
        max_overflow=8,
    )
    synchronous = settings.sqlite_synchronous.upper()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode never loses a committed transaction when the process is killed;
        # only an OS crash or power cut can (use FULL for that).
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
