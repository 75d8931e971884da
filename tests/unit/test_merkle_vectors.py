"""The log's hashing and proofs against the RFC 6962 / RFC 9162 test vectors of
transparency-dev/merkle (tests/data/merkle/README.md): the standalone verifier
(infra/verify_proof.py) must accept every happy probe and refuse every broken one, and the log's
own proofs (core.transparency.nodes over stored tiles) must equal the vectors' proofs."""

import base64
import json
import pathlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.transparency import nodes, rfc6962, tiles
from infra import verify_proof

DATA = pathlib.Path(__file__).parent.parent / "data" / "merkle"
TREE = json.loads((DATA / "rfc6962_tree.json").read_text())
LEAVES = [bytes.fromhex(x) for x in TREE["leaf_inputs"]]


def _probes(kind):
    for path in sorted((DATA / kind).rglob("*.json")):
        p = json.loads(path.read_text())
        b = {
            k: [base64.b64decode(x) for x in v or []]
            if k == "proof"
            else (base64.b64decode(v) if isinstance(v, str) and k != "desc" else v)
            for k, v in p.items()
        }
        yield pytest.param(b, id=str(path.relative_to(DATA)))


@pytest.mark.parametrize("p", list(_probes("inclusion")))
def test_verifier__inclusion_probes(p):
    args = (p["leafIdx"], p["treeSize"], p["leafHash"] or b"", p["proof"] or [], p["root"] or b"")
    if p["wantErr"]:
        with pytest.raises(verify_proof.ProofError):
            verify_proof.verify_inclusion(*args)
    else:
        verify_proof.verify_inclusion(*args)


@pytest.mark.parametrize("p", list(_probes("consistency")))
def test_verifier__consistency_probes(p):
    args = (p["size1"], p["size2"], p["proof"] or [], p["root1"] or b"", p["root2"] or b"")
    if p["wantErr"]:
        with pytest.raises(verify_proof.ProofError):
            verify_proof.verify_consistency(*args)
    else:
        verify_proof.verify_consistency(*args)


def test_hashing__rfc_tree_roots_and_nodes():
    hashes = [rfc6962.hash_leaf(x) for x in LEAVES]
    assert [h.hex() for h in hashes] == TREE["node_hashes"][0]
    for size, want in enumerate(TREE["root_hashes"]):
        assert rfc6962.mth(hashes[:size]).hex() == want
    for level, row in enumerate(TREE["node_hashes"]):
        for index, want in enumerate(row):
            assert rfc6962.mth(hashes[index << level : (index + 1) << level]).hex() == want


def _stored(leaf_hashes):
    """A tree built by the streaming builder and read back only through its tiles."""
    b, store = tiles.Builder(), {}
    for h in leaf_hashes:
        store.update({(t, j): blob for t, j, blob in b.add(h)})
    store.update({(t, j): blob for t, j, blob in b.partial_tiles()})

    def node(level, index):
        (t, j), offset, count = tiles.tile_span(level, index)
        return tiles.node_hash(store[(t, j)], offset, count)

    return b, node


def _proof(ids: nodes.Nodes, node):
    return ids.rehash([node(level, index) for level, index in ids.ids], rfc6962.hash_children)


@pytest.mark.parametrize("p", [p for p in _probes("inclusion") if p.id.endswith("happy-path.json")])
def test_proofs__inclusion_equals_the_vectors(p):
    _, node = _stored([rfc6962.hash_leaf(x) for x in LEAVES[: p["treeSize"]]])
    probe = p
    assert _proof(nodes.inclusion(probe["leafIdx"], probe["treeSize"]), node) == probe["proof"]


@pytest.mark.parametrize(
    "p", [p for p in _probes("consistency") if p.id.endswith("happy-path.json")]
)
def test_proofs__consistency_equals_the_vectors(p):
    probe = p
    _, node = _stored([rfc6962.hash_leaf(x) for x in LEAVES[: probe["size2"]]])
    assert _proof(nodes.consistency(probe["size1"], probe["size2"]), node) == probe["proof"]


@settings(max_examples=60, deadline=None)
@given(size=st.integers(1, 700), data=st.data())
def test_proofs__any_tree_any_leaf_verifies_and_roots_agree(size, data):
    hashes = [rfc6962.hash_leaf(i.to_bytes(4, "big")) for i in range(size)]
    builder, node = _stored(hashes)
    root = rfc6962.mth(hashes)
    assert builder.root() == root
    index = data.draw(st.integers(0, size - 1))
    proof = _proof(nodes.inclusion(index, size), node)
    verify_proof.verify_inclusion(index, size, hashes[index], proof, root)
    with pytest.raises(verify_proof.ProofError):
        verify_proof.verify_inclusion(index, size, rfc6962.hash_leaf(b"changed"), proof, root)
    first = data.draw(st.integers(1, size))
    cproof = _proof(nodes.consistency(first, size), node)
    verify_proof.verify_consistency(first, size, cproof, rfc6962.mth(hashes[:first]), root)
    resumed = tiles.Builder.resume(first, lambda t, j: _tile(builder, node, t, j))
    for h in hashes[first:]:
        resumed.add(h)
    assert resumed.root() == root


def _tile(builder, node, t, j):  # a stored tile's bytes, as the log's table returns them
    return b"".join(
        node(t * tiles.HEIGHT, j * tiles.WIDTH + k)
        for k in range(tiles.WIDTH)
        if (j * tiles.WIDTH + k) < builder.size >> (t * tiles.HEIGHT)
    )
