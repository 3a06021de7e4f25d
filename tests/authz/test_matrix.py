"""The authorisation matrix: every URL pattern and API route, for every role, with the status it must answer
and whether the request may change the database (issue 13, "what to build" 2).

The routes are walked from django.urls.get_resolver() (the DRF router's among them, each with the methods
of its actions); EXPECTATIONS below holds, as data, the cases for each route: a method, a path (its
{placeholders} filled from tests/authz/world.py), and a line of seven statuses, one per role:

    A anonymous · U unverified (signed in, address not confirmed) · C citizen (the author of {comment}) ·
    O another citizen (who endorsed and reported {comment}) · X a commission member of another consultation ·
    M a commission member of this one · S staff (an administrator, on no commission)

"40x" is 401 or 403 (what an anonymous API client is told depends on the authentication schemes offered).
`writes` names the roles whose request must change the database; for every other role it must not change
(every table compared, django_session aside). A route with no case, a DRF method with no case, or a case
whose path does not reach its route fails the test: a new route is added with its expectations, so that
nobody forgets who may call it. A route's format-suffix twins (".json") run the same view and are not
walked again.

Each request runs in a savepoint rolled back after it, with the rate-limit counters emptied, so every case
starts from the same world. MATRIX_OBSERVE=1 prints what each case answers, in the table's format.
"""
from __future__ import annotations

import os
import re
import time
from http.cookies import SimpleCookie
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from rest_framework.test import APIClient

from tests.authz.world import ROLE_LETTERS, ROLES, world_build
from tests.conftest import cache_clear_own

OBSERVE = os.environ.get("MATRIX_OBSERVE") == "1"
IGNORED_TABLES = {"django_session"}  # signing in writes the session; it is not the request's effect


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    expect: str  # seven statuses, one per role in ROLES order (A U C O X M S)
    writes: str = ""  # the letters of the roles whose request must change the database
    data: dict | None = None
    json: bool = True  # the body as JSON (the API); False: a form, as a browser posts it

    def statuses(self) -> dict[str, set[int]]:
        tokens = self.expect.split()
        assert len(tokens) == len(ROLES), f"{self.method} {self.path}: {len(tokens)} statuses for {len(ROLES)} roles"
        return {role: ({401, 403} if token == "40x" else {int(token)}) for role, token in zip(ROLES, tokens, strict=True)}

    def writers(self) -> set[str]:
        return {ROLE_LETTERS[letter] for letter in self.writes}


def get(path, expect, **kwargs):
    return Case("GET", path, expect, **kwargs)


def post(path, expect, **kwargs):
    return Case("POST", path, expect, **kwargs)


def form(path, expect, **kwargs):
    return Case("POST", path, expect, json=False, **kwargs)


# --- the expectations ---------------------------------------------------------------------------------------
#                                                                                A   U   C   O   X   M   S
PUBLIC_PAGE = "200 200 200 200 200 200 200"
PUBLIC_API = PUBLIC_PAGE
SIGNED_IN_PAGE = "302 200 200 200 200 200 200"
STAFF_ONLY_ADMIN = "302 302 302 302 302 302 200"

