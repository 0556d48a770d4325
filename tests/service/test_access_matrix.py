"""Access rules for every role and endpoint, as one matrix per backend."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from helpers.service_factories import ROLES, START, World, event, shipment_body
from midcorridor.service import accounts, closures
from midcorridor.service.db.engine import Database
from midcorridor.service.deps import utcnow
from midcorridor.service.schemas import PortClosurePost

_ids = itertools.count()
Body = Callable[[World, str], Any]

# Expected status per role: admin, shipper (owner), shipper_b (other shipper), forwarder
# (other org), operator (on the route), operator_off (off the route), coordinator.
READ_OWN = {"admin": 200, "shipper": 200, "shipper_b": 404, "forwarder": 404,
            "operator": 200, "operator_off": 404, "coordinator": 403}
ADMIN_ONLY = {r: (200 if r == "admin" else 403) for r in ROLES}
ADMIN_CREATE = {r: (201 if r == "admin" else 403) for r in ROLES}
ALL_READERS = {r: (403 if r == "coordinator" else 200) for r in ROLES}
AGGREGATES = {r: (200 if r in ("admin", "coordinator") else 403) for r in ROLES}
SUBSCRIBERS = {r: (403 if r in ("admin", "coordinator") else 200) for r in ROLES}
CORRIDOR = {r: (200 if r in ("admin", "coordinator", "operator", "operator_off") else 403)
            for r in ROLES}


def _tx_event(w: World, role: str) -> dict[str, Any]:
    return event(f"m-{role}-{next(_ids)}", w.shipment_id, "DEPA", "KZAAU",
                 START + timedelta(hours=150))


def _event_outside_segment(w: World, role: str) -> dict[str, Any]:
    """An arrival reported at Istanbul: not a place of the test operator's segment."""
    return event(f"o-{role}-{next(_ids)}", w.shipment_id, "ARRI", "TRIST",
                 START + timedelta(hours=150))


def _doc_event(w: World, role: str) -> dict[str, Any]:
    return event(f"d-{role}-{next(_ids)}", w.shipment_id, "SUBM", "KZAAU",
                 START + timedelta(hours=100), event_type="SHIPMENT", document_type="CUS")


def _vessel_call(w: World, role: str) -> dict[str, Any]:
    """A vessel's own call at Aktau (a place of the test operator's segment): no shipment."""
    body = event(f"v-{role}-{next(_ids)}", w.shipment_id, "ARRI", "KZAAU",
                 START + timedelta(hours=150), vehicle="Merkuriy-1")
    del body["shipment_id"]
    return body


def _vessel_call_elsewhere(w: World, role: str) -> dict[str, Any]:
    """A vessel's own call at Turkmenbashi: a Caspian port outside the operator's segment."""
    return _vessel_call(w, role) | {"location": "TMKRW", "vehicle": "Nakhichevan"}


def _throwaway_token(w: World) -> int:
    db: Database = w.extra["db"]
    with db.write() as session:
        user_id = accounts.user_for_token(session=session, token=w.tokens["shipper"]).id  # type: ignore[union-attr]
        token, _ = accounts.create_token(session=session, user_id=user_id, name="x",
                                         now=utcnow())
        return token.id


def _throwaway_closure(w: World) -> int:
    """A closure of Aktau for the next day, posted by the coordinator, to cancel."""
    db: Database = w.extra["db"]
    with db.write() as session:
        record = closures.post(session, PortClosurePost.model_validate(_closure(w, "")),
                               now=utcnow(), ports={"KZAAU"}, org_id=w.org_ids["coordinator"],
                               user_id=None)
        return record.id


def _closure(w: World, role: str) -> dict[str, Any]:
    return {"place": "KZAAU", "end": (utcnow() + timedelta(days=1)).isoformat(),
            "reason": f"storm warning ({role or 'matrix'})"}


