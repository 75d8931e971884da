"""Pydantic models shared by several blueprints (errors, pages)."""
from pydantic import BaseModel


class ErrorBody(BaseModel):
    code: str
    message: str
    request_id: str


class Error(BaseModel):
    error: ErrorBody
