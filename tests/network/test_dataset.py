"""The packaged data set: coverage the issue asks for, and every figure accounted for."""

from __future__ import annotations

from midcorridor.network import Mode, Network, find_place, summarize
from midcorridor.network.places import normalize


def test_size_and_coverage(corridor: Network) -> None:
    """At least 60 nodes, both Caspian crossings and the rival routes' key places."""
    assert len(corridor.nodes) >= 60
    for name in (
        "Aktau",
        "Kuryk",
        "Alat",
        "Turkmenbashi",
        "Dostyk",
        "Altynkol",
        "Poti",
        "Batumi",
        "Kars",
        "Istanbul",
        "Constanta",
        "Malaszewicze",
        "Duisburg",
        "Piraeus",
        "Rotterdam",
        "Xi'an",
        "Chongqing",
        "Urumqi",
        "Lianyungang",
    ):
        node = find_place(corridor, name)
        # The place found is the one asked for, by its name or one of its aliases.
        names = {node.name, *node.aliases, node.name.split(" (")[0]}
        assert any(normalize(name) == normalize(n) for n in names), (name, node.id, names)
    caspian = {find_place(corridor, n).id for n in ("Aktau", "Kuryk", "Alat", "Turkmenbashi")}
    assert len(caspian) == 4
    assert any(link.mode is Mode.FERRY and {link.origin, link.destination} <= caspian
               for link in corridor.links), "no ferry link between two Caspian ports"


def test_every_figure_has_provenance(corridor: Network) -> None:
    """Each number in nodes and links is sourced or an assumption with a reason."""
    for link in corridor.links:
        for figure in ("distance_km", "hours"):
            provenance = corridor.provenance_of("links", link.id, figure)
            assert provenance is not None, (link.id, figure)
            assert provenance.sources or provenance.assumption
    for node in corridor.nodes.values():
        assert corridor.provenance_of("nodes", node.id, "coordinates") is not None, node.id


def test_sources_are_complete(corridor: Network) -> None:
    """Every cited source has a title, a date and an address or a note."""
    cited = {sid for p in corridor.provenance.values() for sid in p.sources}
    assert cited <= set(corridor.sources)
    for source in corridor.sources.values():
        assert source.title
        assert source.date
        assert (source.url or source.note)


def test_caspian_crossings_are_ferry_links(corridor: Network) -> None:
    """Aktau and Kuryk each reach Alat across the Caspian by a sea or ferry link."""
    alat = find_place(corridor, "Alat").id
    for port in ("Aktau", "Kuryk"):
        port_id = find_place(corridor, port).id
        assert any(
            arc.head == alat and arc.link.mode in (Mode.FERRY, Mode.SEA)
            for arc in corridor.arcs_from(port_id)
        ), port


def test_scenarios_switch_on(corridor: Network) -> None:
    """Every scenario applies cleanly and is recorded as active."""
    for scenario_id in corridor.scenarios:
        changed = corridor.with_scenarios([scenario_id])
        assert scenario_id in changed.active_scenarios
        assert summarize(changed).nodes >= len(corridor.nodes)


def test_own_codes_are_no_place_code(corridor: Network) -> None:
    """The ids found to be other places' UN/LOCODEs are gone; codes with a 0 are our own."""
    retired = {"CNZZH", "KZSHU", "TRKRS", "TRKAY", "TRKSK", "RUCHL", "RUSMK", "PLMAL"}
    assert not retired & set(corridor.nodes)
    every_link_end = {end for lk in corridor.links for end in (lk.origin, lk.destination)}
    assert not retired & every_link_end
    for node in corridor.nodes.values():
        if "0" in node.id[2:] or "1" in node.id[2:]:
            assert not node.locode, node.id


def test_chongqing_is_the_tuanjiecun_terminal(corridor: Network) -> None:
    """Chongqing's point is the Tuanjiecun container terminal, west of the city centre."""
    chongqing = find_place(corridor, "Tuanjiecun")
    assert chongqing.id == "CNCKG"
    assert chongqing.lon < 106.45  # the city centre (Jiefangbei) lies at about 106.58 E
