"""Pure model and rules: no I/O, no framework, imports nothing else from Parley."""
