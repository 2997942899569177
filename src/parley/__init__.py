"""Parley: the humanitarian track of a negotiation, from first list to reunited family."""

__version__ = "0.1.0"
