"""Cascade: track leadership-training networks run by the cascade model."""

__version__ = "0.1.0"
