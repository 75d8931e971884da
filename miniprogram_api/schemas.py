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
    import re

    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    raise ValueError("expected a date as YYYY-MM-DD")


Day = Annotated[date, BeforeValidator(_iso_day)]
