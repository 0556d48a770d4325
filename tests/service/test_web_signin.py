"""Web sign-in: argon2 passwords, an HttpOnly SameSite cookie, CSRF on every change."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from midcorridor.errors import InputError
from midcorridor.service import signin
from midcorridor.service.db.engine import Database
from midcorridor.service.db.models import User

PASSWORD = "a long enough secret"


def _give_password(db: Database, email: str, password: str = PASSWORD) -> None:
    with db.write() as session:
        signin.set_password(session=session, email=email, password=password)


def _sign_in(client: TestClient, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/auth/signin", json={"email": email, "password": password})


def test_password_is_stored_as_an_argon2_hash(client, db, world) -> None:
    _give_password(db, "shipper@test.example")
    with db.read() as session:
        user = session.query(User).filter_by(email="shipper@test.example").one()
        assert user.password_hash is not None
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


def test_short_passwords_are_refused(client, db, world) -> None:
    with db.write() as session, pytest.raises(InputError, match="at least 8"):
        signin.set_password(session=session, email="shipper@test.example", password="short")


def test_sign_in_sets_a_strict_http_only_cookie_and_reads_as_the_user(client, db, world) -> None:
    _give_password(db, "shipper@test.example")
    r = _sign_in(client, "Shipper@Test.Example")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["role"] == "shipper"
    assert body["org_id"] == world.org_ids["shipper"]
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{signin.COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    # The cookie alone reads: only the shipper's own shipment is listed.
    listed = client.get("/shipments").json()
    assert [s["id"] for s in listed["data"]] == [world.shipment_id]
    assert client.get(f"/shipments/{world.other_shipment_id}").status_code == 404
    assert client.get("/auth/session").json()["csrf_token"] == body["csrf_token"]


@pytest.mark.parametrize("password", ["wrong password", PASSWORD.upper()])
def test_wrong_password_or_unknown_user_get_the_same_answer(client, db, world,
                                                          password: str) -> None:
    _give_password(db, "shipper@test.example")
    wrong = _sign_in(client, "shipper@test.example", password)
    unknown = _sign_in(client, "nobody@test.example")
    no_password = _sign_in(client, "forwarder@test.example")  # token-only user
    for r in (wrong, unknown, no_password):
        assert r.status_code == 401
        assert r.json()["detail"] == "wrong e-mail or password"
        assert "set-cookie" not in r.headers


def test_changes_need_the_csrf_header(client, db, world) -> None:
    _give_password(db, "operator@test.example")
    csrf = _sign_in(client, "operator@test.example").json()["csrf_token"]
    event = {"event_id": "web-1", "shipment_id": world.shipment_id, "event_type": "TRANSPORT",
             "event_code": "ARRI", "classifier": "ACT", "event_time": "2026-01-05T10:00:00Z",
             "location": "KZAAU", "mode": "rail"}
    refused = client.post("/events", json=event)
    assert refused.status_code == 403
    assert "X-CSRF-Token" in refused.json()["detail"]
    wrong = client.post("/events", json=event, headers={"X-CSRF-Token": csrf + "x"})
    assert wrong.status_code == 403
    accepted = client.post("/events", json=event, headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 201, accepted.text


def test_sign_out_ends_the_session(client, db, world) -> None:
    _give_password(db, "shipper@test.example")
    csrf = _sign_in(client, "shipper@test.example").json()["csrf_token"]
    cookie = client.cookies.get(signin.COOKIE)
    assert client.post("/auth/signout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/auth/session").json() is None
    client.cookies.set(signin.COOKIE, cookie)  # a copy of the old cookie is worthless
    assert client.get("/shipments").status_code == 401


def test_admin_set_password_lets_the_user_sign_in(tmp_path) -> None:
    """``admin set-password`` asks twice, stores a hash, and the web sign-in accepts it."""
    import json

    from typer.testing import CliRunner

    from midcorridor.cli import app
    from midcorridor.service.main import create_app
    from midcorridor.service.settings import Settings

    url = f"sqlite:///{tmp_path}/cli.sqlite"
    env = {"MIDCORRIDOR_DATABASE_URL": url}
    runner = CliRunner()
    org = runner.invoke(app, ["admin", "create-org", "Caspian Forwarding", "--kind",
                              "forwarder"], env=env)
    assert org.exit_code == 0, org.output
    user = runner.invoke(app, ["admin", "create-user", "desk@cf.example", "--org",
                               str(json.loads(org.stdout)["id"])], env=env)
    assert user.exit_code == 0, user.output
    short = runner.invoke(app, ["admin", "set-password", "desk@cf.example"], env=env,
                          input="short\nshort\n")
    assert short.exit_code == 1
    assert short.exception is not None
    assert isinstance(short.exception, SystemExit)
    assert "at least 8" in short.output
    done = runner.invoke(app, ["admin", "set-password", "desk@cf.example"], env=env,
                         input=f"{PASSWORD}\n{PASSWORD}\n")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout[done.stdout.index("{"):])["password"] == "set"
    assert PASSWORD not in done.stdout
    settings = Settings(database_url=url, background=False)
    with TestClient(create_app(settings)) as client:
        assert _sign_in(client, "desk@cf.example").json()["role"] == "forwarder"
