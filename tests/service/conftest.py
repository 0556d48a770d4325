"""Service fixtures: a real database per test, on SQLite and on PostgreSQL.

PostgreSQL runs as a throw-away server for the whole session (see ``pg_server``); each test
gets a fresh database copied from a migrated template, SQLite a copy of a migrated file.
A test marked ``demo_data(days=...)`` gets a copy of a template holding the demo data of
that many days instead, seeded once per backend and session (storing a demo window's events
takes longer than most tests).
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers.pg_server import create_database, drop_database, postgres_server
from helpers.service_factories import DemoData, World, make_world, shipment_body
from midcorridor.service.db.engine import Database
from midcorridor.service.demo import seed
from midcorridor.service.main import create_app
from midcorridor.service.migrations import upgrade
from midcorridor.service.settings import Settings

BACKENDS = ("sqlite", "postgresql")
_counter = itertools.count()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "demo_data(days): the test's database starts with the demo data of that "
                   "many days, dated to end at the session's start")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The admin URL of a PostgreSQL server started for this test session."""
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_template(postgres_url: str) -> str:
    """A migrated database that each test's database is copied from."""
    url = create_database(postgres_url, "midcorridor_template")
    db = Database(Settings(database_url=url))
    upgrade(db.engine)
    db.dispose()
    return "midcorridor_template"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test's database is copied from."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite"
    db = Database(Settings(database_url=f"sqlite:///{path}"))
    upgrade(db.engine)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


DEMO_NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="session")
def demo_templates() -> dict[tuple[str, float], tuple[str, DemoData]]:
    """The seeded demo templates of this session: (backend, days) -> (SQLite file or
    PostgreSQL database name, demo data)."""
    return {}


def _demo_days(request: pytest.FixtureRequest) -> float | None:
    marker = request.node.get_closest_marker("demo_data")
    return None if marker is None else float(marker.kwargs["days"])


def _demo_template(request: pytest.FixtureRequest, backend: str, days: float
                   ) -> tuple[str, DemoData]:
    """The template of the demo data of ``days`` days on ``backend``, seeded when first asked."""
    templates = request.getfixturevalue("demo_templates")
    if (backend, days) in templates:
        return templates[backend, days]
    if backend == "sqlite":
        path = request.getfixturevalue("tmp_path_factory").mktemp("demo") / "demo.sqlite"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url, template = f"sqlite:///{path}", str(path)
    else:
        template = f"midcorridor_demo_{days:g}"
        url = create_database(request.getfixturevalue("postgres_url"), template,
                              template=request.getfixturevalue("postgres_template"))
    db = Database(Settings(database_url=url))
    with db.write() as session:
        result = seed(session, now=DEMO_NOW, days=days)
    if backend == "sqlite":
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    templates[backend, days] = (template, DemoData(result, DEMO_NOW, days))
    return templates[backend, days]


@pytest.fixture(params=[pytest.param(b, marks=pytest.mark.postgres) if b == "postgresql"
                        else b for b in BACKENDS])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database on each backend (with the demo data of a ``demo_data``
    test)."""
    days = _demo_days(request)
    if request.param == "sqlite":
        path = tmp_path / "service.sqlite"
        source = (request.getfixturevalue("sqlite_template") if days is None
                  else _demo_template(request, "sqlite", days)[0])
        shutil.copy(source, path)
        yield f"sqlite:///{path}"
        return
    admin = request.getfixturevalue("postgres_url")
    template = (request.getfixturevalue("postgres_template") if days is None
                else _demo_template(request, "postgresql", days)[0])
    name = f"mc_test_{next(_counter)}"
    yield create_database(admin, name, template=template)
    drop_database(admin, name)


@pytest.fixture
def demo(request: pytest.FixtureRequest, database_url: str) -> DemoData:
    """The demo data the database of a ``demo_data`` test starts with."""
    days = _demo_days(request)
    assert days is not None, "mark the test demo_data(days=...)"
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    return _demo_template(request, backend, days)[1]


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Settings for a test: no background worker, migrations already applied, callbacks to
    loopback receivers allowed (the address guard's own tests turn that off), no rate limits
    (their own tests set them)."""
    return Settings(database_url=database_url, background=False, migrate_on_start=False,
                    callback_allow_loopback=True, rate_limit_per_token="",
                    rate_limit_per_address="")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """An HTTP client on the app (lifespan run)."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def db(client: TestClient) -> Database:
    """The app's database handle."""
    database: Database = client.app.state.db  # type: ignore[attr-defined]
    return database


@pytest.fixture
def world(client: TestClient, db: Database) -> World:
    """Every role with a token, and one shipment each for shipper and shipper_b."""
    w = make_world(db)
    for role, attr in (("shipper", "shipment_id"), ("shipper_b", "other_shipment_id")):
        r = client.post("/shipments", json=shipment_body(), headers=w.auth(role))
        assert r.status_code == 201, r.text
        setattr(w, attr, r.json()["id"])
    return w
