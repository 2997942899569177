"""The exchange track's commands: stages and medical commissions."""
