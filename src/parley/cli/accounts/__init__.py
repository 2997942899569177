"""The accounts track's commands: accounts, tokens, the audit log."""
