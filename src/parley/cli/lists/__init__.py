"""The lists track's commands: lists, their checks and documents, bundles."""
