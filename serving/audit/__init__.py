"""The tamper-evident audit log: store, hash chain, migrations and the local spool."""

from serving.audit.records import BrokenRow, StoredDecision, StoredOutcome, VerifyResult
from serving.audit.store import AuditStore, AuditUnavailableError, UnknownDecisionError

__all__ = [
    "AuditStore",
    "AuditUnavailableError",
    "BrokenRow",
    "StoredDecision",
    "StoredOutcome",
    "UnknownDecisionError",
    "VerifyResult",
]
