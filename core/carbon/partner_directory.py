"""The partners a citizen can link (GET /api/v1/partners): the link page lists them with the
scenarios each reports, so no partner id is typed by hand.

Invariants:
- A partner's directory row (models.directory, section "partner") is written by its onboarding and
  by every change of its scenarios (core.carbon.partner_admin), after the partner's own record:
  a crash in between leaves the partner unlisted until its scope is set again
  (`tanpuhui partner scope`), never listed with scenarios it does not have.
- No secret, cap or key is in a row: only the id, the name and the scenario codes.
Reads on a request: one Query (a page: `limit` rows from the cursor, core.cursors). Never a Scan.
"""

from __future__ import annotations

from core import cursors
from models.directory import DirectoryEntry

KIND = "partner"


def list_row(partner_id: str, name: str, scenarios) -> None:
    DirectoryEntry(
        KIND, partner_id, entry_id=partner_id, name=name, scenarios=sorted(scenarios or [])
    ).save()


def partners(limit: int, cursor: str | None) -> dict:
    """A page of the partners by id, paged like every list (API.md Conventions, Lists)."""
    start = cursors.decode(cursor, cursors.DIRECTORY, section=KIND)
    page = DirectoryEntry.query(KIND, limit=limit, last_evaluated_key=start)
    return {
        "items": [
            {"id": r.entry_id, "name": r.name, "scenarios": list(r.scenarios or [])} for r in page
        ],
        "next_cursor": cursors.encode(page.last_evaluated_key),
    }
