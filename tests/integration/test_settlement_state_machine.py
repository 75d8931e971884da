"""Random sequences of ingest / settle / re-settle / crash-mid-settle / spend, with the
ledger invariants checked after every step against a plain model of what is owed.

Runs on the local AWS endpoint (one per module, emptied per example), whose fault switch
crashes a settlement at its k-th write or loses the answer of a committed write."""

import urllib.request
from decimal import Decimal

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from pynamodb.exceptions import PynamoDBException

from core import settings as settings_mod
from core.books import checks, ledger
from core.carbon import rules, settlement_batches, settlement_runs
from core.carbon.methodologies import Registry
from tests.support.behaviours import add_behaviour
from tests.support.stack import free_port

USERS = ["ua", "ub", "uc"]
DATES = ["2026-11-21", "2026-11-22", "2026-11-23"]
SCENARIOS = {"metro": (1, 1), "bus": (1, 1), "walk": (9000, 31000), "bike": (1, 25)}


class SettlementMachine(RuleBasedStateMachine):
    endpoint = None  # set by the module's fixture

    @initialize()
    def start(self):
        from infra import tables

        self.endpoint.faults.clear()
        # moto keeps its state per process: start each example empty.
        urllib.request.urlopen(
            urllib.request.Request(self.endpoint.url + "/moto-api/reset", method="POST")
        ).read()
        self.s = settings_mod.use(
            settings_mod.Settings(
                stage="test",
                table_prefix="sm",
                settle_shards=2,
                log_level="WARNING",
                aws_endpoint=self.endpoint.url,
            )
        )
        tables.create_all(self.s)
        self.records = {}  # (user, date) -> {source_id: Record}
        self.spent = {u: 0 for u in USERS}
        self.n = 0

    @rule(
        user=st.sampled_from(USERS),
        date=st.sampled_from(DATES),
        scenario=st.sampled_from(sorted(SCENARIOS)),
        data=st.data(),
    )
    def ingest(self, user, date, scenario, data):
        lo, hi = SCENARIOS[scenario]
        qty = data.draw(st.integers(lo, hi))
        self.n += 1
        sid = date if scenario == "walk" else f"r{self.n}"
        previous = self.records.get((user, date), {}).get(sid)
        if previous is not None:
            # A lower WeRun re-upload is never clawed back (core.carbon.settlement), so "credited == owed"
            # holds only for re-uploads that raise the day; model those.
            qty = max(qty, int(previous.quantity))
        facts = {"duration_s": 600} if scenario == "bike" else None
        add_behaviour(
            self.s, user, date, scenario, qty, sid, at=f"{8 + self.n % 12:02d}:00", facts=facts
        )
        self.records.setdefault((user, date), {})[sid] = rules.Record(
            scenario, Decimal(qty), f"{date}T{8 + self.n % 12:02d}:00:00+08:00", sid, facts
        )

    @rule(user=st.sampled_from(USERS), date=st.sampled_from(DATES))
    def poisoned_record(self, user, date):
        """A stored record whose facts break its scenario's rules: quarantined, never owed."""
        self.n += 1
        add_behaviour(
            self.s,
            user,
            date,
            "bike",
            3,
            f"poison{self.n}",
            at="07:00",
            facts={"duration_s": "10 min"},
        )

    @rule(date=st.sampled_from(DATES))
    def late_mark_then_nightly(self, date):
        """Ingestion marks a settled day; the nightly run two days later settles it again."""
        from datetime import date as date_cls
        from datetime import timedelta

        from core.carbon import late
        from models.settlement import SettlementRun

        late.mark_settled_days({date})
        started = SettlementRun.count(date, SettlementRun.shard == late.DATE_RUN) > 0
        due = late.dates_to_settle(date_cls.fromisoformat(date) + timedelta(days=2))
        assert (date in due) == started
        if started:
            self.settle(date)
            assert date not in late.dates_to_settle(
                date_cls.fromisoformat(date) + timedelta(days=2)
            )

    @rule(date=st.sampled_from(DATES))
    def settle(self, date):
        summary = settlement_runs.run_date(self.s, date, workers=1)
        assert summary["failed_shards"] == []  # a quarantined record never stops its unit
        for user in USERS:  # after a full run every user-day is credited exactly its grams
            expected = sum(
                t.grams
                for t in rules.apply(
                    list(self.records.get((user, date), {}).values()), date, Registry()
                )
            )
            from models.settlement import SettledDay

            try:
                got = int(SettledDay.get(user, date).grams)
            except SettledDay.DoesNotExist:
                got = 0
            assert got == expected, (user, date, got, expected)

    @rule(
        date=st.sampled_from(DATES),
        shard=st.integers(0, 1),
        k=st.integers(1, 3),
        answer_lost=st.booleans(),
    )
    def crash_mid_settle(self, date, shard, k, answer_lost):
        """The k-th write of a shard's run fails: refused (the run stops there, as if crashed), or
        applied with its answer lost (the SDK retries it). Fewer than k writes: a clean run."""
        self.endpoint.faults.fail_write(k, after_applying=answer_lost)
        try:
            settlement_batches.settle_shard(self.s, date, shard)
        except PynamoDBException as e:
            assert not answer_lost and e.cause_response_code == "InternalServerError", e
        finally:
            self.endpoint.faults.clear()

    @rule(user=st.sampled_from(USERS), amount=st.integers(1, 80), answer_lost=st.booleans())
    def spend(self, user, amount, answer_lost):
        """A debit; its answer may be lost after it committed: the retry is a replay, not a second debit."""
        self.n += 1
        if answer_lost:
            self.endpoint.faults.fail_write(1, after_applying=True)
        try:
            ledger.post(
                ledger.Movement(
                    user, f"order#o{self.n}", -amount, "order", totals={"spent_total": amount}
                )
            )
            self.spent[user] += amount
        except ledger.InsufficientCoins:
            pass
        finally:
            self.endpoint.faults.clear()

    @invariant()
    def ledger_is_exact(self):
        if not hasattr(self, "s"):
            return
        assert checks.check_all() == []
        from core.books.platform import trial_balance

        assert trial_balance()["total"] == 0  # double entry: every movement has its platform legs
        for user in USERS:
            acc = ledger.read_account(user)
            if acc is None:
                continue
            assert acc.balance >= 0
            assert (
                acc.coins_from_grams == acc.grams_total // self.s.grams_per_coin
            )  # carry-over, no coin twice
            assert acc.balance == acc.coins_from_grams - self.spent[user]
            from models.settlement import SettledDay

            # No gram credited twice: the account's grams are exactly the user-days' credited grams,
            # and each of those never exceeds what the user's records are worth.
            days = list(SettledDay.query(user, consistent_read=True))
            assert acc.grams_total == sum(int(d.grams) for d in days)
            for d in days:
                owed = rules.apply(
                    list(self.records.get((user, d.date), {}).values()), d.date, Registry()
                )
                assert int(d.grams) <= sum(t.grams for t in owed)


@pytest.fixture(scope="module", autouse=True)
def endpoint():
    from infra.aws_endpoint import AwsEndpoint

    SettlementMachine.endpoint = AwsEndpoint(port=free_port()).start()
    yield SettlementMachine.endpoint
    SettlementMachine.endpoint.stop()


TestSettlementMachine = SettlementMachine.TestCase
TestSettlementMachine.settings = hsettings(
    max_examples=12, stateful_step_count=12, deadline=None, suppress_health_check=list(HealthCheck)
)
pytestmark = pytest.mark.xdist_group("statemachine")
