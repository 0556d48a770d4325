"""Rate limits per token and per address: 429 with Retry-After, in the one error shape."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from helpers.service_factories import World
from midcorridor.errors import InputError
from midcorridor.service.main import create_app
from midcorridor.service.rate_limit import RateLimit
from midcorridor.service.settings import Settings


@pytest.fixture
def limited(settings: Settings, world: World) -> Iterator[TestClient]:
    """The app with 5 requests a minute per token and 8 per address."""
    limits = settings.replace(rate_limit_per_token="5/minute", rate_limit_per_address="8/minute")
    with TestClient(create_app(limits)) as client:
        yield client


def test_token_over_its_rate_gets_429_with_retry_after(limited: TestClient, world: World) -> None:
    """The sixth request of a token within a minute is refused; another token is not."""
    codes = [limited.get("/me", headers=world.auth("shipper")).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    refused = limited.get("/me", headers=world.auth("shipper"))
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert set(refused.json()) == {"detail", "errors"}
    assert "token" in refused.json()["detail"]
    assert limited.get("/me", headers=world.auth("operator")).status_code == 200


def test_address_over_its_rate_gets_429(limited: TestClient, world: World) -> None:
    """Spreading requests over many tokens does not escape the per-address limit."""
    roles = ["admin", "shipper", "shipper_b", "forwarder", "operator", "operator_off",
             "coordinator"]
    codes = [limited.get("/me", headers=world.auth(roles[i % len(roles)])).status_code
             for i in range(9)]
    assert codes[:8] == [200] * 8
    assert codes[8] == 429
    assert "address" in limited.get("/health").json()["detail"]


def test_limits_are_documented(client: TestClient) -> None:
    """Every operation lists 429 with a Retry-After header."""
    document = client.get("/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            answer = operation["responses"].get("429")
            assert answer is not None, (method, path)
            assert "Retry-After" in answer["headers"], (method, path)


def test_bad_rate_setting_is_an_input_error(settings: Settings) -> None:
    """A rate that is not like 600/minute stops the service at start with the variable named."""
    for bad in ("lots", "0/minute", "5 per fortnight"):
        with pytest.raises(InputError, match="MIDCORRIDOR_RATE_LIMIT_PER_TOKEN"):
            settings.replace(rate_limit_per_token=bad)
    with pytest.raises(InputError, match="MIDCORRIDOR_RATE_LIMIT_PER_ADDRESS"):
        Settings.from_env({"MIDCORRIDOR_RATE_LIMIT_PER_ADDRESS": "fast"})


def test_a_limit_counts_the_last_minute_exactly_at_a_minutes_turn(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Eight hits a second apart, starting anywhere in a minute: the ninth is refused."""
    now = [0.0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    for start_ds in range(0, 600, 5):
        limit = RateLimit(None, per_token="5/minute", per_address="8/minute")
        (item,) = limit.per_address
        start = 1_800_000_000.0 + start_ds / 10
        answers = []
        for hit in range(9):
            now[0] = start + hit
            answers.append(limit.limiter.hit(item, "address", "127.0.0.1"))
        assert answers == [True] * 8 + [False], start_ds / 10
