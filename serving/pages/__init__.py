"""The auditors' review pages under `/audit` (server-rendered, no JavaScript)."""
