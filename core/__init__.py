"""The business: pure rules and service functions over the models.

Layers, bottom to top. A module imports only from its own package, the basics, and the layers
below its own; two packages of one rank (carbon, mall) never import each other; no two modules
import each other (tests/unit/test_import_direction.py reads every import, lazy ones too):

- basics (the modules directly in core/: settings, errors, logs, metrics, localday, cursors,
  hashing, jsonbounds, ratelimit, retry, runlog, secretbox, idempotency): what every layer needs, no domain at all;
- books/: coins as double entry (ledger, platform accounts, legs, checks, adjustments, shares), and the
  platform's yuan as double entry in fen (yuan, fen),
  knowing nothing of carbon, goods or citizens;
- transparency/: the public log of ledger entries, built from books alone;
- notices/: how a domain tells people things (the outbox, its states, subscribe messages and texts);
- carbon/ (earning: behaviours, methodologies, settlement, the records behind a credit, the
  footprint's roll-ups) | mall/ (spending: goods, orders, codes, payments): books and notices only;
- enterprise/: organisations, projects, readings, certification, PHCER batches, export, feedback;
- citizens/: users, tokens, consent, their coins as they see them, appeals, privacy, erasure.

A lower layer that needs something from above is handed it (a value, a small function) by the
composition root, bootstrap.py; the edges (miniprogram_api, functions, infra, gateways,
bootstrap) sit outside the order, and core never imports them.
"""

# The order above as data (the one list the import test reads): a tuple a rank, bottom first,
# below everything the basics. A listed package that does not exist yet is simply skipped.
LAYERS = (
    ("books",),
    ("transparency",),
    ("notices",),
    ("carbon", "mall"),
    ("enterprise",),
    ("citizens",),
)