CASPIAN_PLANNERS = ("admin", "coordinator", "operator")
S = "/shipments/{sid}"
# (method, path, body or None, expected per role)
MATRIX: list[tuple[str, str, Body | None, dict[str, int]]] = [
    ("GET", "/me", None, {r: 200 for r in ROLES}),
    ("GET", "/health", None, {r: 200 for r in ROLES}),
    ("POST", "/admin/organizations",
     lambda w, r: {"name": f"org {r} {next(_ids)}", "kind": "shipper"}, ADMIN_CREATE),
    ("GET", "/admin/organizations", None, ADMIN_ONLY),
    ("POST", "/admin/users",
     lambda w, r: {"org_id": w.org_ids["shipper"], "email": f"u{next(_ids)}@x.example"},
     ADMIN_CREATE),
    ("GET", "/admin/users", None, ADMIN_ONLY),
    ("POST", "/admin/tokens", lambda w, r: {"user_id": 1, "name": "n"}, ADMIN_CREATE),
    ("GET", "/admin/tokens", None, ADMIN_ONLY),
    ("DELETE", "/admin/tokens/{tok}", None, ADMIN_ONLY),
    ("POST", "/shipments", lambda w, r: shipment_body(),
     {r: (201 if r in ("shipper", "shipper_b", "forwarder") else 403) for r in ROLES}),
    ("GET", "/shipments", None, ALL_READERS),
    ("GET", "/shipments/positions", None, ALL_READERS),
    ("GET", S, None, READ_OWN),
    ("GET", S + "/events", None, READ_OWN),
    ("GET", S + "/eta", None, READ_OWN),
    ("GET", S + "/eta/history", None, READ_OWN),
    ("GET", S + "/alerts", None, READ_OWN),
    ("POST", "/events", _tx_event,
     {"admin": 403, "shipper": 403, "shipper_b": 404, "forwarder": 404, "operator": 201,
      "operator_off": 404, "coordinator": 403}),
    # Operators report only at the places of their segment (403 naming the place).
    ("POST", "/events", _event_outside_segment,
     {"admin": 403, "shipper": 403, "shipper_b": 404, "forwarder": 404, "operator": 403,
      "operator_off": 404, "coordinator": 403}),
    ("POST", "/events", _doc_event,
     {"admin": 403, "shipper": 201, "shipper_b": 404, "forwarder": 404, "operator": 201,
      "operator_off": 404, "coordinator": 403}),
    # admin and coordinator may post (a vessel's call), so a bulk post of theirs is taken and
    # its cargo event refused in its outcome
    ("POST", "/events/bulk", lambda w, r: {"events": [_tx_event(w, r)]},
     {r: 200 for r in ROLES}),
    # A vessel's own call: its port's or line's operator (at its places), coordinator, admin.
    ("POST", "/events", _vessel_call,
     {"admin": 201, "shipper": 403, "shipper_b": 403, "forwarder": 403, "operator": 201,
      "operator_off": 403, "coordinator": 201}),
    ("POST", "/events", _vessel_call_elsewhere,
     {"admin": 201, "shipper": 403, "shipper_b": 403, "forwarder": 403, "operator": 403,
      "operator_off": 403, "coordinator": 201}),
    ("POST", "/events/bulk", lambda w, r: {"events": [_vessel_call(w, r)]},
     {r: 200 for r in ROLES}),  # taken; refused to shippers in its outcome (403)
    ("GET", "/alerts", None, ALL_READERS),
    ("POST", "/alerts/scan", None, ADMIN_ONLY),
    ("POST", "/subscriptions",
     lambda w, r: {"shipment_id": w.shipment_id, "callback_url": "http://127.0.0.1:9/hook"},
     {"admin": 403, "shipper": 201, "shipper_b": 404, "forwarder": 404, "operator": 201,
      "operator_off": 404, "coordinator": 403}),
    ("GET", "/subscriptions", None, SUBSCRIBERS),
    ("GET", "/subscriptions/{sub}/deliveries", None,
     {r: (200 if r == "shipper" else 403 if r in ("admin", "coordinator") else 404)
      for r in ROLES}),
    ("DELETE", "/subscriptions/{sub}", None,
     {r: (200 if r == "shipper" else 403 if r in ("admin", "coordinator") else 404)
      for r in ROLES}),
    ("GET", "/aggregates/port-queues", None, AGGREGATES),
    ("GET", "/aggregates/dwell", None, AGGREGATES),
    ("GET", "/corridor/state", None, CORRIDOR),
    ("POST", "/crossing/plans", lambda w, r: {"horizon_days": 2},
     {r: (202 if r in ("admin", "coordinator", "operator") else 403) for r in ROLES}),
    ("GET", "/crossing/plans/latest", None,  # none published yet: 404 past the role check
     {r: (404 if r in ("admin", "coordinator", "operator") else 403) for r in ROLES}),
    ("GET", "/crossing/plans/1", None,
     {r: (404 if r in ("admin", "coordinator", "operator") else 403) for r in ROLES}),
    ("POST", "/crossing/closures", _closure,
     {r: (201 if r in CASPIAN_PLANNERS else 403) for r in ROLES}),
    ("GET", "/crossing/closures", None,
     {r: (200 if r in CASPIAN_PLANNERS else 403) for r in ROLES}),
    ("DELETE", "/crossing/closures/{clo}", None,
     {r: (200 if r in CASPIAN_PLANNERS else 403) for r in ROLES}),
    ("POST", "/planner/plan",
     lambda w, r: {"origin": "KZAAU", "destination": "AZALT", "depart": START.isoformat()},
     {r: 200 for r in ROLES}),
    ("POST", "/optimizer/crossing", lambda w, r: {"days": 1, "time_limit_s": 1},
     {r: (202 if r in ("admin", "coordinator", "operator") else 403) for r in ROLES}),
    ("POST", "/scenarios/whatif",
     lambda w, r: {"days": 2, "replications": 2,
                   "changes": {"closures": [{"place": "caspian", "hours": 24}]}},
     {r: (202 if r in ("admin", "coordinator") else 403) for r in ROLES}),
    ("GET", "/scenarios/whatif/options", None, AGGREGATES),
    ("GET", "/scenarios/whatif/{job}", None,  # a crossing job: not a what-if, 404
     {r: (404 if r in ("admin", "coordinator") else 403) for r in ROLES}),
    ("GET", "/experiments", None, AGGREGATES),
    ("POST", "/experiments/compare", lambda w, r: {"experiments": ["storms"], "replications": 2},
     {r: (202 if r in ("admin", "coordinator") else 403) for r in ROLES}),
    ("GET", "/experiments/compare/{job}", None,
     {r: (404 if r in ("admin", "coordinator") else 403) for r in ROLES}),
    ("GET", "/jobs/{job}", None,
     {r: (200 if r in ("admin", "coordinator", "operator") else 404) for r in ROLES}),
]


