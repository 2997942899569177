"""The exchange track over HTTP: stages and medical commissions."""
