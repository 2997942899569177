"""The remains track: repatriation batches, their chain of custody, and bodies' identification."""
