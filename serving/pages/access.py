"""Signing in and out of the review pages, and the guard every page uses.

Only `auditor` and `admin` keys open the pages; a `dispatch` key gets a 403 page
(dispatch consoles have no business reading other calls). An unauthenticated visit is
redirected (303) to `/audit/login?next=<page>`; `next` is only ever a local `/audit/`
path, so the login form cannot be used as an open redirect. With no API keys
configured (loopback only) every visitor signs in as admin, as on the API.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from serving.auth import CALLER_STATE, OPEN_ROLE, ApiKeys, role_for_key
from serving.dependencies import ServiceDep
from serving.pages import session as sessions
from serving.pages.rendering import render

router = APIRouter(prefix="/audit", include_in_schema=False)

PAGE_ROLES = ("auditor", "admin")
OPEN_KEY_ID = "open"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def page(template: str, status: int = 200, **context: object) -> HTMLResponse:
    """A rendered page with the security headers every review page carries."""
    return HTMLResponse(render(template, **context), status_code=status,
                        headers=SECURITY_HEADERS)


def message_page(status: int, heading: str, message: str, *, session: object = None,
                 link: str | None = None, link_text: str = "") -> HTMLResponse:
    return page("message.html", status, heading=heading, message=message, session=session,
                link=link, link_text=link_text)


def safe_next(target: str | None) -> str:
    """`target` if it is a local review-page path, else the decision list."""
    if (target and target.startswith("/audit/") and not target.startswith("//")
            and "\\" not in target and not target.startswith("/audit/login")):
        return target
    return "/audit/decisions"


def _valid_key_ids(keys: ApiKeys) -> dict[str, str]:
    """key_id -> role for every configured key (computed per request: keys are few)."""
    if keys.open:
        return {OPEN_KEY_ID: OPEN_ROLE}
    return {sessions.key_id(key.decode()): role for role, key in keys.entries}


def _return_to(request: Request) -> str:
    """Where to go after signing in: this page, or for a form post the page it was on
    (the post itself cannot be repeated by a redirect)."""
    path = request.url.path
    if request.method in ("GET", "HEAD"):
        return path + (f"?{request.url.query}" if request.url.query else "")
    parent = path.rsplit("/", 1)[0]
    return parent if parent.startswith("/audit/decisions/") else "/audit/decisions"


def page_session(request: Request, service: ServiceDep) -> sessions.Session:
    """The signed-in session, or a 303 to the login page that comes back here after."""
    current = sessions.read_session(request.cookies.get(sessions.SESSION_COOKIE))
    if (current is None or current.role not in PAGE_ROLES
            or _valid_key_ids(service.keys).get(current.key_id) != current.role):
        target = _return_to(request)
        raise HTTPException(303, "sign in first",
                            headers={"Location": f"/audit/login?next={quote(target, safe='')}"})
    setattr(request.state, CALLER_STATE, f"{current.role}:{current.key_id}")
    return current


PageSession = Annotated[sessions.Session, Depends(page_session)]


def require_csrf(current: sessions.Session, token: str | None) -> HTMLResponse | None:
    """None when the form's token matches the session's; a 403 page otherwise."""
    if sessions.csrf_ok(current, token):
        return None
    return message_page(403, "Form expired", "This form's security token does not match your "
                        "session (it may be from another tab or an old page). Reload the page "
                        "and try again.", session=current, link="/audit/decisions",
                        link_text="Back to decisions")


def _set_cookie(response: Response, request: Request, name: str, value: str,
                max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path=sessions.COOKIE_PATH,
                        httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")


def _login_page(request: Request, service: ServiceDep, *, next_url: str, status: int = 200,
                errors: list[str] | None = None) -> HTMLResponse:
    form_token, cookie = sessions.new_login_token()
    notes = list(errors or [])
    if service.keys.open:
        notes.append("No API keys are configured (loopback only): any key signs you in as "
                     "admin. Set FIFTHBRANCH_API_KEYS before serving beyond this machine.")
    response = page("login.html", status, login_csrf=form_token, next_url=next_url,
                    errors=notes)
    _set_cookie(response, request, sessions.LOGIN_COOKIE, cookie, sessions.LOGIN_MAX_AGE)
    return response


@router.get("", response_class=RedirectResponse)
def audit_home() -> RedirectResponse:
    return RedirectResponse("/audit/decisions", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, service: ServiceDep, next: str | None = None) -> HTMLResponse:
    return _login_page(request, service, next_url=safe_next(next))


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, service: ServiceDep,
          api_key: Annotated[str, Form(max_length=512)] = "",
          csrf_token: Annotated[str, Form(max_length=200)] = "",
          next: Annotated[str, Form(max_length=2000)] = "") -> Response:
    target = safe_next(next)
    if not sessions.login_token_ok(csrf_token, request.cookies.get(sessions.LOGIN_COOKIE)):
        return _login_page(request, service, next_url=target, status=400, errors=[
            "The sign-in form expired or cookies are blocked; please try again."])
    if service.keys.open:
        role, key_id = OPEN_ROLE, OPEN_KEY_ID
    else:
        role = role_for_key(service.keys, api_key.strip())
        key_id = sessions.key_id(api_key.strip())
    if role is None:
        return _login_page(request, service, next_url=target, status=401,
                           errors=["That API key is not valid."])
    if role not in PAGE_ROLES:
        return message_page(403, "Not allowed", f"A {role} key cannot open the review pages; "
                            "sign in with an auditor or admin key.", link="/audit/login",
                            link_text="Sign in with another key")
    _, token = sessions.new_session(role, key_id)
    response = RedirectResponse(target, status_code=303, headers=SECURITY_HEADERS)
    _set_cookie(response, request, sessions.SESSION_COOKIE, token, sessions.SESSION_MAX_AGE)
    response.delete_cookie(sessions.LOGIN_COOKIE, path=sessions.COOKIE_PATH)
    return response


@router.get("/logout", response_class=HTMLResponse)
def logout_form(current: PageSession) -> HTMLResponse:
    """Signing out changes state, so it takes a POST; this page offers the button."""
    return message_page(200, "Sign out", "Use the button at the top of the page to sign out.",
                        session=current)


@router.post("/logout")
def logout(current: PageSession,
           csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    refused = require_csrf(current, csrf_token)
    if refused is not None:
        return refused
    response = RedirectResponse("/audit/login", status_code=303, headers=SECURITY_HEADERS)
    response.delete_cookie(sessions.SESSION_COOKIE, path=sessions.COOKIE_PATH)
    return response
