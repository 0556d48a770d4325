"""``midcorridor route``: door-to-door options with time, cost and CO2e."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from midcorridor.cli.common import (
    DataOption,
    ScenarioOption,
    console,
    err_console,
    open_network,
    print_json,
    write_text,
)
from midcorridor.errors import InputError
from midcorridor.network import Network
from midcorridor.routing import Cargo, RoutePlan, plan, plan_geojson


class RouteFormat(StrEnum):
    table = "table"
    json = "json"
    geojson = "geojson"


def parse_date(text: str, what: str = "--depart") -> datetime:
    """``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM`` (UTC) as a timezone-aware datetime."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{what} {text!r} is not a date; use YYYY-MM-DD, e.g. 2026-12-01") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def make_cargo(teu: float | None, feu: float | None, tonnes: float | None) -> Cargo:
    """The cargo from exactly one of the three options (default 1 TEU)."""
    given = [x for x in (teu, feu, tonnes) if x is not None]
    if len(given) > 1:
        raise InputError("give only one of --teu, --feu and --tonnes")
    if tonnes is not None:
        return Cargo.from_tonnes(tonnes)
    if feu is not None:
        return Cargo.from_feu(feu)
    return Cargo(teu if teu is not None else 1.0)


def split_avoid(network: Network, avoid: list[str]) -> tuple[list[str], list[str]]:
    """Split ``--avoid`` values into country codes (two letters in the data) and places."""
    countries = {n.country for n in network.nodes.values()}
    codes = [a.upper() for a in avoid if len(a) == 2 and a.upper() in countries]
    places = [a for a in avoid if not (len(a) == 2 and a.upper() in countries)]
    return codes, places


def options_table(result: RoutePlan, title: str | None = None) -> Table:
    """The options as one table: corridor, days, cost, CO2e, transshipments, Pareto flag."""
    teu = result.cargo.teu
    table = Table(title=title or f"{result.origin} → {result.destination}, {result.cargo}, "
                  f"ready {result.depart:%Y-%m-%d %H:%M} UTC, ranked by {result.objective}")
    table.add_column("#", justify="right")
    table.add_column("corridor", no_wrap=True)
    for name in ("days", "USD/TEU", "kUSD", "kg/TEU", "t CO2e", "wait h", "tr.", "brd"):
        table.add_column(name, justify="right")
    table.add_column("Pareto")
    table.add_column("alike", justify="right")
    for i, o in enumerate(result.comparison(), start=1):
        table.add_row(
            str(i), o.corridor, f"{o.days:.1f}", f"{o.cost_usd / teu:,.0f}",
            f"{o.cost_usd / 1000:,.0f}", f"{o.co2e_kg / teu:,.0f}", f"{o.co2e_kg / 1000:,.1f}",
            f"{o.wait_h:.0f}", str(o.transshipments), str(o.borders),
            "yes" if o.pareto else "no", f"+{o.alternatives}" if o.alternatives else "",
        )
    return table


def legs_table(result: RoutePlan, index: int = 0) -> Table:
    """The legs of one option: where it goes, when, how far, dwell, waiting, cost, CO2e."""
    option = result.comparison()[index]
    table = Table(title=f"Legs of option {index + 1}: {option.corridor}")
    for name in ("from", "to", "mode", "service", "depart (UTC)", "arrive (UTC)", "km",
                 "dwell h", "wait h", "USD", "kg CO2e"):
        table.add_column(name, justify="right" if name in ("km", "dwell h", "wait h", "USD",
                                                           "kg CO2e") else "left")
    for leg in option.legs:
        table.add_row(
            leg.origin, leg.destination, leg.mode, leg.service_id or "",
            f"{leg.depart:%m-%d %H:%M}", f"{leg.arrive:%m-%d %H:%M}", f"{leg.distance_km:,.0f}",
            f"{leg.dwell_h:.0f}", f"{leg.wait_h:.0f}", f"{leg.cost_usd:,.0f}",
            f"{leg.co2e_kg:,.0f}",
        )
    return table


