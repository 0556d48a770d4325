"""A bounded probe of a running service on 127.0.0.1: hostile input, access and existence
leaks, and acknowledged events across a kill -9.

``python -m benchmarks.probe_service [sqlite] [postgresql]`` starts the service as a real
uvicorn process on a loopback port, on a SQLite file and on a throw-away PostgreSQL server (both
by default), with the production defaults except rate limits, which would only slow the probe
down, then:

* **roles x endpoints**: every operation of the OpenAPI document, called by every role, on a
  shipment the role owns or may see, on one it may not see, and on one that does not exist.
  A *leak* is a difference between "exists but not yours" and "does not exist" (status or
  body), or a 2xx where the role may not read.
* **crafted inputs**: each body operation with one value made hostile at a time (``NaN``,
  ``Infinity``, ``1e400``, lone surrogates, NUL, extreme timestamps, booleans for ids, huge
  strings, deep nesting, SQL and path fragments), and bodies over the size limit, declared
  and chunked.
* **kill -9**: writers post events while the server is killed and restarted; every
  acknowledged event must be stored exactly once.

It prints one table, a row per backend: requests tried, 5xx seen, dropped connections, leaks,
events lost.
Bounded in requests and time (a few minutes on 2 cores); traffic goes only to 127.0.0.1.
"""

from __future__ import annotations

import itertools
import json
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # helpers

from helpers.json_paths import json_scalars, replace_at  # noqa: E402  (one way to walk a JSON body)
from helpers.pg_server import create_database, postgres_server  # noqa: E402
from helpers.server_process import ServerProcess  # noqa: E402
from helpers.service_factories import ROLES, START, event, make_world, shipment_body  # noqa: E402
from midcorridor.service.db.engine import Database  # noqa: E402
from midcorridor.service.db.models import Event  # noqa: E402
from midcorridor.service.migrations import upgrade  # noqa: E402
from midcorridor.service.settings import Settings  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterator

MISSING_ID = 987_654
HOSTILE_NUMBERS = ("NaN", "Infinity", "-Infinity", "1e400", "true", '"7"', "1e30", "-1")
HOSTILE_STRINGS = ('"\\ud800"', '"a\\udfffb"', '"\\u0000"', '"x' + "y" * 5000 + '"',
                   '"\' OR 1=1 --"', '"../../etc/passwd"', '"<script>alert(1)</script>"', "null",
                   "[]", "{}")
HOSTILE_TIMES = ('"0001-01-01T00:00:00+14:00"', '"9999-12-31T23:00:00-12:00"',
                 '"9999-12-31T23:59:59Z"', '"2026-01-05T08:00:00"', '"2026-13-45T99:00:00Z"')
_ids = itertools.count()


class _Ids(dict[str, int]):
    """Path ids by parameter name; any other id parameter is 1."""

    def __missing__(self, key: str) -> int:
        return 1


@dataclass
class Tally:
    tried: int = 0
    server_errors: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)

    def send(self, http: httpx.Client, method: str, url: str,
             **kwargs: Any) -> httpx.Response | None:
        self.tried += 1
        try:
            r = http.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            self.dropped.append(f"{method} {url}: {type(exc).__name__}")
            return None
        self.statuses[r.status_code] += 1
        if r.status_code >= 500:
            self.server_errors.append(f"{method} {url}: {r.status_code} {r.text[:120]}")
        return r


def _prepare(url: str) -> tuple[dict[str, str], dict[str, int]]:
    db = Database(Settings(database_url=url))
    upgrade(db.engine)
    world = make_world(db)
    db.dispose()
    return world.tokens, world.org_ids


