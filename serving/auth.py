"""API keys and roles from `FIFTHBRANCH_API_KEYS` (`role:key,role:key`).

Roles: `dispatch` (recommendations, outcomes), `auditor` (read decisions and reports),
`admin` (everything). Keys are compared with `hmac.compare_digest` against every
configured key, without stopping at the first match, so timing reveals neither a key
nor how many there are. Keys never appear in messages or logs: a malformed entry is
named by its position and role only. Blank entries (a trailing comma) are ignored.

With no keys the server runs open, but only on a loopback address (`check_bind`).
The auditors' login page reuses `parse_api_keys` and `role_for_key`.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass

from data.errors import ConfigurationError

ROLES: tuple[str, ...] = ("dispatch", "auditor", "admin")
#: The role given to every caller when no keys are configured (loopback only).
OPEN_ROLE = "admin"


@dataclass(frozen=True)
class ApiKeys:
    """The configured (role, key) pairs; `open` when there are none."""

    entries: tuple[tuple[str, bytes], ...]

    @property
    def open(self) -> bool:
        return not self.entries


def parse_api_keys(spec: str | None) -> ApiKeys:
    """Parse `role:key,role:key`; raise `ConfigurationError` naming a bad entry."""
    entries: list[tuple[str, bytes]] = []
    seen: dict[bytes, str] = {}
    for position, raw in enumerate((spec or "").split(","), start=1):
        entry = raw.strip()
        if not entry:
            continue
        role, sep, key = entry.partition(":")
        role, key = role.strip(), key.strip()
        where = f"FIFTHBRANCH_API_KEYS entry {position}"
        if not sep:
            raise ConfigurationError(
                f"{where} has no ':'; write each entry as role:key (roles: {', '.join(ROLES)})")
        if role not in ROLES:
            raise ConfigurationError(
                f"{where} has unknown role {role[:20]!r}; roles are {', '.join(ROLES)}")
        if not key:
            raise ConfigurationError(f"{where} ({role}) has an empty key")
        encoded = key.encode()
        if encoded in seen and seen[encoded] != role:
            raise ConfigurationError(
                f"{where} ({role}) repeats the key of a {seen[encoded]} entry; "
                "one key must have one role")
        seen[encoded] = role
        entries.append((role, encoded))
    return ApiKeys(tuple(entries))


def role_for_key(keys: ApiKeys, key: str | None) -> str | None:
    """The role of `key`, or None; constant-time over every configured key."""
    if key is None:
        return None
    candidate = key.encode()
    found: str | None = None
    for role, known in keys.entries:
        if hmac.compare_digest(candidate, known) and found is None:
            found = role
    return found


def key_fingerprint(key: str) -> str:
    """A short, non-reversible name for a key: what logs and session cookies carry, so
    that "who did what" can be traced to a key without the key ever being written down."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


#: Where a request's caller (`role:fingerprint`) is kept for the access log.
CALLER_STATE = "caller"


def bearer_token(authorization: str | None) -> str | None:
    """The key of an `Authorization: Bearer <key>` header, or None."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def allows(role: str, allowed: tuple[str, ...]) -> bool:
    """Whether `role` may do what `allowed` roles may (admin may do everything)."""
    return role == "admin" or role in allowed


def is_loopback(host: str) -> bool:
    """`localhost`, 127.0.0.0/8 or ::1 (a name other than localhost is not trusted)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(keys: ApiKeys, host: str) -> None:
    """Refuse to serve without keys anywhere but loopback."""
    if keys.open and not is_loopback(host):
        raise ConfigurationError(
            f"refusing to serve on {host} without API keys: set FIFTHBRANCH_API_KEYS "
            "(e.g. dispatch:<key>,auditor:<key>,admin:<key>) or bind to 127.0.0.1")
