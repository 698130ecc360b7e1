"""Security checks that are not pytest tests (run by `make test`)."""
