"""A throw-away PostgreSQL server for tests and benchmarks, on loopback and a free port.

Uses ``MIDCORRIDOR_TEST_POSTGRES_URL`` when set. Otherwise finds ``initdb``/``pg_ctl`` (on
PATH or in /usr/lib/postgresql/*/bin), creates a data folder in a temporary directory, and as
root runs the server as the ``postgres`` user (PostgreSQL refuses to run as root). Missing
binaries raise :class:`PostgresUnavailable` with what to install: never a silent skip.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

ENV_URL = "MIDCORRIDOR_TEST_POSTGRES_URL"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries and no ``MIDCORRIDOR_TEST_POSTGRES_URL``."""


def find_binaries() -> tuple[str, str]:
    """Paths of ``initdb`` and ``pg_ctl``, newest installed version first."""
    on_path = shutil.which("initdb"), shutil.which("pg_ctl")
    if all(on_path):
        return on_path  # type: ignore[return-value]
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        initdb, pg_ctl = Path(folder, "initdb"), Path(folder, "pg_ctl")
        if initdb.exists() and pg_ctl.exists():
            return str(initdb), str(pg_ctl)
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in "
        f"/usr/lib/postgresql/*/bin; install Debian's 'postgresql' package (as .ci/run does) "
        f"or set {ENV_URL} to a server where the tests may create databases"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@contextmanager
def postgres_server(*, fsync: bool = False) -> Iterator[str]:
    """Yield the URL of a running server's ``postgres`` database; stop and delete it after.

    ``fsync=False`` speeds tests up; benchmarks pass ``fsync=True`` for honest numbers.
    """
    if os.environ.get(ENV_URL):
        yield os.environ[ENV_URL]
        return
    initdb, pg_ctl = find_binaries()
    root = Path(tempfile.mkdtemp(prefix="midcorridor-pg-"))
    data, sockets, log = root / "data", root / "sockets", root / "server.log"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        shutil.chown(sockets, "postgres", "postgres")
    port = free_port()
    started = False
    try:
        subprocess.run(
            _as_postgres([initdb, "-D", str(data), "-U", "postgres", "--auth=trust",
                          "-E", "UTF8", "--no-locale"]),
            check=True, capture_output=True, timeout=120,
        )
        options = f"-h 127.0.0.1 -p {port} -k {sockets} -c max_connections=200"
        if not fsync:
            options += " -F -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w",
                          "-t", "60", "start"]),
            check=True, capture_output=True, timeout=90,
        )
        started = True
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode(errors="replace")
        if log.exists():
            detail += log.read_text(errors="replace")[-2000:]
        raise PostgresUnavailable(f"could not start PostgreSQL: {detail}") from None
    finally:
        if started:
            subprocess.run(_as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "-w",
                                         "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


def create_database(admin_url: str, name: str, *, template: str | None = None) -> str:
    """Create database ``name`` (from ``template`` if given) and return its URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(admin_url)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        suffix = f' TEMPLATE "{template}"' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{suffix}')
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, name: str) -> None:
    """Drop database ``name`` (closing its connections)."""
    import psycopg
    from sqlalchemy.engine import make_url

    conninfo = make_url(admin_url).set(drivername="postgresql").render_as_string(
        hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