EXPECTATIONS: dict[str, list[Case]] = {}
# The pages.
EXPECTATIONS |= {
    "": [get("/", "200 200 200 200 200 200 200")],
    "c/<slug:slug>/": [get("/c/{slug}/", "200 200 200 200 200 200 200")],
    "c/<slug:slug>/<slug:document_slug>/compare/v<int:old_number>-v<int:new_number>/": [get("/c/{slug}/{document}/compare/v0-v1/", "200 200 200 200 200 200 200")],
    "c/<slug:slug>/<slug:document_slug>/compare/v<int:old_number>-v<int:new_number>/request/": [form("/c/{slug}/{document}/compare/v0-v1/request/", "403 403 403 403 403 403 302")],
    "account/profile/": [
        get("/account/profile/", "302 200 200 200 200 200 200"),
        form("/account/profile/", "302 302 302 302 302 302 302", writes="UCOXMS", data={"display_name": "Matrix renamed", "submitter_type": "individual"}),
    ],
    "provisions/<int:provision_id>/follow/": [form("/provisions/{provision}/follow/", "302 302 302 302 302 302 302", writes="CXM", data={"action": "follow"})],
    "c/<slug:slug>/<slug:document_slug>/v<int:number>/p/<path:provision_path>/comment/": [
        form("/c/{slug}/{document}/v1/p/{path}/comment/", "403 403 302 302 302 302 403", writes="COXM", data={"provision": "{provision}", "body": "Matrix words.", "stance": "support", "lang": "en"}),
    ],
    "c/<slug:slug>/<slug:document_slug>/v<int:number>/": [get("/c/{slug}/{document}/v1/", "200 200 200 200 200 200 200"), get("/c/{slug}/{document}/v2/", "404 404 404 404 404 404 200")],
    "c/<slug:slug>/<slug:document_slug>/v<int:number>/p/<path:provision_path>/": [get("/c/{slug}/{document}/v1/p/{path}/", "200 200 200 200 200 200 200")],
    "c/<slug:slug>/moderation/": [get("/c/{slug}/moderation/", "403 403 403 403 403 200 403")],
    "comments/<int:comment_id>/edit/": [
        get("/comments/{comment}/edit/", "302 403 200 403 403 403 403"),
        form("/comments/{comment}/edit/", "302 403 302 403 403 403 403", writes="C", data={"body": "Matrix corrected.", "stance": "oppose"}),
    ],
    "comments/<int:comment_id>/withdraw/": [get("/comments/{comment}/withdraw/", "302 403 200 403 403 403 403"), form("/comments/{comment}/withdraw/", "302 302 302 302 302 302 302", writes="C")],
    "comments/<int:comment_id>/<slug:action>/": [
        form("/comments/{comment}/endorse/", "302 302 302 302 302 302 302", writes="XM"),
        form("/comments/{comment}/unendorse/", "302 302 302 302 302 302 302", writes="O"),
        form("/comments/{comment}/report/", "302 302 302 302 302 302 302", writes="CXM", data={"reason": "Matrix report."}),
        form("/comments/{comment}/hide/", "302 302 302 302 302 302 302", writes="M", data={"reason": "Matrix hiding."}),
        form("/comments/{hidden}/restore/", "302 302 302 302 302 302 302", writes="M"),
        form("/comments/{comment}/dismiss-reports/", "302 302 302 302 302 302 302", writes="M"),
    ],
    "receipts/": [get("/receipts/?number={receipt}", "302 302 302 302 302 302 302")],
    "receipts/<str:number>/": [get("/receipts/{receipt}/", "200 200 200 200 200 200 200")],
    "c/<slug:slug>/heard/": [get("/c/{slug}/heard/", "200 200 200 200 200 200 200")],
    "c/<slug:slug>/heard/summary/": [get("/c/{slug}/heard/summary/", "200 200 200 200 200 200 200")],
    "c/<slug:slug>/heard/<slug:document_slug>/v<int:old_number>-v<int:new_number>/": [get("/c/{slug}/heard/{document}/v0-v1/", "200 200 200 200 200 200 200")],
    "c/<slug:slug>/heard/<slug:document_slug>/v<int:number>/p/<path:provision_path>/": [get("/c/{slug}/heard/{document}/v1/p/{path}/", "200 200 200 200 200 200 200")],
    "c/<slug:slug>/concerns/<int:concern_id>/": [get("/c/{slug}/concerns/{concern}/", "200 200 200 200 200 200 200")],
    "c/<slug:slug>/concerns/<int:concern_id>/decide/": [
        form("/c/{slug}/concerns/{concern}/decide/", "403 403 403 403 403 302 403", writes="M", data={"status": "rejected", "rationale": "Matrix rationale."}),
    ],
    "c/<slug:slug>/concerns/<int:concern_id>/transition/": [
        form("/c/{slug}/concerns/{concern}/transition/", "403 403 403 403 403 302 403", writes="M", data={"to_status": "under_review", "reason": "Matrix."}),
    ],
    "c/<slug:slug>/triage/": [
        get("/c/{slug}/triage/", "403 403 403 403 403 200 403"),
        form("/c/{slug}/triage/", "403 403 403 403 403 302 403", writes="M", data={"action": "create", "title": "Matrix triage concern", "comments": "{comment}"}),
    ],
    "c/<slug:slug>/concerns/<int:concern_id>/merge/": [form("/c/{slug}/concerns/{concern}/merge/", "403 403 403 403 403 302 403", writes="M", data={"concerns": "{other_concern}"})],
    "c/<slug:slug>/concerns/<int:concern_id>/split/": [
        form("/c/{slug}/concerns/{other_concern}/split/", "403 403 403 403 403 302 403", writes="M", data={"comments": "{grounds_comment}", "title": "Matrix split"}),
    ],
    "c/<slug:slug>/campaigns/": [get("/c/{slug}/campaigns/", "200 200 200 200 200 200 200")],
    "c/<slug:slug>/campaigns/<int:campaign_id>/": [get("/c/{slug}/campaigns/{campaign}/", "200 200 200 200 200 200 200")],
    "me/comments/": [get("/me/comments/", "302 200 200 200 200 200 200")],
    "c/<slug:slug>/reports/": [
        get("/c/{slug}/reports/", "200 200 200 200 200 200 200"),
        form("/c/{slug}/reports/", "403 403 403 403 403 302 302", writes="MS", data={"document": "{document_id}"}),
    ],
    "c/<slug:slug>/reports/checkpoints/": [get("/c/{slug}/reports/checkpoints/", "200 200 200 200 200 200 200")],
    "c/<slug:slug>/reports/<int:report_id>/": [get("/c/{slug}/reports/{report}/", "404 404 404 404 404 200 200")],
    "c/<slug:slug>/reports/<int:report_id>/status/": [get("/c/{slug}/reports/{report}/status/", "404 404 404 404 404 200 200")],
    "c/<slug:slug>/reports/<int:report_id>/retry/": [form("/c/{slug}/reports/{report}/retry/", "404 404 404 404 404 409 409")],
    "c/<slug:slug>/reports/<int:report_id>/publish/": [form("/c/{slug}/reports/{report}/publish/", "404 404 404 404 404 302 302", writes="MS", data={"public": "1"})],
    "c/<slug:slug>/reports/<int:report_id>/<str:format>/": [get("/c/{slug}/reports/{report}/html/", "404 404 404 404 404 200 200")],
    "i18n/setlang/": [form("/i18n/setlang/", "302 302 302 302 302 302 302", data={"language": "kk", "next": "/"})],
}

