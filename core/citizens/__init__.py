"""Citizens: users, tokens, consent, their coins as they see them, appeals, privacy and erasure,
phone, the official account."""
