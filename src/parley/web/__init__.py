"""FastAPI: the JSON API, the operator console and the public page, over the services."""