# The API.
API = "api/v1/"
EXPECTATIONS |= {
    "api/v1/": [get("/api/v1/", "200 200 200 200 200 200 200")],
    "api/schema/": [get("/api/schema/", "200 200 200 200 200 200 200")],
    "api/docs/": [get("/api/docs/", "200 200 200 200 200 200 200")],
    "api/redoc/": [get("/api/redoc/", "200 200 200 200 200 200 200")],
    "api/v1/consultations/<slug:slug>/export/comments.csv": [get("/api/v1/consultations/{slug}/export/comments.csv", "200 200 200 200 200 200 200")],
    "api/v1/consultations/<slug:slug>/export/comments.jsonl": [get("/api/v1/consultations/{slug}/export/comments.jsonl", "200 200 200 200 200 200 200")],
    "api/v1/consultations/<slug:slug>/tables/summary.<str:fmt>": [get("/api/v1/consultations/{slug}/tables/summary.csv", "200 200 200 200 200 200 200")],
    "api/v1/consultations/<slug:slug>/tables/<slug:document_slug>/v<int:old_number>-v<int:new_number>.<str:fmt>": [
        get("/api/v1/consultations/{slug}/tables/{document}/v0-v1.csv", "200 200 200 200 200 200 200"),
    ],
    "api/v1/provisions/<int:provision_id>/follow/": [
        post("/api/v1/provisions/{provision}/follow/", "40x 403 201 201 201 201 403", writes="CXM"), Case("DELETE", "/api/v1/provisions/{provision}/follow/", "40x 204 204 204 204 204 204", writes="O"),
    ],
    "api/v1/^consultations/$": [get("/api/v1/consultations/", "200 200 200 200 200 200 200")],
    "api/v1/^consultations/(?P<slug>[^/.]+)/$": [get("/api/v1/consultations/{slug}/", "200 200 200 200 200 200 200")],
    "api/v1/^documents/$": [get("/api/v1/documents/", "200 200 200 200 200 200 200")],
    "api/v1/^documents/(?P<slug>[^/.]+)/$": [get("/api/v1/documents/{document}/", "200 200 200 200 200 200 200")],
    "api/v1/^documents/(?P<slug>[^/.]+)/comparison/$": [
        get("/api/v1/documents/{document}/comparison/?old=0&new=1", "200 200 200 200 200 200 200"),
        post("/api/v1/documents/{document}/comparison/", "40x 403 403 403 403 403 200", data={"old": 0, "new": 1}),
    ],
    "api/v1/^documents/(?P<slug>[^/.]+)/versions/$": [form("/api/v1/documents/{document}/versions/", "40x 403 403 403 403 403 400")],
    "api/v1/^versions/$": [get("/api/v1/versions/", "200 200 200 200 200 200 200")],
    "api/v1/^versions/(?P<pk>[^/.]+)/$": [get("/api/v1/versions/{version}/", "200 200 200 200 200 200 200"), get("/api/v1/versions/{preparing}/", "404 404 404 404 404 404 200")],
    "api/v1/^versions/(?P<pk>[^/.]+)/publish/$": [post("/api/v1/versions/{preparing}/publish/", "40x 403 403 403 403 403 200", writes="S")],
    "api/v1/^versions/(?P<pk>[^/.]+)/tree/$": [get("/api/v1/versions/{version}/tree/", "200 200 200 200 200 200 200")],
    "api/v1/^provisions/$": [get("/api/v1/provisions/?version={version}", "200 200 200 200 200 200 200")],
    "api/v1/^provisions/(?P<pk>[^/.]+)/$": [get("/api/v1/provisions/{provision}/", "200 200 200 200 200 200 200")],
    "api/v1/^comments/$": [
        get("/api/v1/comments/", "200 200 200 200 200 200 200"),
        post("/api/v1/comments/", "40x 403 201 201 201 201 403", writes="COXM", data={"provision": "{provision}", "body": "Matrix words.", "stance": "support", "language": "en"}),
    ],
    "api/v1/^comments/(?P<pk>\\d{1,18})/$": [
        get("/api/v1/comments/{comment}/", "200 200 200 200 200 200 200"), Case("PATCH", "/api/v1/comments/{comment}/", "40x 403 200 403 403 403 403", writes="C", data={"body": "Matrix corrected."}),
    ],
    "api/v1/^comments/(?P<pk>\\d{1,18})/endorse/$": [
        post("/api/v1/comments/{comment}/endorse/", "40x 403 400 409 200 200 403", writes="XM"), Case("DELETE", "/api/v1/comments/{comment}/endorse/", "40x 404 404 200 404 404 404", writes="O"),
    ],
    "api/v1/^comments/(?P<pk>\\d{1,18})/hide/$": [post("/api/v1/comments/{comment}/hide/", "40x 403 403 403 403 200 403", writes="M", data={"reason": "Matrix hiding."})],
    "api/v1/^comments/(?P<pk>\\d{1,18})/report/$": [post("/api/v1/comments/{comment}/report/", "40x 403 201 409 201 201 403", writes="CXM", data={"reason": "Matrix report."})],
    "api/v1/^comments/(?P<pk>\\d{1,18})/restore/$": [post("/api/v1/comments/{hidden}/restore/", "40x 403 403 403 403 200 403", writes="M", data={"reason": "Matrix."})],
    "api/v1/^comments/(?P<pk>\\d{1,18})/withdraw/$": [post("/api/v1/comments/{comment}/withdraw/", "40x 403 200 403 403 403 403", writes="C")],
    "api/v1/^receipts/$": [get("/api/v1/receipts/?consultation={slug}", "200 200 200 200 200 200 200")],
    "api/v1/^receipts/chain/$": [get("/api/v1/receipts/chain/?consultation={slug}", "200 200 200 200 200 200 200")],
    "api/v1/^receipts/(?P<number>[A-Za-z0-9-]+)/$": [get("/api/v1/receipts/{receipt}/", "200 200 200 200 200 200 200")],
    "api/v1/^moderation/$": [get("/api/v1/moderation/?consultation={slug}", "40x 403 403 403 403 200 403")],
    "api/v1/^concerns/$": [
        get("/api/v1/concerns/?consultation={slug}", "200 200 200 200 200 200 200"),
        post("/api/v1/concerns/", "40x 403 403 403 403 201 403", writes="M", data={"consultation": "{slug}", "title": "Matrix API concern", "comments": ["{comment}"]}),
    ],
    "api/v1/^concerns/accounted-for/$": [get("/api/v1/concerns/accounted-for/?consultation={slug}", "200 200 200 200 200 200 200")],
    "api/v1/^concerns/groupings/$": [get("/api/v1/concerns/groupings/?consultation={slug}", "40x 403 403 403 403 200 403")],
    "api/v1/^concerns/no-answer/$": [post("/api/v1/concerns/no-answer/", "40x 403 403 403 403 204 403", writes="M", data={"comment": "{comment}", "reason": "Matrix."})],
    "api/v1/^concerns/(?P<pk>\\d{1,18})/$": [get("/api/v1/concerns/{concern}/", "200 200 200 200 200 200 200")],
    "api/v1/^concerns/(?P<pk>\\d{1,18})/change-suggestions/$": [get("/api/v1/concerns/{concern}/change-suggestions/", "40x 403 403 403 403 400 403")],
    "api/v1/^concerns/(?P<pk>\\d{1,18})/comments/$": [post("/api/v1/concerns/{other_concern}/comments/", "40x 403 403 403 403 200 403", writes="M", data={"comments": ["{comment}"]})],
    "api/v1/^concerns/(?P<pk>\\d{1,18})/decide/$": [
        post("/api/v1/concerns/{concern}/decide/", "40x 403 403 403 403 200 403", writes="M", data={"status": "rejected", "rationale": "Matrix rationale."}),
    ],
    "api/v1/^concerns/(?P<pk>\\d{1,18})/merge/$": [post("/api/v1/concerns/{concern}/merge/", "40x 403 403 403 403 200 403", writes="M", data={"concerns": ["{other_concern}"]})],
    "api/v1/^concerns/(?P<pk>\\d{1,18})/split/$": [
        post("/api/v1/concerns/{other_concern}/split/", "40x 403 403 403 403 201 403", writes="M", data={"comments": ["{grounds_comment}"], "title": "Matrix split"}),
    ],
    "api/v1/^concerns/(?P<pk>\\d{1,18})/transition/$": [
        post("/api/v1/concerns/{concern}/transition/", "40x 403 403 403 403 200 403", writes="M", data={"status": "under_review", "reason": "Matrix."}),
    ],
    "api/v1/^campaigns/$": [get("/api/v1/campaigns/?consultation={slug}", "200 200 200 200 200 200 200")],
    "api/v1/^campaigns/(?P<pk>\\d{1,18})/$": [get("/api/v1/campaigns/{campaign}/", "200 200 200 200 200 200 200")],
    "api/v1/^reports/$": [
        get("/api/v1/reports/?consultation={slug}", "200 200 200 200 200 200 200"),
        post("/api/v1/reports/", "40x 403 403 403 403 201 201", writes="MS", data={"consultation": "{slug}", "kind": "on_demand", "document": "{document}"}),
    ],
    "api/v1/^reports/(?P<pk>\\d{1,18})/$": [get("/api/v1/reports/{report}/", "404 404 404 404 404 200 200")],
    "api/v1/^reports/(?P<pk>\\d{1,18})/files/(?P<file_format>[a-z]+)/$": [get("/api/v1/reports/{report}/files/csv/", "404 404 404 404 404 200 200")],
    "api/v1/^reports/(?P<pk>\\d{1,18})/publish/$": [post("/api/v1/reports/{report}/publish/", "40x 404 404 404 404 200 200", writes="MS", data={"public": True})],
    "api/v1/^follows/$": [get("/api/v1/follows/", "40x 200 200 200 200 200 200")],
    "api/v1/^me/comments/$": [get("/api/v1/me/comments/", "40x 200 200 200 200 200 200")],
}

