"""Telling people things: the outbox of notices, their states, subscribe messages and their texts."""
