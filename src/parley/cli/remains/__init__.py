"""`parley dvi ...`: the remains track's commands."""

from parley.cli.remains import references as references  # registers its commands