# allauth's pages: forms anyone may open, some for the signed-in only (what they do is allauth's, behind the
# lockout and limits). Opening the e-mail page of an account with no address record writes its address (allauth).
ACCOUNTS = {
    "login/": ("login/", "200 302 302 302 302 302 302"),
    "logout/": ("logout/", "302 200 200 200 200 200 200"),
    "inactive/": ("inactive/", PUBLIC_PAGE),
    "signup/": ("signup/", "200 302 302 302 302 302 302"),
    "reauthenticate/": ("reauthenticate/", SIGNED_IN_PAGE),
    "email/": ("email/", SIGNED_IN_PAGE, "S"),
    "confirm-email/": ("confirm-email/", PUBLIC_PAGE),
    "password/change/": ("password/change/", SIGNED_IN_PAGE),
    "password/set/": ("password/set/", "302 302 302 302 302 302 302"),  # every account here has a password
    "password/reset/": ("password/reset/", PUBLIC_PAGE),
    "login/code/confirm/": ("login/code/confirm/", "302 302 302 302 302 302 302"),  # no code was asked for
    "^confirm-email/(?P<key>[-:\\w]+)/$": ("confirm-email/matrix-key/", PUBLIC_PAGE),
    "password/reset/key/done/": ("password/reset/key/done/", PUBLIC_PAGE),
    "^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": ("password/reset/key/1-matrix-key/", PUBLIC_PAGE),
    "password/reset/done/": ("password/reset/done/", PUBLIC_PAGE),
}
EXPECTATIONS |= {
    f"accounts/{route}": [get(f"/accounts/{path}", expect, writes=writes[0] if writes else "")]
    for route, (path, expect, *writes) in ACCOUNTS.items()
}