def _example(schema: dict[str, Any], components: dict[str, Any], ids: dict[str, int]) -> Any:
    """A small valid-looking value for a JSON schema (enough to reach the handlers)."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[-1]], components, ids)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _example(options[0], components, ids) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {name: _example(sub, components, ids)
                for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [_example(schema.get("items", {}), components, ids)]
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return float(schema.get("exclusiveMinimum", schema.get("minimum", 0))) + 1
    if kind == "boolean":
        return False
    if schema.get("format") == "date-time":
        return START.isoformat()
    return "x"


def _with(body: Any, path: tuple[Any, ...], raw: str) -> str:
    mark = "@@probe@@"
    return json.dumps(replace_at(body, path, mark)).replace(json.dumps(mark), raw, 1)


def _bodies(example: Any) -> Iterator[str]:
    """The example with one value made hostile at a time, then whole-body oddities."""
    for path, value in json_scalars(example):
        if isinstance(value, bool) or value is None:
            choices: tuple[str, ...] = HOSTILE_NUMBERS[:4] + HOSTILE_STRINGS[:3]
        elif isinstance(value, int | float):
            choices = HOSTILE_NUMBERS
        elif isinstance(value, str) and ("time" in str(path[-1]) or "depart" in str(path[-1])
                                         or "arrive" in str(path[-1])):
            choices = HOSTILE_TIMES + HOSTILE_STRINGS[:3]
        else:
            choices = HOSTILE_STRINGS
        for raw in choices:
            yield _with(example, path, raw)
    yield "NaN"
    yield "[" * 5000 + "]" * 5000
    yield '{"a": ' * 3000 + "1" + "}" * 3000
    yield json.dumps(example)[:-1]  # truncated


def _probe_requests(base: str, tokens: dict[str, str], tally: Tally) -> None:
    auth = {role: {"Authorization": f"Bearer {token}"} for role, token in tokens.items()}
    with httpx.Client(base_url=base, timeout=30) as http:
        document = http.get("/openapi.json").json()
        components = document["components"]["schemas"]
        own = http.post("/shipments", json=shipment_body(), headers=auth["shipper"]).json()["id"]
        http.post("/shipments", json=shipment_body(), headers=auth["shipper_b"])
        sub = http.post("/subscriptions", headers=auth["shipper"], json={
            "shipment_id": own, "callback_url": "https://93.184.215.14/hook"}).json()
        spare = http.post("/admin/tokens", json={"user_id": 1, "name": "probe"},
                          headers=auth["admin"]).json()["id"]  # DELETE revokes this one
        ids = _Ids(shipment_id=own, subscription_id=sub.get("id", 1), token_id=spare)
        # Roles x endpoints, and existence leaks.
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                example = None
                if "requestBody" in operation:
                    schema = operation["requestBody"]["content"]["application/json"]["schema"]
                    example = _example(schema, components, ids)
                    if isinstance(example, dict) and "shipment_id" in example:
                        example["shipment_id"] = own
                    if isinstance(example, dict) and "event_id" in example:
                        example["event_id"] = f"probe-{next(_ids)}"
                for role in ROLES:
                    if path.endswith("/crossing"):
                        continue  # runs the solver for seconds: not a probe of input handling
                    existing = path.format_map(ids)
                    missing = path.format_map(_Ids({k: MISSING_ID for k in
                                                    ("shipment_id", "subscription_id",
                                                     "token_id", "job_id")}))
                    a = tally.send(http, method, existing, json=example, headers=auth[role])
                    if existing == missing or method != "get" or a is None:
                        continue
                    b = tally.send(http, method, missing, json=example, headers=auth[role])
                    if b is None:
                        continue
                    if a.status_code in (403, 404) and (a.status_code, a.text) != (
                            b.status_code, b.text.replace(str(MISSING_ID), str(own))):
                        tally.leaks.append(f"{role} {method} {path}: {a.status_code} for an "
                                           f"existing id, {b.status_code} for a missing one")
        # Crafted inputs, one hostile value at a time.
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                if "requestBody" not in operation or path.endswith("/crossing"):
                    continue
                schema = operation["requestBody"]["content"]["application/json"]["schema"]
                example = _example(schema, components, ids)
                role = ("admin" if path.startswith("/admin") else
                        "operator" if path.startswith("/events") else "shipper")
                url = path.format_map(ids)
                for text in _bodies(example):
                    tally.send(http, method, url, content=text.encode(),
                               headers=auth[role] | {"content-type": "application/json"})
        # Bodies over the limit: declared, and streamed without a length.
        big = b'{"events": [], "pad": "' + b"x" * 2_100_000 + b'"}'
        tally.send(http, "post", "/events/bulk", content=big,
                   headers=auth["operator"] | {"content-type": "application/json"})

        def chunks() -> Iterator[bytes]:
            yield b'{"events": [], "pad": "'
            for _ in range(220):
                yield b"x" * 10_000
            yield b'"}'

        r = tally.send(http, "post", "/events/bulk", content=chunks(),
                       headers=auth["operator"] | {"content-type": "application/json"})
        if r is not None and r.status_code != 413:
            tally.server_errors.append(f"chunked body over the limit answered {r.status_code}")


def _kill9(url: str, tokens: dict[str, str], env: dict[str, str]) -> tuple[int, int, int]:
    """Writers post events across a kill -9 and restart; (acknowledged, lost, duplicated)."""
    auth = {"Authorization": f"Bearer {tokens['operator']}"}
    server = ServerProcess(url, env=env)
    server.start()
    with httpx.Client(base_url=server.url, timeout=10) as http:
        sid = http.post("/shipments", json=shipment_body(),
                        headers={"Authorization": f"Bearer {tokens['shipper']}"}).json()["id"]
    acked: set[str] = set()
    lock = threading.Lock()
    stop = threading.Event()

    def writer(n: int) -> None:
        with httpx.Client(timeout=5) as http:
            i = 0
            while not stop.is_set() and i < 500:
                eid = f"k{n}-{i}"
                body = event(eid, sid, "GTIN", "KZAAU", START + timedelta(minutes=i),
                             event_type="EQUIPMENT")
                try:
                    r = http.post(server.url + "/events", json=body, headers=auth)
                except httpx.HTTPError:
                    time.sleep(0.05)
                    continue
                if r.status_code in (200, 201):
                    with lock:
                        acked.add(eid)
                    i += 1

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while len(acked) < 500 and time.monotonic() < deadline:
        time.sleep(0.1)
    server.kill()
    time.sleep(0.3)
    server.start()
    deadline = time.monotonic() + 60
    while len(acked) < 1500 and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    server.stop()
    db = Database(Settings(database_url=url))
    from sqlalchemy import func, select

    with db.read() as session:
        rows = dict(session.execute(
            select(Event.client_event_id, func.count()).where(Event.shipment_id == sid)
            .group_by(Event.client_event_id)).all())
    db.dispose()
    lost = len(acked - set(rows))
    duplicated = sum(1 for c in rows.values() if c > 1)
    return len(acked), lost, duplicated


def _probe(url: str, backend: str, env: dict[str, str]) -> list[str]:
    """Probe a fresh service database at ``url``; its row of the table."""
    tokens, _ = _prepare(url)
    tally = Tally()
    started = time.monotonic()
    server = ServerProcess(url, env=env)
    server.start()
    try:
        _probe_requests(server.url, tokens, tally)
    finally:
        server.stop()
    probe_s = time.monotonic() - started
    acked, lost, duplicated = _kill9(url, tokens, env)
    print(f"{backend}: answers by status: " + ", ".join(
        f"{code}: {n}" for code, n in sorted(tally.statuses.items())), flush=True)
    for line in (tally.server_errors + tally.dropped + tally.leaks)[:20]:
        print(f"  {line}")
    return [backend, f"{probe_s:.0f}", str(tally.tried), str(len(tally.server_errors)),
            str(len(tally.dropped)), str(len(tally.leaks)), str(acked), str(lost),
            str(duplicated)]


def main(argv: list[str]) -> None:
    """``python -m benchmarks.probe_service [sqlite] [postgresql]`` (both by default)."""
    backends = [a for a in argv if a in ("sqlite", "postgresql")] or ["sqlite", "postgresql"]
    # Production settings but for rate limits (they would only slow the probe down) and
    # loopback callbacks (refused, as in production: the probe registers none on loopback).
    env = {"MIDCORRIDOR_CALLBACK_ALLOW_LOOPBACK": "false"}
    rows = []
    for backend in backends:
        with tempfile.TemporaryDirectory() as tmp:
            if backend == "sqlite":
                rows.append(_probe(f"sqlite:///{Path(tmp) / 'probe.sqlite'}", backend, env))
                continue
            # A throw-away PostgreSQL on loopback, with fsync on as in production.
            with postgres_server(fsync=True) as admin:
                rows.append(_probe(create_database(admin, "probe"), backend, env))
    table = Table(title=f"service probe on 127.0.0.1 ({datetime.now(UTC):%Y-%m-%d}; "
                        "request phase, then a kill -9 phase)")
    for column in ("backend", "request phase (s)", "requests tried", "5xx seen",
                   "dropped connections", "leaks", "events acknowledged", "lost",
                   "stored twice"):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(*row)
    Console(width=140).print(table)


if __name__ == "__main__":
    main(sys.argv[1:])