def test_access_matrix(client: TestClient, db: Database, world: World) -> None:
    """Every role gets exactly the expected status on every endpoint (403/404, no leaks)."""
    world.extra["db"] = db
    sub = client.post("/subscriptions", headers=world.auth("shipper"), json={
        "shipment_id": world.shipment_id, "callback_url": "http://127.0.0.1:9/hook"}).json()
    job = client.post("/optimizer/crossing", headers=world.auth("operator"), json={}).json()
    mismatches = []
    for (method, path, body, expected), role in itertools.product(MATRIX, ROLES):
        url = path.format(sid=world.shipment_id, sub=sub["id"], job=job["job_id"],
                          tok=_throwaway_token(world) if "{tok}" in path else 0,
                          clo=_throwaway_closure(world) if "{clo}" in path else 0)
        payload = body(world, role) if body else None
        r = client.request(method, url, json=payload, headers=world.auth(role))
        if r.status_code != expected[role]:
            mismatches.append((method, path, role, expected[role], r.status_code, r.text[:120]))
    assert mismatches == []


def test_every_endpoint_needs_a_token(client: TestClient, world: World) -> None:
    """Without a token, or with a revoked one, every endpoint but health answers 401."""
    paths = {(m, p) for m, p, _, _ in MATRIX if p != "/health"}
    revoked = client.delete("/admin/tokens/1", headers=world.auth("admin"))
    assert revoked.status_code == 200
    for method, path in sorted(paths):
        url = path.format(sid=world.shipment_id, sub=1, tok=1, job=1, clo=1)
        assert client.request(method, url).status_code == 401, (method, path)
        bad = client.request(method, url, headers={"Authorization": "Bearer nope"})
        assert bad.status_code == 401, (method, path)
        again = client.request(method, url, headers=world.auth("admin"))
        assert again.status_code == 401, (method, path)


def test_listing_shows_only_visible_shipments(client: TestClient, world: World) -> None:
    """Each role's shipment list holds exactly the shipments it may read."""
    counts = {r: client.get("/shipments", headers=world.auth(r)).json()["count"]
              for r in ROLES if r != "coordinator"}
    assert counts == {"admin": 2, "shipper": 1, "shipper_b": 1, "forwarder": 0,
                      "operator": 2, "operator_off": 0}
    own = client.get("/shipments", headers=world.auth("shipper")).json()["data"]
    assert [s["id"] for s in own] == [world.shipment_id]
