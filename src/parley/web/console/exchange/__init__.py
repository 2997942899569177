"""The exchange track's console pages: stages and medical commissions."""
