"""The public reading pages served to a flash crowd: rendered once per state, revalidated with ETags.

A published version never changes, so what its reader page shows changes only with the live data
around it (the comment counts, the open phases, the version's successors) and the interface and text
languages. The view reads that live data on every request (a few small queries: the counts are one
row per provision, comments.counting) and passes it as the page's `stamp`, with a function that
builds the rest of the context (the text tree: the costly part). The stamp, the page's address and
the interface language name the cached HTML, so no language or version is ever served another's
page. The reader's counts change with every comment: they are left out of its stamp and filled in on
every response where the template marks them (counts_fill), so they are never stale and a new
comment does not render the draft again. An article's page stamps the comments it shows.

Only what every visitor would see alike is shared: the anonymous rendering of a published or
superseded version (a preview is never cached), without one-off messages, and for the query
parameters the view knows (any other would make a cache entry per made-up address). The one
per-visitor part of that rendering, the CSRF token of the interface language form, is rendered as
a placeholder and filled in per response. The ETag adds a digest of the visitor's CSRF cookie, so
that a browser's copy is revalidated (304) only while the token in it still works.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.html import escape
from django.utils.translation import get_language, gettext, ngettext

from drafts.models import DraftVersion

CSRF_PLACEHOLDER = "csrfplaceholder0a1b2c3d4e5f"  # letters and digits only: rendered as it is, found and replaced
CACHE_KEY_PREFIX = "page:"
# Bumped when what a page shows changes otherwise than through its stamp (a template edited by a deploy).
CACHE_GENERATION = "1"


def page_is_shared(request: HttpRequest, *, version: DraftVersion, parameters: frozenset[str]) -> bool:
    """Whether this request gets the rendering every visitor gets (and so may be served from the cache)."""
    return (
        settings.READER_CACHE_SECONDS > 0
        and request.method in {"GET", "HEAD"}
        and not request.user.is_authenticated
        and version.status != DraftVersion.Status.PREPARING
        and set(request.GET) <= parameters
        and not len(messages.get_messages(request))  # counts them without marking them read
    )


def page_render(
    request: HttpRequest, template: str, *, version: DraftVersion, stamp: tuple, context: Callable[[], dict],
    parameters: frozenset[str] = frozenset({"lang"}), fill: Callable[[str], str] | None = None, fill_stamp: tuple = (),
) -> HttpResponse:
    """The page, from the cache or rendered (and then cached), or 304 when the visitor's copy is current.

    `fill`, if given, completes the HTML on every response (the counts: counts_fill) from the live data in
    `fill_stamp`, which names the visitor's copy (the ETag) but not the cached rendering: a new comment
    changes the counts filled in, and the text around them is not rendered again.
    """
    fill = fill or (lambda html: html)
    if not page_is_shared(request, version=version, parameters=parameters):
        response = render(request, template, context())
        response.content = fill(response.content.decode())
        return response
    digest = hashlib.sha256(
        repr((CACHE_GENERATION, template, request.get_full_path(), get_language(), stamp)).encode()
    ).hexdigest()[:40]
    token = get_token(request)  # the cookie's secret, masked anew: also sets the cookie for a first visit
    copy = hashlib.sha256(repr((digest, request.META["CSRF_COOKIE"], fill_stamp)).encode()).hexdigest()[:40]
    etag = f'"{copy}"'
    if etag in {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}:
        response = HttpResponseNotModified()
    else:
        html = cache.get(CACHE_KEY_PREFIX + digest)
        if html is None:
            rendered = render(request, template, {**context(), "csrf_token": CSRF_PLACEHOLDER})
            html = rendered.content.decode()
            cache.set(CACHE_KEY_PREFIX + digest, html, settings.READER_CACHE_SECONDS)
        response = HttpResponse(fill(html.replace(CSRF_PLACEHOLDER, token)))
    response["ETag"] = etag
    # Each browser keeps its own copy (it holds its CSRF token) and asks again each time: 304 while current.
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


_COUNT_MARK = re.compile(r"<!--count:(article|hidden|badge):(\d+)(?::([^<>]*?))?-->")


def counts_fill(html: str, *, counts: dict, open_phase) -> str:
    """The reader page's comment counts, where templates/drafts/_provision.html marks them: an article's link
    ("3 comments", else "Comment on this article" while a phase is open, else "Open this article"), its hidden
    ones, and a paragraph's own count as a link to them. `counts` is comments.selectors.comment_counts_by_subtree's."""

    def count(match: re.Match) -> str:
        kind, provision_id, href = match[1], int(match[2]), match[3]
        counted = counts.get(provision_id)
        if kind == "article":
            if counted and counted.published:
                return escape(ngettext("%(counter)s comment", "%(counter)s comments", counted.published) % {"counter": counted.published})
            return escape(gettext("Comment on this article") if open_phase else gettext("Open this article"))
        if kind == "hidden":
            if not counted or not counted.hidden:
                return ""
            hidden = ngettext("%(counter)s hidden by moderators", "%(counter)s hidden by moderators", counted.hidden)
            return f' <span class="meta">({escape(hidden % {"counter": counted.hidden})})</span>'
        if not counted or not counted.own.published:
            return ""
        label = ngettext("%(counter)s comment", "%(counter)s comments", counted.own.published) % {"counter": counted.own.published}
        return f' <a class="count-badge" href="{escape(href)}">{escape(label)}</a>'

    return _COUNT_MARK.sub(count, html)
