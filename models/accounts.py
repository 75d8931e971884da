import re

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from models.base import table

# The citizen's footprint, year by year (core.carbon.footprint): top-level numbers fp_g_YYYY
# (grams) and fp_c_YYYY (coins) that each settlement credit ADDs in its own transaction
# (core.books.ledger Movement.rollups). Top-level because DynamoDB's ADD works on top-level
# attributes only and needs nothing to exist first; a new account is put with them
# (`Account.with_rollups`). A model cannot declare names made at run time: read them from the
# raw item (models.base.get_items) with `rollups_of`.
ROLLUP = re.compile(r"fp_([gc])_([0-9]{4})")
# The city ranking's period roll-ups (core.carbon.rankings): grams of an ISO week (rw_YYYYWW) or a
# month (rm_YYYYMM), added by the same credits; a credit also removes stale ones (value None).
PERIOD = re.compile(r"r[wm]_[0-9]{6}")


def is_rollup(name: str) -> bool:
    return bool(ROLLUP.fullmatch(name) or PERIOD.fullmatch(name))


def rollup_name(kind: str, year: str) -> str:
    """kind g (grams) or c (coins); year YYYY."""
    return _checked(f"fp_{kind}_{year}")


def rollup_add(name: str, n: int):
    """The update action adding n to the roll-up `name` (ADD: it need not exist yet)."""
    return NumberAttribute(attr_name=_checked(name)).add(n)


def rollup_remove(name: str):
    """The update action removing the roll-up `name` (a period the ranking no longer reads)."""
    return NumberAttribute(attr_name=_checked(name)).remove()


def _checked(name: str) -> str:
    if not is_rollup(name):
        raise ValueError(f"not a roll-up: {name!r}")
    return name


def rollups_of(raw: dict | None) -> dict[str, dict[str, int]]:
    """{year: {"g": grams, "c": coins}} of a raw account item (typed attributes, as the client returns it)."""
    out: dict[str, dict[str, int]] = {}
    for name, value in (raw or {}).items():
        if m := ROLLUP.fullmatch(name):
            out.setdefault(m.group(2), {"g": 0, "c": 0})[m.group(1)] = int(value["N"])
    return out


@table("accounts")
class Account(Model):
    """A citizen's coin account. Changed only together with a ledger entry, in one
    transaction (core.books.ledger); `version` is the optimistic-concurrency guard.
    Besides these attributes it holds the footprint's year roll-ups (ROLLUP, above): an existing
    account is only ever updated, never put again (a put would drop them)."""

    class Meta:
        table_name = "accounts"

    user_id = UnicodeAttribute(hash_key=True)
    balance = NumberAttribute(default=0)
    earned_total = NumberAttribute(default=0)
    spent_total = NumberAttribute(default=0)
    grams_total = NumberAttribute(default=0)  # grams settled into coins, all time
    coins_from_grams = NumberAttribute(default=0)  # coins credited for reductions (carry-over rule)
    carry_grams = NumberAttribute(
        null=True
    )  # settled grams not yet a coin (None: from before, see settlement)
    version = NumberAttribute(default=0)
    updated_at = UTCDateTimeAttribute(null=True)
    # Set when the citizen deleted the account (core.citizens.erasure): nothing is credited after.
    closed_at = UnicodeAttribute(null=True)

    def serialize(self, null_check: bool = True) -> dict:
        """The declared attributes and, on a new account, the roll-ups it is put with (`with_rollups`)."""
        return {
            **super().serialize(null_check),
            **{k: {"N": str(n)} for k, n in getattr(self, "_rollups", {}).items()},
        }

    def with_rollups(self, rollups: dict) -> "Account":
        """This new account with its first roll-ups (names checked), so one put writes the whole item."""
        self._rollups = {
            _checked(k): int(n) for k, n in rollups.items() if n
        }  # None: nothing to remove yet
        return self
