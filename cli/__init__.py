"""The `fifthbranch` command: a thin layer over the packages."""
