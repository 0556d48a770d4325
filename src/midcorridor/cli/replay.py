"""``midcorridor replay FILE.jsonl --url URL --token T``: post a feed as the operators would."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from midcorridor.cli.common import console, err_console
from midcorridor.errors import InputError

if TYPE_CHECKING:
    import httpx

    from midcorridor.service.feed import Feed, FeedClosure, FeedEvent

BATCH = 500  # events per bulk request (the service takes up to 1000)
PAGE = 1000
# Refusals that another token may not meet: the shipment or place is another operator's.
RETRYABLE = ("shipment not found", "may not report", "outside your organization")
POSTERS = ("operator", "shipper", "forwarder")  # roles that report events


@dataclass
class Caller:
    """A token and what the service says about its user."""

    name: str
    token: str
    role: str
    org_id: int

    @property
    def headers(self) -> dict[str, str]:
        """The HTTP headers that authenticate this caller."""
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Tally:
    """What the replay did."""

    shipments_created: int = 0
    shipments_found: int = 0
    shipments_failed: dict[str, str] = field(default_factory=dict)
    events: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    future: int = 0
    orphaned: int = 0
    closures: Counter[str] = field(default_factory=Counter)


def _check(response: httpx.Response, what: str) -> Any:
    if response.status_code == 401:
        raise InputError(f"{what}: the service refused the token (401); check --token")
    if response.status_code >= 400:
        raise InputError(f"{what}: HTTP {response.status_code}: {response.text[:300]}")
    return response.json()


def _callers(client: httpx.Client, tokens: list[tuple[str, str]]) -> list[Caller]:
    callers = []
    for name, token in tokens:
        me = _check(client.get("/me", headers={"Authorization": f"Bearer {token}"}),
                    f"token {name}")
        callers.append(Caller(name, token, str(me["role"]), int(me["org_id"])))
    return callers


def _tokens(token: list[str] | None, tokens_file: Path | None) -> list[tuple[str, str]]:
    out = [(f"--token {i + 1}", t) for i, t in enumerate(token or [])]
    if tokens_file is not None:
        try:
            mapping = json.loads(tokens_file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(f"--tokens {tokens_file}: not a JSON file ({exc})") from None
        if not isinstance(mapping, dict):
            raise InputError(f"--tokens {tokens_file}: expected {{\"organization\": \"token\"}}")
        out += [(str(k), str(v)) for k, v in mapping.items()]
    if not out:
        raise InputError("give at least one --token (or --tokens FILE.json)")
    return out


def _existing(client: httpx.Client, creators: list[Caller]) -> dict[str, int]:
    """References of the shipments the creators can already see, to their ids."""
    refs: dict[str, int] = {}
    for caller in creators:
        skip = 0
        while True:
            page = _check(client.get("/shipments", params={"skip": skip, "limit": PAGE},
                                     headers=caller.headers), "GET /shipments")
            for s in page["data"]:
                if s["reference"]:
                    refs[s["reference"]] = int(s["id"])
            skip += PAGE
            if skip >= page["count"] or not page["data"]:
                break
    return refs


def _order(callers: list[Caller], name: str) -> list[Caller]:
    """Callers to try for a record reported by ``name``: that organization's token first."""
    return sorted(callers, key=lambda c: c.name != name)


def _shipments(client: httpx.Client, feed: Feed, callers: list[Caller], tally: Tally,
               ) -> dict[str, int]:
    creators = [c for c in callers if c.role in ("shipper", "forwarder")]
    ids = _existing(client, creators)
    tally.shipments_found = sum(s.reference in ids for s in feed.shipments)
    missing = [s for s in feed.shipments if s.reference not in ids]
    if missing and not creators:
        raise InputError(
            f"{len(missing)} shipments of the feed are not on the server and none of the tokens "
            "may create shipments: add a shipper's or forwarder's token"
        )
    for s in missing:
        body = s.body.model_dump(mode="json")
        for caller in _order(creators, s.owner):
            response = client.post("/shipments", json=body, headers=caller.headers)
            if response.status_code == 201:
                ids[s.reference] = int(response.json()["id"])
                tally.shipments_created += 1
                break
        else:
            why = f"HTTP {response.status_code}: {response.text[:200]}"
            tally.shipments_failed[s.reference] = why
    return ids


