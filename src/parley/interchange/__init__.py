"""What crosses the boundary of an instance: files, keys, bundles."""
