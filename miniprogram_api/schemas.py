"""Shapes shared by several blueprints (errors, dates)."""

from miniprogram_api.shapes import Day, Model

__all__ = ["Day", "Error", "ErrorBody"]


class ErrorBody(Model):
    code: str
    message: str
    request_id: str


class Error(Model):
    error: ErrorBody
