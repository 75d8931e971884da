"""Test events as JSON files under tests/events, loaded by name."""

import json
import os

EVENTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "events")


def load_event(name: str) -> dict:
    with open(os.path.join(EVENTS, name + ".json"), encoding="utf-8") as f:
        return json.load(f)
