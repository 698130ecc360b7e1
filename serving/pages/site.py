"""Mount the review pages on the app: stylesheet, sign-in, decisions, reports.

A catch-all comes last so that any other `/audit/...` path also needs a session
(an unauthenticated visit to anything under `/audit` goes to the login page) and a
signed-in visitor gets an HTML 404 rather than the API's JSON one. The stylesheet is
public: the login page needs it before anyone has signed in.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from serving.pages import access, decision_views, report_views
from serving.pages.access import PageSession, message_page
from serving.pages.rendering import STATIC_DIR

fallback = APIRouter(prefix="/audit", include_in_schema=False)


@fallback.get("/{rest:path}", response_class=HTMLResponse)
def unknown_page(rest: str, current: PageSession) -> Response:
    if not rest:
        return RedirectResponse("/audit/decisions", status_code=303)
    return message_page(404, "No such page", "There is no review page at this address.",
                        session=current, link="/audit/decisions", link_text="Back to decisions")


def install_pages(app: FastAPI) -> None:
    app.mount("/audit/static", StaticFiles(directory=STATIC_DIR), name="audit-static")
    app.include_router(access.router)
    app.include_router(decision_views.router)
    app.include_router(report_views.router)
    app.include_router(fallback)