def admin_model(app: str, model: str, object_id: str, *, add: bool = True, delete: str = "deletes") -> dict[str, list[Case]]:
    """A registered model's standard admin views: staff only, and a refused delete deletes nothing.

    `add`: whether the admin may add one there; `delete`: "deletes" (it goes), "protected" (the confirmation
    page says what keeps it) or "never" (the model admin allows no deleting: 403).
    """
    base, prefix = f"admin/{app}/{model}/", f"/admin/{app}/{model}/"
    staff_only_or_refused = STAFF_ONLY_ADMIN if delete != "never" else "302 302 302 302 302 302 403"
    deleted = {
        "deletes": form(f"{prefix}{object_id}/delete/", "302 302 302 302 302 302 302", writes="S", data={"post": "yes"}),
        "protected": form(f"{prefix}{object_id}/delete/", STAFF_ONLY_ADMIN, data={"post": "yes"}),
        "never": form(f"{prefix}{object_id}/delete/", staff_only_or_refused, data={"post": "yes"}),
    }[delete]
    return {
        base: [get(prefix, STAFF_ONLY_ADMIN)],
        f"{base}add/": [get(f"{prefix}add/", STAFF_ONLY_ADMIN if add else "302 302 302 302 302 302 403")],
        f"{base}<path:object_id>/history/": [get(f"{prefix}{object_id}/history/", STAFF_ONLY_ADMIN)],
        f"{base}<path:object_id>/delete/": [get(f"{prefix}{object_id}/delete/", staff_only_or_refused), deleted],
        f"{base}<path:object_id>/change/": [get(f"{prefix}{object_id}/change/", STAFF_ONLY_ADMIN)],
        f"{base}<path:object_id>/": [get(f"{prefix}{object_id}/", "302 302 302 302 302 302 302")],  # to its change page
    }


