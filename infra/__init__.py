"""Tables from the models, the local stack (serialised AWS endpoint, WeChat and
Yangchengtong simulators, demo seed), deployment templates and the ops CLI."""
