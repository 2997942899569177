"""Use cases, one module per track: the only layer that joins the store and the domain."""
