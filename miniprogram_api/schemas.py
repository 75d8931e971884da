"""Pydantic models shared by several blueprints (errors, pages)."""
from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator

from core.localday import parse_date


class ErrorBody(BaseModel):
    code: str
    message: str
    request_id: str


class Error(BaseModel):
    error: ErrorBody


# pydantic's lax date also takes numbers (0 → 1970-01-01) and datetimes; the contract says YYYY-MM-DD,
# read by the one date parser (core.localday), whose error is also a ValueError pydantic reports.
Day = Annotated[date, BeforeValidator(parse_date)]
