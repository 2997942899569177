"""The operator console: server-rendered pages (Jinja2), enhanced by HTMX where it helps."""
