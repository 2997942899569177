"""The registry track's rules: persons, their names and identifiers, events and derived status."""
