"""The books: the ledger, platform accounts, legs, checks, adjustments, money shared without a remainder lost."""