# The admin: for staff only, every view of every registered model and the admin's own pages.
EXPECTATIONS |= {
    "admin/": [get("/admin/", "302 302 302 302 302 302 200")],
    "admin/login/": [get("/admin/login/", "302 403 403 403 403 403 302")],
    "admin/logout/": [form("/admin/logout/", "302 302 302 302 302 302 200")],
    "admin/password_change/": [get("/admin/password_change/", "302 302 302 302 302 302 200")],
    "admin/password_change/done/": [get("/admin/password_change/done/", "302 302 302 302 302 302 200")],
    "admin/autocomplete/": [get("/admin/autocomplete/", "302 302 302 302 302 302 403")],
    "admin/jsi18n/": [get("/admin/jsi18n/", "302 302 302 302 302 302 200")],
    # A consultation has no "view on site" address: the admin says so with a 404.
    "admin/r/<path:content_type_id>/<path:object_id>/": [get("/admin/r/{consultation_type}/{consultation}/", "302 302 302 302 302 302 404")],
    "admin/^(?P<app_label>auth|account|drafts|consult|comments)/$": [get("/admin/comments/", "302 302 302 302 302 302 200")],
    "admin/(?P<url>.*)$": [get("/admin/nothing-here/", "302 302 302 302 302 302 404")],
    "admin/auth/user/<id>/password/": [get("/admin/auth/user/{user}/password/", "302 302 302 302 302 302 200")],
    "admin/drafts/document/<int:document_id>/import/": [get("/admin/drafts/document/{document_id}/import/", "302 302 302 302 302 302 200")],
    "admin/drafts/draftversion/<int:version_id>/alignment/": [get("/admin/drafts/draftversion/{version}/alignment/", "302 302 302 302 302 302 200")],
    "admin/consult/consultation/publish-version/<int:version_id>/": [
        get("/admin/consult/consultation/publish-version/{preparing}/", "302 302 302 302 302 302 200"),
    ],
    "admin/consult/consultation/preview-version/<int:version_id>/": [
        get("/admin/consult/consultation/preview-version/{preparing}/", "302 302 302 302 302 302 302"),
    ],
    **admin_model("auth", "group", "{group}"),
    **admin_model("auth", "user", "{user}", delete="protected"),  # its comments keep it
    **admin_model("account", "emailaddress", "{email}"),
    **admin_model("drafts", "document", "{document_id}", delete="protected"),
    **admin_model("drafts", "draftversion", "{version}", add=False, delete="never"),
    **admin_model("drafts", "alignment", "{alignment}", add=False, delete="never"),
    **admin_model("drafts", "provision", "{provision}", add=False, delete="never"),
    **admin_model("consult", "consultation", "{consultation}", delete="protected"),
    **admin_model("comments", "outboxemail", "{outbox}", add=False, delete="never"),
    **admin_model("comments", "digestreport", "{report}", add=False, delete="never"),
}


