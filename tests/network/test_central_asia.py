"""Central Asia in the data set: origins, border crossings, routes to the Caspian, local names."""

from __future__ import annotations

import re
from collections import deque

import pytest

from midcorridor.network import Mode, Network, find_place, is_caspian_port, normalize


@pytest.mark.parametrize(
    ("query", "node_id"),
    [
        ("Tashkent", "UZTAS"),
        ("Ташкент", "UZTAS"),
        ("Toshkent", "UZTAS"),
        ("Тошкент", "UZTAS"),
        ("塔什干", "UZTAS"),
        ("Samarqand", "UZSKD"),
        ("Самарканд", "UZSKD"),
        ("Navoiy", "UZNV0"),
        ("Бишкек", "KGFRU"),
        ("Bishkek", "KGFRU"),
        ("比什凯克", "KGFRU"),
        ("Aşgabat", "TMASB"),
        ("Ашхабад", "TMASB"),
        ("Хоргос", "CNKHO"),
        ("霍尔果斯", "CNKHO"),
        ("Қорғас", "KZAKL"),
        ("Ақтау", "KZAAU"),
        ("Актау", "KZAAU"),
        ("Құрық", "KZKUR"),
        ("Алматы", "KZALA"),
        ("Достық", "KZDST"),
        ("Туркменбаши", "TMKRW"),
        ("Türkmenbaşy", "TMKRW"),
        ("Сарыағаш", "KZSG0"),
        ("Ambarlı", "TRAM0"),
    ],
)
def test_local_names_find_the_place(corridor: Network, query: str, node_id: str) -> None:
    """Russian, Kazakh, Uzbek, Turkmen and Chinese names find the place a user means."""
    assert find_place(corridor, query).id == node_id


def test_no_alias_names_two_places(corridor: Network) -> None:
    """Oracle from the raw names: no folded name or alias belongs to two nodes."""
    owner: dict[str, str] = {}
    for node in corridor.nodes.values():
        for name in {node.id, node.name, *node.aliases}:
            key = normalize(name)
            assert owner.setdefault(key, node.id) == node.id, (name, owner[key], node.id)


def _reachable_by_rail(network: Network, start: str, goal: str, avoid: set[str]) -> bool:
    """Breadth-first search over rail links, written apart from the planner."""
    seen, queue = {start}, deque([start])
    while queue:
        here = queue.popleft()
        if here == goal:
            return True
        for arc in network.arcs_from(here):
            if arc.link.mode is Mode.RAIL and arc.head not in seen and arc.head not in avoid:
                seen.add(arc.head)
                queue.append(arc.head)
    return False


@pytest.mark.parametrize("origin", ["UZTAS", "UZSKD", "UZNV0", "KGFRU", "TMASB"])
@pytest.mark.parametrize("port", ["KZAAU", "KZKUR", "TMKRW"])
def test_origins_reach_caspian_ports_by_rail(corridor: Network, origin: str, port: str) -> None:
    """Every new origin reaches Aktau, Kuryk and Turkmenbashi by rail alone."""
    assert is_caspian_port(corridor.nodes[port])
    assert _reachable_by_rail(corridor, origin, port, avoid=set())


def test_uzbekistan_reaches_turkmenbashi_without_kazakhstan(corridor: Network) -> None:
    """Through Khodjadavlet and Turkmenabat, Tashkent reaches Turkmenbashi avoiding Kazakh track."""
    kazakh = {n for n, node in corridor.nodes.items() if node.country == "KZ"}
    assert _reachable_by_rail(corridor, "UZTAS", "TMKRW", avoid=kazakh)


def test_border_crossings_are_marked(corridor: Network) -> None:
    """Links between two countries are border links, and the new crossings exist."""
    for link in corridor.links:
        a, b = corridor.nodes[link.origin], corridor.nodes[link.destination]
        if a.country != b.country and "XX" not in (a.country, b.country):
            assert link.border, link.id
    pairs = {
        frozenset((corridor.nodes[lk.origin].country, corridor.nodes[lk.destination].country))
        for lk in corridor.links
        if lk.border
    }
    for pair in ({"UZ", "KZ"}, {"UZ", "TM"}, {"KG", "KZ"}, {"KZ", "TM"}):
        assert frozenset(pair) in pairs, pair


def test_china_kyrgyzstan_uzbekistan_scenario(corridor: Network) -> None:
    """The railway under construction opens a rail path Kashgar-Andijan-Tashkent."""
    scenario = corridor.scenarios["china_kyrgyzstan_uzbekistan"]
    assert scenario.status == "under_construction"
    assert scenario.expected == "2030"
    opened = corridor.with_scenarios(["china_kyrgyzstan_uzbekistan"])
    assert not _reachable_by_rail(corridor, "CNURC", "UZTAS", avoid={"KZAKL", "KZDST"})
    assert _reachable_by_rail(opened, "CNURC", "UZTAS", avoid={"KZAKL", "KZDST"})


def test_every_place_in_the_region_has_a_russian_name(corridor: Network) -> None:
    """From China to Georgia each place answers to a Cyrillic name; Chinese places also to hanzi."""
    cyrillic, hanzi = re.compile("[\u0400-\u04ff]"), re.compile("[\u4e00-\u9fff]")
    region = {"CN", "KZ", "UZ", "KG", "TM", "AZ", "GE", "RU", "BY"}
    for node in corridor.nodes.values():
        if node.country not in region:
            continue
        names = " ".join(node.aliases)
        assert cyrillic.search(names), node.id
        if node.country == "CN":
            assert hanzi.search(names), node.id
