"""Place look-up by id, name or alias, folding case and accents, with suggestions."""

from __future__ import annotations

import pytest

from midcorridor.errors import UnknownPlaceError
from midcorridor.network import Network, find_place, normalize, search_places


@pytest.mark.parametrize(
    ("query", "node_id"),
    [
        ("KZAAU", "KZAAU"),
        ("kzaau", "KZAAU"),
        ("Aktau", "KZAAU"),
        ("AQTAU", "KZAAU"),
        ("Актау", "KZAAU"),
        ("Alyat", "AZALT"),
        ("Ələt", "AZALT"),
        ("elet", "AZALT"),
        ("alataw pass", "CNALK"),
        ("Dostyq", "KZDOS"),
    ],
)
def test_find_by_id_name_or_alias(corridor_minimal: Network, query: str, node_id: str) -> None:
    """Ids, names and aliases match whatever their case, accents and spacing."""
    assert find_place(corridor_minimal, query).id == node_id


def test_unknown_place_suggests_nearest(corridor_minimal: Network) -> None:
    """A misspelt name raises UnknownPlaceError naming the closest places."""
    with pytest.raises(UnknownPlaceError) as caught:
        find_place(corridor_minimal, "Aktay")
    assert caught.value.suggestions[0] == "Aktau (KZAAU)"
    assert "did you mean Aktau (KZAAU)" in str(caught.value)


def test_nonsense_has_no_suggestion(corridor_minimal: Network) -> None:
    """A query like nothing in the network raises without inventing suggestions."""
    with pytest.raises(UnknownPlaceError) as caught:
        find_place(corridor_minimal, "Zzyzx Qwerty")
    assert caught.value.suggestions == ()


def test_search_ranks_exact_match_first(corridor_minimal: Network) -> None:
    """An exact name comes before partial matches."""
    matches = search_places(corridor_minimal, "Alat")
    assert matches[0].node.id == "AZALT"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Xi'an", "xian"),
        ("XI AN", "xian"),
        ("Kapıkule", "kapikule"),
        ("Małaszewicze", "malaszewicze"),
        ("Constanța", "constanta"),
        ("Khorgos/Horgos", "khorgoshorgos"),
    ],
)
def test_normalize(text: str, folded: str) -> None:
    """Case, accents, punctuation and undecomposable letters fold to plain letters."""
    assert normalize(text) == folded


def test_packaged_aliases(corridor: Network) -> None:
    """Local spellings of the main places resolve in the packaged data set."""
    assert find_place(corridor, "Aqtau").id == find_place(corridor, "Aktau").id
    assert find_place(corridor, "Horgos").id == find_place(corridor, "Khorgos").id
    assert find_place(corridor, "xian").name.startswith("Xi")
