"""``midcorridor route``: door-to-door options with time, cost and CO2e."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from midcorridor.cli.common import (
    DataOption,
    ScenarioOption,
    console,
    err_console,
    open_network,
    write_text,
)
from midcorridor.errors import InputError
from midcorridor.network import Network
from midcorridor.routing import Cargo, Leg, RouteOption, RoutePlan, plan, plan_geojson


class RouteFormat(StrEnum):
    """How ``route`` prints its plan: a table, JSON, or GeoJSON for a map."""

    table = "table"
    json = "json"
    geojson = "geojson"
    csv = "csv"


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


def place_label(network: Network | None, node_id: str) -> str:
    """``Aktau (KZAAU)``: the place's name beside its code (the code alone without a network).
    The name's part in brackets is left out unless another place shares the rest:
    ``Istanbul Ambarlı (TRAM0)`` and ``Istanbul Halkalı (TRIST)``.
    """
    if network is None or node_id not in network.nodes:
        return node_id
    name = network.nodes[node_id].name
    short = name.split(" (")[0]
    if short != name and any(n.name.split(" (")[0] == short for i, n in network.nodes.items()
                             if i != node_id):
        return f"{name.replace(' (', ' ', 1).removesuffix(')')} ({node_id})"
    return f"{short} ({node_id})"


def stretches(option: RouteOption) -> list[list[Leg]]:
    """The option's legs grouped into runs on one train, vessel or vehicle (no transshipment,
    the same mode and service), as a forwarder reads a route. A run that would come back to a
    place it left (to a via place and back) is two runs, so no run goes from a place to itself.
    """
    runs: list[list[Leg]] = []
    for leg in option.legs:
        last = runs[-1][-1] if runs else None
        if (last is not None and not leg.transshipment and leg.mode == last.mode
                and leg.service_id == last.service_id
                and all(leg.destination != before.origin for before in runs[-1])):
            runs[-1].append(leg)
        else:
            runs.append([leg])
    return runs


def _service(leg: Leg) -> str:
    if leg.service_id:
        return leg.service_id
    if leg.trucks:
        return f"{leg.trucks} truck" + ("s" if leg.trucks > 1 else "")
    return "weekly (assumed)" if leg.mode in ("sea", "ferry") else ""


def legs_table(result: RoutePlan, index: int = 0, network: Network | None = None) -> Table:
    """The legs of one option, a row per run on one train or vessel: from and to with their
    names, the stops between, mode, service, times, km, dwell, waiting, cost and CO2e.
    """
    option = result.comparison()[index]
    table = Table(title=f"Option {index + 1}: {option.corridor}")
    numeric = ("stops", "km", "dwell h", "wait h", "USD", "kg CO2e")
    for name in ("from", "to", "stops", "mode", "service", "depart (UTC)", "arrive (UTC)",
                 *numeric[1:]):
        table.add_column(name, justify="right" if name in numeric else "left")
    for run in stretches(option):
        first, last = run[0], run[-1]
        table.add_row(
            place_label(network, first.origin), place_label(network, last.destination),
            str(len(run) - 1) if len(run) > 1 else "", first.mode, _service(first),
            f"{first.depart:%m-%d %H:%M}", f"{last.arrive:%m-%d %H:%M}",
            f"{sum(leg.distance_km for leg in run):,.0f}",
            f"{sum(leg.dwell_h for leg in run) + last.unload_h:.0f}",
            f"{sum(leg.wait_h for leg in run):.0f}", f"{sum(leg.cost_usd for leg in run):,.0f}",
            f"{sum(leg.co2e_kg for leg in run):,.0f}",
        )
    return table


def print_plan(result: RoutePlan, *, legs: bool = True, network: Network | None = None,
               out: Console | None = None) -> None:
    """Options table, the legs of every option and a note on assumptions."""
    out = out or console
    out.print(options_table(result))
    folded = sum(o.alternatives for o in result.options)
    if folded or result.hidden:
        out.print(
            f"alike: near-duplicates folded into the row (same way by another train or sailing,"
            f" or within 2 % on days, cost and CO2e); {folded} folded"
            + (f", {result.hidden} more distinct options" if result.hidden else "")
            + ". --all lists every Pareto option.", style="dim")
    for note in result.notes:
        out.print(f"note: {note}", style="yellow")
    if legs:
        for i in range(len(result.comparison())):
            out.print(legs_table(result, i, network))
    assumed = {a for o in result.comparison() for a in o.assumptions}
    out.print(
        f"CO2e is well-to-wheel (ISO 14083, GLEC defaults). {len(assumed)} figures used are "
        "assumptions; see --format json for each option's list. Dwell includes loading and "
        "unloading at the port calls.", style="dim")


CSV_FIELDS = ("rank", "corridor", "family", "pareto", "alternatives", "days", "cost_usd",
              "co2e_kg", "co2e_ttw_kg", "transshipments", "borders", "distance_km", "wait_h",
              "depart", "arrive", "places")


def options_csv(result: RoutePlan, network: Network | None = None) -> str:
    """The options (with the best of each corridor) as CSV, one row per option."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for rank, o in enumerate(result.comparison(), start=1):
        ids = [o.legs[0].origin, *(leg.destination for leg in o.legs)] if o.legs else []
        writer.writerow({
            "rank": rank, "corridor": o.corridor, "family": o.family, "pareto": o.pareto,
            "alternatives": o.alternatives, "days": round(o.days, 2),
            "cost_usd": round(o.cost_usd, 2), "co2e_kg": round(o.co2e_kg, 2),
            "co2e_ttw_kg": round(o.co2e_ttw_kg, 2), "transshipments": o.transshipments,
            "borders": o.borders, "distance_km": round(o.distance_km, 1),
            "wait_h": round(o.wait_h, 2), "depart": o.depart.isoformat(),
            "arrive": o.arrive.isoformat(),
            "places": " > ".join(place_label(network, i) for i in ids),
        })
    return buffer.getvalue()


