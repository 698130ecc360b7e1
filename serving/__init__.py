"""Serving: the HTTP API for dispatch systems, auth, the audit store and auditor pages."""
