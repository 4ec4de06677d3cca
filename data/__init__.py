"""The data files, shipped inside the package as ``assess.data`` (see README.md here)."""
