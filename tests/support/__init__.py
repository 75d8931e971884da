"""Test helpers shared by every suite: the local stack fixture and the concurrency driver."""
