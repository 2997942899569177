"""The children track's commands: children's cases, lists to the other side, answers."""
