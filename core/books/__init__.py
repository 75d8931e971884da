"""The books: the ledger, accounts as citizens see them, reports."""
