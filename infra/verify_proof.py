#!/usr/bin/env python3
"""Check a proof of the public transparency log, standalone: Python's standard library and the
`cryptography` package only, nothing of this project (so an outsider can read all of it).

    python verify_proof.py PROOF.json --key KEY.json [--head HEAD.json]

PROOF.json is the answer of GET /api/v1/coins/ledger/{entry_id}/proof, KEY.json the answer of
GET /public/v1/log/key; --head checks against a head fetched on its own (GET
/public/v1/log/heads/...) instead of the one inside the proof. Checks: the head's Ed25519
signature; the leaf's hash (RFC 6962: SHA-256(0x00 || canonical JSON)); the leaf's inclusion at
its index in the head's tree (RFC 9162 section 2.1.3.2); the account commitment
HMAC-SHA256(salt, user_id) when the proof carries the user id. Exit 0 and `ok` when all hold,
exit 1 naming the first that fails.
The verification functions follow RFC 9162's algorithms word for word; they share no code with the
log that made the proof.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


class ProofError(Exception):
    pass


def canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def leaf_hash(leaf_bytes: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf_bytes).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes]) -> bytes:
    """RFC 9162 2.1.3.2: the root the proof leads to (ProofError when it cannot be a proof)."""
    if index >= size or index < 0:
        raise ProofError(f"leaf index {index} is not in a tree of {size}")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if len(p) != 32:
            raise ProofError("a proof hash is not 32 bytes")
        if sn == 0:
            raise ProofError("the proof is longer than the tree is high")
        if fn & 1 or fn == sn:
            r = _node(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = _node(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the proof is shorter than the tree is high")
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> None:
    if len(root) != 32 or root_from_inclusion(index, size, leaf, proof) != root:
        raise ProofError("the inclusion proof does not lead to the head's root hash")


def verify_consistency(
    size1: int, size2: int, proof: list[bytes], root1: bytes, root2: bytes
) -> None:
    """RFC 9162 2.1.4.2: the tree of size2 (root2) extends the tree of size1 (root1)."""
    if size1 <= 0 or size2 < size1:  # from the empty tree a proof proves nothing (RFC 9162)
        raise ProofError(f"size {size1} cannot precede size {size2}")
    if size1 == size2:
        if proof or root1 != root2:
            raise ProofError("equal sizes need an empty proof and equal roots")
        return
    if not proof or any(len(c) != 32 for c in proof):
        raise ProofError("empty proof or a hash that is not 32 bytes")
    if size1 & (size1 - 1) == 0:
        proof = [root1] + list(proof)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            raise ProofError("the proof is longer than the tree is high")
        if fn & 1 or fn == sn:
            fr, sr = _node(c, fr), _node(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = _node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or fr != root1 or sr != root2:
        raise ProofError("the consistency proof does not lead to both roots")


def verify_head(head: dict, key: dict) -> None:
    """The head's signature: Ed25519 over the canonical JSON of the head without `signature`."""
    if key.get("algorithm") != "ed25519" or head.get("key_id") != key.get("key_id"):
        raise ProofError("the head was not signed with this key")
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key["public_key"]))
    unsigned = {k: v for k, v in head.items() if k != "signature"}
    try:
        public.verify(base64.b64decode(head["signature"]), canonical(unsigned))
    except (InvalidSignature, ValueError, KeyError):
        raise ProofError("the head's signature is not valid") from None


def verify_proof(proof: dict, key: dict, head: dict | None = None) -> None:
    head = head or proof["head"]
    verify_head(head, key)
    if int(head["tree_size"]) != int(proof["tree_size"]):
        raise ProofError("the proof is for another tree size than the head")
    leaf = leaf_hash(canonical(proof["leaf"]))
    if "leaf_hash" in proof and bytes.fromhex(proof["leaf_hash"]) != leaf:
        raise ProofError("the leaf does not hash to the proof's leaf hash")
    path = [bytes.fromhex(h) for h in proof["inclusion_proof"]]
    verify_inclusion(
        int(proof["leaf_index"]),
        int(head["tree_size"]),
        leaf,
        path,
        bytes.fromhex(head["root_hash"]),
    )
    if proof.get("user_id") is not None:
        mine = hmac.new(
            bytes.fromhex(proof["salt"]), proof["user_id"].encode(), hashlib.sha256
        ).hexdigest()
        if not hmac.compare_digest(mine, proof["leaf"]["account"]):
            raise ProofError("the leaf's account is not this user under this salt")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description="Check a transparency-log proof with the log's published key."
    )
    ap.add_argument("proof")
    ap.add_argument("--key", required=True)
    ap.add_argument("--head", default=None)
    args = ap.parse_args(argv)

    def load(path):
        with open(path, encoding="utf-8") as f:
            return json.load(f)

    try:
        verify_proof(load(args.proof), load(args.key), load(args.head) if args.head else None)
    except (ProofError, KeyError, ValueError, TypeError) as e:
        print(f"FAILED: {e}", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
