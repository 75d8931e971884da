"""The public transparency log (DESIGN.md "Transparency log", API.md "Public transparency log"):
an append-only RFC 6962 Merkle tree of every ledger entry, signed tree heads, inclusion and
consistency proofs, the day's public totals. Above books: it reads the ledger and its
write-order index (core.books.written); nothing below imports it."""
