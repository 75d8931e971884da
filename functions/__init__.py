"""Non-HTTP Lambda entry points: each handler(event, context) parses and delegates."""
