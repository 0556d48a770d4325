"""Finding places by id, name or alias, case- and accent-insensitively, with suggestions."""

from __future__ import annotations

import re
import unicodedata
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from midcorridor.errors import UnknownPlaceError

if TYPE_CHECKING:
    from midcorridor.network.model import Network, Node

_NOT_WORD = re.compile(r"[\W_]+")
# Letters that Unicode does not decompose into a base letter and an accent.
_FOLD = str.maketrans({"ə": "e", "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "þ": "th"})


def normalize(text: str) -> str:
    """Fold case, accents and punctuation: ``"Xi'an"`` and ``"XIAN"`` both become ``"xian"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub("", stripped)


@dataclass(frozen=True)
class PlaceMatch:
    """A node that matched a query, with the name that matched and a score out of 100."""

    node: Node
    matched: str
    score: float


_CUTOFF = 72.0
"""Fuzzy matches scoring below this (out of 100) are not offered as suggestions."""

_PARENTHESIS = re.compile(r"^(.*?)\s*\((.*)\)\s*$")


def _short_names(name: str) -> tuple[str, ...]:
    """``"Alat (Port of Baku)"`` is also known as ``"Alat"`` and ``"Port of Baku"``."""
    match = _PARENTHESIS.match(name)
    return (match.group(1), match.group(2)) if match else ()


_INDEXES: dict[int, dict[str, tuple[Node, str]]] = {}


def _index(network: Network) -> dict[str, tuple[Node, str]]:
    """Folded names to nodes; on a clash ids win over names, names over aliases.

    Built once per network (the network is immutable) and dropped with it.
    """
    key = id(network)
    index = _INDEXES.get(key)
    if index is None:
        index = _INDEXES[key] = _build_index(network)
        weakref.finalize(network, _INDEXES.pop, key, None)
    return index


def _build_index(network: Network) -> dict[str, tuple[Node, str]]:
    index: dict[str, tuple[Node, str]] = {}
    nodes = network.nodes.values()
    passes = (
        lambda n: (n.id,),
        lambda n: (n.name,),
        lambda n: n.aliases,
        lambda n: _short_names(n.name),
    )
    for names_of in passes:
        for node in nodes:
            for name in names_of(node):
                index.setdefault(normalize(name), (node, name))
    return index


def _similarity(query: str, name: str, **_: object) -> float:
    """Blend of token-aware similarity and edit distance, out of 100.

    Edit distance ranks a one-letter slip ("Aktay") above a longer name that merely contains
    the same letters ("Aktogay").
    """
    return 0.5 * fuzz.WRatio(query, name) + 50.0 * Levenshtein.normalized_similarity(query, name)


def find_place(network: Network, query: str) -> Node:
    """The node whose id, name or alias equals ``query`` after folding case and accents.

    Raises :class:`UnknownPlaceError` with the nearest names when nothing matches exactly.
    """
    key = normalize(query)
    if key:
        hit = _index(network).get(key)
        if hit is not None:
            return hit[0]
    raise _unknown(network, query)


def node_by_id(network: Network, node_id: str) -> Node:
    """The node whose id is exactly ``node_id`` (no name or alias look-up).

    Raises :class:`UnknownPlaceError` with the look-up's nearest names when there is none.
    """
    node = network.nodes.get(node_id)
    if node is not None:
        return node
    raise _unknown(network, node_id)


def _unknown(network: Network, query: str) -> UnknownPlaceError:
    """The error for ``query`` matching nothing, with the three nearest names as hints (a
    node matched by its id is shown by its name).
    """
    suggestions = [f"{m.node.name if m.matched == m.node.id else m.matched} ({m.node.id})"
                   for m in search_places(network, query, limit=3)]
    return UnknownPlaceError(query, suggestions)


def search_places(network: Network, query: str, *, limit: int = 10) -> list[PlaceMatch]:
    """Nodes ranked by how well one of their names matches ``query`` (exact matches first)."""
    index = _index(network)
    key = normalize(query)
    if not key:
        return []
    results = process.extract(key, list(index), scorer=_similarity, limit=limit * 4)
    best: dict[str, PlaceMatch] = {}
    for name_key, score, _ in results:
        node, name = index[name_key]
        if name_key == key:
            score = 101.0
        elif name_key.startswith(key):
            score = max(score, 95.0)
        if score < _CUTOFF:
            continue
        if node.id not in best or best[node.id].score < score:
            best[node.id] = PlaceMatch(node, name, min(float(score), 100.0))
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.node.name))
    return ranked[:limit]
