"""The sale of a PHCER batch: sealed -> sold, once, with its money.

Invariants:
- A batch is sold once (sealed -> sold), from the exchange's trade confirmation checked by
  core.enterprise.sale against what the batch certified, the day it was sealed and today.
- The sale and its money (core.books.yuan: gross, fees, net kept) are written in one
  transaction: no batch sold without its money, no money booked twice.
- The same confirmation again changes nothing; another confirmation of a sold batch is refused
  (AlreadySold), and so is the sale of a batch that is not sealed (BatchState).
Feedback (core.enterprise.feedback) then takes the batch sold -> fed_back.
"""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core import localday
from core.books import yuan
from core.enterprise import sale as sales
from core.enterprise.phcer import BatchState, get_batch
from core.errors import Conflict
from core.localday import stamp as _now  # UTC storage time, one home
from core.logs import log
from models.phcer import PhcerBatch


class AlreadySold(Conflict):
    code, message, message_zh = (
        "already_sold",
        "This batch was sold already.",
        "该批次已售出，一个批次只能售出一次。",
    )


def _sealed_day(b: PhcerBatch) -> str:
    return localday.day_of(datetime.fromisoformat(b.sealed_at))


def record_sale(bid: str, c: sales.Confirmation, by: str) -> tuple[PhcerBatch, bool]:
    """sealed -> sold from a checked confirmation; returns (batch, changed). The same confirmation
    again changes nothing; any other sale of the batch is refused (AlreadySold)."""
    b = get_batch(bid)
    if b.status in ("sold", "fed_back"):
        if b.sale == c.to_dict():
            return b, False
        raise AlreadySold(
            f"Batch {bid} was sold already (trade {b.sale['trade_ref']}); a batch is sold once.",
            zh=f"批次 {bid} 已售出（成交编号 {b.sale['trade_ref']}），一个批次只能售出一次。",
        )
    if b.status != "sealed":
        raise BatchState("Only a sealed batch can be sold.", zh="只有已封存的批次才能售出。")
    sales.check_against(c, int(b.grams or 0), _sealed_day(b), localday.today())
    money = yuan.make(
        f"phcer_sale#{bid}",
        {"exchange:gross": -c.gross_fen, "exchange:fees": c.fees_fen, "proceeds:kept": c.net_fen},
        {"batch_id": bid, "trade_ref": c.trade_ref, "trade_date": c.trade_date},
    )
    try:
        with TransactWrite(connection=models.connection()) as tx:
            tx.update(
                PhcerBatch(b.org_id, b.batch_no),
                actions=[
                    PhcerBatch.status.set("sold"),
                    PhcerBatch.sale.set(c.to_dict()),
                    PhcerBatch.sold_yuan.set(sales.yuan(c.net_fen)),
                    PhcerBatch.sold_at.set(_now()),
                    PhcerBatch.sold_by.set(by),
                ],
                condition=PhcerBatch.status == "sealed",
            )  # sold once
            tx.save(money, condition=yuan.condition())  # its money is booked with it, once
    except TransactWriteError:
        return record_sale(bid, c, by)  # sold meanwhile: answered as a replay or refused above
    log(
        "phcer_sold",
        batch_id=bid,
        trade_ref=c.trade_ref,
        tonnes=str(c.tonnes),
        net_yuan=sales.yuan(c.net_fen),
        by=by,
    )
    return get_batch(bid), True