def _post(client: httpx.Client, batch: list[tuple[FeedEvent, int | None]],
          callers: list[Caller],
          tally: Tally) -> None:
    """Post a batch; events refused to one token are tried with the next one."""
    pending = list(batch)
    tried: dict[str, set[str]] = {e.event_id: set() for e, _ in batch}
    while pending:
        groups: dict[str, list[tuple[FeedEvent, int | None]]] = {}
        by_name = {c.name: c for c in callers}
        for item in pending:
            nxt = next((c for c in _order(callers, item[0].operator)
                        if c.name not in tried[item[0].event_id]), None)
            if nxt is None:
                continue
            tried[item[0].event_id].add(nxt.name)
            groups.setdefault(nxt.name, []).append(item)
        if not groups:
            break
        retry = []
        for name, items in groups.items():
            body = {"events": [e.create(sid).model_dump(mode="json") for e, sid in items]}
            result = _check(client.post("/events/bulk", json=body, headers=by_name[name].headers),
                            "POST /events/bulk")
            for item, outcome in zip(items, result["results"], strict=True):
                status = outcome["status"]
                error = outcome.get("error", "")
                if status == "rejected" and any(r in error for r in RETRYABLE):
                    retry.append(item)
                    continue
                tally.events[status] += 1
                if status == "rejected" and len(tally.errors) < 5:
                    tally.errors.append(f"{item[0].event_id}: {error}")
        pending = [i for i in retry if len(tried[i[0].event_id]) < len(callers)]
        for item in retry:
            if len(tried[item[0].event_id]) >= len(callers):
                tally.events["rejected"] += 1
                if len(tally.errors) < 5:
                    tally.errors.append(f"{item[0].event_id}: no token may report it "
                                        f"(reported by {item[0].operator or 'unknown'})")


def _posted_closures(client: httpx.Client, callers: list[Caller]) -> set[tuple[str, str, str]]:
    """(place, start, end) of the closures in force or to come that the service lists, to
    the first caller allowed to read them.
    """
    for caller in callers:
        response = client.get("/crossing/closures", headers=caller.headers)
        if response.status_code == 200:
            return {(c["place"], _instant(c["start"]), _instant(c["end"]))
                    for c in response.json()}
    return set()


def _instant(text: str) -> str:
    """An instant as one canonical UTC text, whatever offset notation the text uses."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC).isoformat()


def _closures(client: httpx.Client, feed: Feed, callers: list[Caller], tally: Tally,
              now: datetime) -> None:
    """Post the feed's closure notices in force now or announced for later, each once: a
    closure the service already lists at the same place over the same window is not posted
    again. Those that ended before ``now`` are counted, not posted (the service takes
    closures that still hold); those that begin after ``now`` are left for a later run.
    """
    due = [c for c in feed.closures if c.start <= now]
    tally.closures["future"] = len(feed.closures) - len(due)
    holding = [c for c in due if c.end > now]
    tally.closures["ended"] = len(due) - len(holding)
    if not holding:
        return
    posted = _posted_closures(client, callers)
    for closure in holding:
        key = (closure.body.place, _instant(closure.start.isoformat()),
               _instant(closure.end.isoformat()))
        if key in posted:
            tally.closures["duplicate"] += 1
            continue
        tally.closures[_post_closure(client, closure, callers, tally)] += 1
        posted.add(key)


def _post_closure(client: httpx.Client, closure: FeedClosure, callers: list[Caller],
                  tally: Tally) -> str:
    """Post one notice with its port's token first, then the others; how it went."""
    body = closure.body.model_dump(mode="json")
    why = "no token"
    for caller in _order(callers, closure.operator):
        response = client.post("/crossing/closures", json=body, headers=caller.headers)
        if response.status_code == 201:
            return "created"
        why = f"HTTP {response.status_code}: {response.text[:200]}"
        if response.status_code != 403:
            break
    if len(tally.errors) < 5:
        tally.errors.append(f"closure {closure.notice_id}: {why}")
    return "rejected"