def print_plan(result: RoutePlan, *, legs: bool = True) -> None:
    """Options table, the legs of the first option and a note on assumptions."""
    console.print(options_table(result))
    folded = sum(o.alternatives for o in result.options)
    if folded or result.hidden:
        console.print(
            f"alike: near-duplicates folded into the row (same way by another train or sailing,"
            f" or within 2 % on days, cost and CO2e); {folded} folded"
            + (f", {result.hidden} more distinct options" if result.hidden else "")
            + ". --all lists every Pareto option.", style="dim")
    for note in result.notes:
        console.print(f"note: {note}", style="yellow")
    if legs:
        console.print(legs_table(result))
    assumed = {a for o in result.comparison() for a in o.assumptions}
    console.print(
        f"CO2e is well-to-wheel (ISO 14083, GLEC defaults). {len(assumed)} figures used are "
        "assumptions; see --format json for each option's list.", style="dim")


def route_command(
    origin: Annotated[str, typer.Argument(help="Place id, name or alias, e.g. Xi'an.")],
    destination: Annotated[str, typer.Argument(help="Place id, name or alias.")],
    depart: Annotated[str, typer.Option("--depart", help="Ready date YYYY-MM-DD (UTC).")] = "",
    teu: Annotated[float | None, typer.Option("--teu", help="Cargo in TEU.")] = None,
    feu: Annotated[float | None, typer.Option("--feu", help="Cargo in 40 ft boxes.")] = None,
    tonnes: Annotated[float | None, typer.Option("--tonnes", help="Cargo in tonnes.")] = None,
    avoid: Annotated[list[str] | None, typer.Option(
        "--avoid", help="Country code (RU) or place to avoid (repeatable).")] = None,
    avoid_mode: Annotated[list[str] | None, typer.Option(
        "--avoid-mode", help="rail, road, sea or ferry (repeatable).")] = None,
    via: Annotated[list[str] | None, typer.Option("--via", help="Pass via this place.")] = None,
    objective: Annotated[str, typer.Option(
        "--objective", help="time, cost, co2 or weights like time=1,cost=1.")] = "time",
    max_transshipments: Annotated[int | None, typer.Option("--max-transshipments")] = None,
    arrive_by: Annotated[str | None, typer.Option("--arrive-by", help="YYYY-MM-DD")] = None,
    tariffs: Annotated[Path | None, typer.Option(
        "--tariffs", help="CSV/YAML file overriding tariffs (key,usd,source).")] = None,
    all_options: Annotated[bool, typer.Option(
        "--all", help="Every Pareto option, near-duplicates not folded, no limit of six.")] = False,
    format: Annotated[RouteFormat, typer.Option("--format", "-f")] = RouteFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", dir_okay=False)] = None,
    data: DataOption = None,
    scenario: ScenarioOption = None,
) -> None:
    """Door-to-door route options with days, USD and CO2e, across the three corridors."""
    when = parse_date(depart) if depart else datetime.now(UTC).replace(
        hour=0, minute=0, second=0, microsecond=0)
    cargo = make_cargo(teu, feu, tonnes)
    network = open_network(data, scenario)
    countries, places = split_avoid(network, avoid or [])
    with err_console.status("searching routes..."):
        result = plan(
            network, origin, destination, cargo=cargo, depart=when, objective=objective,
            avoid_countries=countries, avoid_places=places, avoid_modes=avoid_mode or (),
            via=via or (), max_transshipments=max_transshipments,
            arrive_by=parse_date(arrive_by, "--arrive-by") if arrive_by else None,
            tariffs=tariffs, distinct=not all_options,
        )
    if format is RouteFormat.table:
        print_plan(result)
        return
    payload = result.to_dict() if format is RouteFormat.json else plan_geojson(network, result)
    if output is None:
        print_json(payload)
    else:
        write_text(output, json.dumps(payload, ensure_ascii=False, indent=2))
        err_console.print(f"wrote {output}")


def register(app: typer.Typer) -> None:
    app.command("route")(route_command)


#: The sample shipment ``midcorridor run`` answers: 40 TEU from Xi'an, ready 1 December 2026.
SAMPLE = ("Xi'an", ("Istanbul", "Duisburg"), 40.0, datetime(2026, 12, 1, tzinfo=UTC))


def show_sample_routes(network: Network, out: Path) -> None:
    """Print the route comparison for the sample shipment and write it as GeoJSON."""
    origin, destinations, teu, when = SAMPLE
    for destination in destinations:
        result = plan(network, origin, destination, cargo=Cargo(teu), depart=when)
        print_plan(result, legs=False)
        path = out / f"routes_{result.origin}_{result.destination}.geojson"
        write_text(path, json.dumps(plan_geojson(network, result), ensure_ascii=False))
        console.print(f"route options (GeoJSON): {path}")
