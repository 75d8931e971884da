"""Citizens: users, tokens, notifications, the official account."""
