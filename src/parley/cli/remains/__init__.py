"""`parley dvi ...`: the remains track's commands."""
