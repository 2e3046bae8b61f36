"""Brink: agent-based simulation of international crises and alliance dynamics."""

__version__ = "0.1.0"