# --- walking the routes -------------------------------------------------------------------------------------

FORMAT_SUFFIX = re.compile(r"\(\?P<format>|<drf_format_suffix:format>")


@dataclass(frozen=True)
class Route:
    pattern: str  # the full pattern, as ResolverMatch.route gives it
    methods: frozenset[str]  # a DRF view's methods (its actions'); empty for a Django view (the cases say)


def routes_walk(resolver=None, prefix: str = "") -> list[Route]:
    """Every URL pattern of the project (the DRF router's included), but a route's format-suffix twin."""
    routes = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            routes += routes_walk(entry, prefix + str(entry.pattern))
            continue
        assert isinstance(entry, URLPattern)
        pattern = prefix + str(entry.pattern)
        if FORMAT_SUFFIX.search(pattern):
            continue
        routes.append(Route(pattern, frozenset(method.upper() for method in _drf_methods(entry.callback))))
    return routes


def _drf_methods(view) -> list[str]:
    if getattr(view, "actions", None):  # a viewset's route: its own methods (HEAD is GET's, when it runs GET's action)
        return [method for method, name in view.actions.items() if not (method == "head" and name == view.actions.get("get"))]
    cls = getattr(view, "cls", None)
    if cls is not None and hasattr(cls, "http_method_names"):  # an APIView: the handlers it defines
        return [method for method in ("get", "post", "put", "patch", "delete") if hasattr(cls, method)]
    return []


def area(pattern: str) -> str:
    for prefix in ("admin/", "accounts/", "api/"):
        if pattern.startswith(prefix):
            return prefix.rstrip("/")
    return "pages"


AREAS = ("pages", "api", "admin", "accounts")


def test_every_route_has_its_expectations():
    """A new route (or a new method on an API route) fails here until its cases are in EXPECTATIONS."""
    routes = {route.pattern: route for route in routes_walk()}
    missing = sorted(set(routes) - set(EXPECTATIONS))
    stale = sorted(set(EXPECTATIONS) - set(routes))
    assert not missing, "routes with no expectation in tests/authz/test_matrix.py:\n" + "\n".join(missing)
    assert not stale, "expectations for routes that no longer exist:\n" + "\n".join(stale)
    untested = {
        pattern: sorted(route.methods - {case.method for case in EXPECTATIONS[pattern]})
        for pattern, route in routes.items() if route.methods - {case.method for case in EXPECTATIONS[pattern]}
    }
    assert not untested, f"API methods with no case: {untested}"


# --- running the cases -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, built once for the module in a transaction rolled back at its end (tests/authz/world.py)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield world_build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _fill(value, names):
    if isinstance(value, str):
        return value.format(**names) if "{" in value else value
    if isinstance(value, list):
        return [_fill(item, names) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, names) for key, item in value.items()}
    return value


def _ids_as_ints(value):
    """JSON bodies carry ids as numbers: a filled placeholder that is all digits becomes one."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(value, list):
        return [_ids_as_ints(item) for item in value]
    if isinstance(value, dict):
        return {key: _ids_as_ints(item) for key, item in value.items()}
    return value


def _tables_written() -> dict[str, int]:
    """Rows inserted, updated or deleted so far in this transaction, per table (rolled-back savepoints included)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables")
        return dict(cursor.fetchall())


