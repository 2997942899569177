"""The registry track's commands: persons, events, imports."""
