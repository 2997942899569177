"""Synthetic worlds: two parties' registries of invented people, and the truth behind them."""