def _table_content(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM {connection.ops.quote_name(table)} t")
        return cursor.fetchone()[0]


class Effects:
    """Which tables a request changed: those it wrote to (pg_stat_xact_user_tables) whose content then differs
    from the world's (a write undone by the request's own rollback is no effect)."""

    def __init__(self):
        self.world_content: dict[str, str] = {}

    def measure(self, request) -> tuple[object, list[str]]:
        """Run `request()` in a savepoint rolled back after it; its response and the tables it changed."""
        cache_clear_own()  # rate-limit counters: every case starts with none
        before = _tables_written()
        savepoint = transaction.savepoint()
        try:
            response = request()
            written = [table for table, count in _tables_written().items() if count != before.get(table, 0) and table not in IGNORED_TABLES]
            after = {table: _table_content(table) for table in written}
        finally:
            transaction.savepoint_rollback(savepoint)
        for table in after:
            self.world_content.setdefault(table, _table_content(table))
        return response, sorted(table for table, content in after.items() if content != self.world_content[table])


def _client(user) -> APIClient:
    client = APIClient()
    client.raise_request_exception = False  # a 500 is a status like any other here, and reported as one
    if user is not None:
        client.force_login(user)
    return client


def _send(client: APIClient, case: Case, path: str, data):
    method = getattr(client, case.method.lower())
    if case.method == "GET":
        return method(path)
    if case.json:
        return method(path, _ids_as_ints(data) if data is not None else None, format="json")
    return method(path, data or {})


@pytest.mark.parametrize("area_name", AREAS)
def test_each_role_gets_the_expected_answer_and_effect(area_name, world, db, capsys):
    effects, failures, checked = Effects(), [], set()
    clients = {role: _client(user) for role, user in world.users.items()}  # signed in once, in this test's transaction
    for pattern, cases in sorted(EXPECTATIONS.items()):
        if area(pattern) != area_name:
            continue
        for case in cases:
            path = _fill(case.path, world.names)
            assert resolve(path.split("?")[0]).route == re.sub(r"/\^", "/", pattern), f"{path} does not reach {pattern}"
            data = _fill(case.data, world.names)
            observed, observed_writes, started = [], "", time.monotonic()
            expected = None if OBSERVE else case.statuses()
            for letter, role in ROLE_LETTERS.items():
                client = clients[role]
                session = client.cookies.get(settings.SESSION_COOKIE_NAME)
                response, changed = effects.measure(lambda: _send(client, case, path, data))  # noqa: B023  called at once
                # Only the sign-in carries over: a logout's emptied cookie (its session row is rolled back) or
                # set_language's cookie would change who, or in which language, the next case asks.
                client.cookies = SimpleCookie({settings.SESSION_COOKIE_NAME: session.value} if session else {})
                checked.add((pattern, role))
                observed.append(str(response.status_code))
                observed_writes += letter if changed else ""
                if OBSERVE:
                    continue
                if response.status_code not in expected[role]:
                    failures.append(f"{case.method} {path} as {role}: {response.status_code}, expected {case.expect.split()[ROLES.index(role)]}")
                if bool(changed) != (role in case.writers()):
                    failures.append(
                        f"{case.method} {path} as {role}: " + (f"changed {changed}" if changed else "changed nothing, but must")
                    )
            if OBSERVE:
                with capsys.disabled():
                    print(f'{case.method:6} {case.path:70} "{" ".join(observed)}" writes="{observed_writes}" {time.monotonic() - started:.1f}s')
    print(f"authorisation matrix, {area_name}: {len({p for p, _r in checked})} routes × {len(ROLES)} roles = {len(checked)} checked")
    assert not failures, "\n".join(failures)


def test_the_effect_check_sees_a_write_and_only_a_lasting_one(world, db):
    """The matrix's "changed nothing" is only as good as this: a row written is seen, a write undone is not."""
    from django.contrib.auth.models import Group

    effects = Effects()

    def undone():
        with transaction.atomic():
            Group.objects.create(name="Matrix undone")
            transaction.set_rollback(True)

    assert effects.measure(lambda: Group.objects.create(name="Matrix written"))[1] == ["auth_group"]
    assert effects.measure(lambda: Group.objects.filter(name="Matrix group").update(name="Matrix renamed"))[1] == ["auth_group"]
    assert effects.measure(undone)[1] == []
    assert not Group.objects.filter(name__in=["Matrix written", "Matrix renamed"]).exists()  # each case was rolled back
