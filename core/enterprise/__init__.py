"""Organisations: their projects, metered readings, certification, PHCER batches, export, sale and feedback."""
