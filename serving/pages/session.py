"""Review-page sessions: a signed cookie that names the role, never the API key.

The cookie holds `{"role", "key_id", "csrf"}` signed with itsdangerous (HMAC-SHA1 over a
timestamped payload) and expires after `SESSION_MAX_AGE`. `key_id` is a short hash of
the key, checked against the keys configured now, so removing a key from
`FIFTHBRANCH_API_KEYS` ends its sessions at the next restart. The `csrf` token goes in a
hidden field of every form and must come back on POST; together with `SameSite=Strict`
and `HttpOnly` this keeps forms safe from other sites.

The signing secret comes from `FIFTHBRANCH_SESSION_SECRET`; without it one is generated
per process (logged once), so sessions end when the server restarts and several worker
processes need the variable set.
"""

from __future__ import annotations

import hmac
import logging
import os
import secrets
from dataclasses import dataclass
from functools import cache

from itsdangerous import BadSignature, URLSafeTimedSerializer

from serving.auth import key_fingerprint

SESSION_COOKIE = "fb_audit_session"
LOGIN_COOKIE = "fb_audit_login"
COOKIE_PATH = "/audit"
SESSION_MAX_AGE = 8 * 3600  # one dispatch-centre shift
LOGIN_MAX_AGE = 3600
SECRET_ENV = "FIFTHBRANCH_SESSION_SECRET"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Session:
    role: str
    key_id: str
    csrf: str


@cache
def _generated_secret() -> str:
    log.warning("%s is not set: review-page sessions are signed with a secret generated for "
                "this process and end when it restarts", SECRET_ENV)
    return secrets.token_urlsafe(32)


def secret() -> str:
    return os.environ.get(SECRET_ENV) or _generated_secret()


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret(), salt=salt)


def key_id(key: str) -> str:
    """A short, non-reversible name for an API key (what the cookie carries); the same
    fingerprint the access log shows for API calls with that key."""
    return key_fingerprint(key)


def new_session(role: str, key_id_: str) -> tuple[Session, str]:
    """A fresh session (new CSRF token) for a key already named by `key_id`; (session, cookie)."""
    session = Session(role=role, key_id=key_id_, csrf=secrets.token_urlsafe(24))
    return session, encode(session)


def encode(session: Session) -> str:
    """The signed cookie value of a session."""
    return _serializer("session").dumps(
        {"role": session.role, "key_id": session.key_id, "csrf": session.csrf})


def read_session(token: str | None) -> Session | None:
    """The session a cookie holds, or None when missing, forged or expired."""
    if not token:
        return None
    try:
        data = _serializer("session").loads(token, max_age=SESSION_MAX_AGE)
        return Session(role=str(data["role"]), key_id=str(data["key_id"]),
                       csrf=str(data["csrf"]))
    except (BadSignature, KeyError, TypeError):
        return None


def new_login_token() -> tuple[str, str]:
    """A pre-session CSRF token for the login form: (form value, cookie value)."""
    value = secrets.token_urlsafe(24)
    return value, _serializer("login").dumps(value)


def login_token_ok(form_value: str, cookie: str | None) -> bool:
    if not cookie or not form_value:
        return False
    try:
        expected = _serializer("login").loads(cookie, max_age=LOGIN_MAX_AGE)
    except BadSignature:
        return False
    return hmac.compare_digest(str(expected), form_value)


def csrf_ok(session: Session, form_value: str | None) -> bool:
    return bool(form_value) and hmac.compare_digest(session.csrf, str(form_value))
