"""Logging in to the console the way a browser does, for TestClient-based tests."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


def csrf_of(html: str) -> str:
    tokens = [token for token in CSRF.findall(html) if token]
    assert tokens, "page has no CSRF field"
    return tokens[0]


def log_in(client: TestClient, username: str, password: str) -> str:
    """Returns the page landed on after login."""
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": csrf_of(page.text),
            "next": "/",
        },
    )
    assert response.status_code == 200, response.text
    return response.text
