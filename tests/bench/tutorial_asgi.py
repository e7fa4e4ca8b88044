"""ASGI entry point of the Channels-tutorial baseline (see baselines.py)."""

from tests.bench.baselines import tutorial_application

application = tutorial_application()