def replay(client: httpx.Client, feed: Feed, callers: list[Caller], *, speed: float | None,
           now: datetime, progress: Progress | None = None) -> Tally:
    """Create the feed's missing shipments, then post its events in event-time order (the
    vessels' own calls among them, without a shipment).
    """
    tally = Tally()
    _closures(client, feed, callers, tally, now)
    ids = _shipments(client, feed, callers, tally)
    callers = [c for c in callers if c.role in POSTERS]
    due = [e for e in feed.events if e.time <= now]
    tally.future = len(feed.events) - len(due)
    ready = [(e, ids.get(e.shipment)) for e in due if not e.shipment or e.shipment in ids]
    tally.orphaned = len(due) - len(ready)
    task = progress.add_task("replay", total=len(ready)) if progress is not None else None
    started = time.monotonic()
    first = ready[0][0].time if ready else now
    i = 0
    while i < len(ready):
        j = i + 1
        limit = None
        if speed:  # post what is due on the replay clock, waiting for the next event if none
            clock = first.timestamp() + (time.monotonic() - started) * speed
            wait = (ready[i][0].time.timestamp() - clock) / speed
            if wait > 0:
                time.sleep(min(wait, 5.0))
                continue
            limit = clock
        while j < len(ready) and j - i < BATCH and (
            limit is None or ready[j][0].time.timestamp() <= limit
        ):
            j += 1
        _post(client, ready[i:j], callers, tally)
        i = j
        if progress is not None and task is not None:
            progress.update(task, completed=i)
    return tally


def replay_command(
    file: Annotated[Path, typer.Argument(help="A feed written by simulate --events.",
                                         dir_okay=False)],
    url: Annotated[str, typer.Option("--url", help="The service, e.g. http://127.0.0.1:8000.")],
    token: Annotated[list[str] | None, typer.Option(
        "--token", help="An API token (repeatable): a shipper's or forwarder's creates the "
        "shipments, operators' post their events.")] = None,
    tokens: Annotated[Path | None, typer.Option(
        "--tokens", dir_okay=False,
        help="JSON {organization: token} (demo-data --tokens-out writes one); each record is "
        "posted first with the token of the organization that reports it.")] = None,
    speed: Annotated[float | None, typer.Option(
        "--speed", min=0.001,
        help="Post at this many event-seconds per second (3600: an hour a second); "
        "default: as fast as the service takes them.")] = None,
) -> None:
    """Post a feed's closure notices, shipments and events in event-time order, in bulk, with
    a progress bar.

    Running it again posts nothing twice: shipments are found by reference, events by their
    client event ids and closures by place and window. Events and closures dated in the
    future are left for a later run; closures already over are not posted.
    """
    import httpx

    from midcorridor.service.feed import read_feed

    feed = read_feed(file)
    pairs = _tokens(token, tokens)
    columns = (TextColumn("[bold]events"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with httpx.Client(base_url=url.rstrip("/"), timeout=120.0) as client:
            callers = _callers(client, pairs)
            with Progress(*columns, console=err_console) as bar:
                tally = replay(client, feed, callers, speed=speed, now=datetime.now(UTC),
                               progress=bar)
    except httpx.TransportError as exc:
        raise InputError(f"--url {url}: cannot reach the service ({exc})") from None
    _report(tally, feed)


def _report(tally: Tally, feed: Feed) -> None:
    """Print what the replay did; exit non-zero when the service refused anything."""
    console.print(
        f"shipments: {tally.shipments_created} created, {tally.shipments_found} already there"
        + (f", {len(tally.shipments_failed)} refused" if tally.shipments_failed else "")
    )
    console.print(
        f"events: {tally.events['created']} created, {tally.events['duplicate']} already stored, "
        f"{tally.events['rejected']} rejected"
        + (f", {tally.future} dated in the future (run again later)" if tally.future else "")
        + (f", {tally.orphaned} of refused shipments" if tally.orphaned else "")
    )
    if feed.closures:
        done = tally.closures
        console.print(
            f"closures: {done['created']} posted, {done['duplicate']} already posted, "
            f"{done['ended']} over before now (not posted)"
            + (f", {done['future']} to come (run again later)" if done["future"] else "")
            + (f", {done['rejected']} rejected" if done["rejected"] else ""))
    for line in tally.errors:
        err_console.print(f"  {line}")
    for ref, why in list(tally.shipments_failed.items())[:5]:
        err_console.print(f"  shipment {ref}: {why}")
    if tally.events["rejected"] or tally.shipments_failed or tally.closures["rejected"]:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the ``replay`` command to the command line."""
    app.command("replay")(replay_command)
