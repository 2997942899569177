"""DNA kinship engine for disaster victim identification (pure NumPy)."""