def render_table(result: RoutePlan, network: Network | None = None) -> str:
    """The table output as plain text (for ``-o FILE``)."""
    out = Console(file=io.StringIO(), width=160, color_system=None, force_terminal=False)
    print_plan(result, network=network, out=out)
    text: str = out.file.getvalue()  # type: ignore[attr-defined]
    return text


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
    format: Annotated[RouteFormat, typer.Option(
        "--format", "-f", help="table, json, geojson, or csv (one row per option).")
    ] = RouteFormat.table,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False, help="Write to this file (any format).")] = None,
    data: DataOption = None,
    scenario: ScenarioOption = None,
) -> None:
    """Door-to-door route options with days, USD and CO2e, across the three corridors."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    when = parse_date(depart) if depart else today
    if when < today:
        err_console.print(f"warning: --depart {when:%Y-%m-%d} is in the past; the options use "
                          "the weekly timetables as they stand today")
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
    _show(result, network, format, output)


def _show(result: RoutePlan, network: Network, format: RouteFormat, output: Path | None) -> None:
    """Print the plan in ``format``, or write it to ``output``."""
    if format is RouteFormat.table:
        if output is None:
            print_plan(result, network=network)
            return
        text = render_table(result, network)
    elif format is RouteFormat.csv:
        text = options_csv(result, network)
    else:
        payload = (result.to_dict() if format is RouteFormat.json
                   else plan_geojson(network, result))
        text = json.dumps(payload, ensure_ascii=False, indent=2)
    if output is None:
        typer.echo(text.rstrip("\n"))
    else:
        write_text(output, text)
        err_console.print(f"wrote {output}")


def register(app: typer.Typer) -> None:
    """Add the ``route`` command to the command line."""
    app.command("route")(route_command)


#: The sample shipment ``midcorridor run`` answers: 40 TEU from Xi'an, ready 1 December 2026.
SAMPLE = ("Xi'an", ("Istanbul", "Duisburg"), 40.0, datetime(2026, 12, 1, tzinfo=UTC))


def show_sample_routes(network: Network, out: Path) -> None:
    """Print the route comparison for the sample shipment and write it as GeoJSON."""
    origin, destinations, teu, when = SAMPLE
    for destination in destinations:
        result = plan(network, origin, destination, cargo=Cargo(teu), depart=when)
        print_plan(result, legs=False, network=network)
        path = out / f"routes_{result.origin}_{result.destination}.geojson"
        write_text(path, json.dumps(plan_geojson(network, result), ensure_ascii=False))
        console.print(f"route options (GeoJSON): {path}")
