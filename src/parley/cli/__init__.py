"""Typer commands: a thin door over the same services as the API and the console."""
