"""The mall: catalogue, orders, redemption codes, merchants, expiry."""
