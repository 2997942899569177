"""The remains track over HTTP."""
