"""One module per capability's demo data, each with seed(settings) -> short summary."""
