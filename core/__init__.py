"""The business: pure rules and service functions over the models."""
