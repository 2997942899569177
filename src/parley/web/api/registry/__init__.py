"""The registry track over HTTP: persons, events, imports."""
