"""Registers the simulators of outside systems other than WeChat with the local stack."""
