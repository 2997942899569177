"""The accounts track's rules: roles and permissions, and the audit hash chain."""
