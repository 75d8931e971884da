"""Pydantic models shared by several blueprints (errors, pages)."""
from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator


class ErrorBody(BaseModel):
    code: str
    message: str
    request_id: str


class Error(BaseModel):
    error: ErrorBody


def _iso_day(value):
    # pydantic's lax date also takes numbers (0 → 1970-01-01) and datetimes; the contract says YYYY-MM-DD.
    # [0-9], not \d (which takes "٢٠٢٦"); years 2000-2999 only: the calendar's edges (0001-01-01,
    # 9999-12-31) overflow when a day is turned into UTC bounds, and no record of ours lies outside.
    import re

    if isinstance(value, str) and re.fullmatch(r"2[0-9]{3}-[0-9]{2}-[0-9]{2}", value):
        return value
    raise ValueError("expected a date as YYYY-MM-DD between 2000-01-01 and 2999-12-31")


Day = Annotated[date, BeforeValidator(_iso_day)]
