"""The remains track's console screens."""
