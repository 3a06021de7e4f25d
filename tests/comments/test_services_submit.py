"""comment_submit: what is accepted, with its receipt; and every refusal, which saves nothing."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import services
from comments.models import Comment, OutboxEmail, Receipt
from config.errors import ApplicationError, NotFound, PermissionDenied
from consult.models import Phase
from drafts.models import Provision
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
CLAUSE = "spiritual and moral values"
SAVEPOINT_SQL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def submit(user, provision, **overrides):
    arguments = {"body": "Restrictions must follow the ICCPR.", "stance": "oppose", "language": "en"}
    arguments.update(overrides)
    return services.comment_submit(author=user, provision_id=provision.pk, **arguments)


def _nothing_saved():
    return not Comment.objects.exists() and not Receipt.objects.exists() and not OutboxEmail.objects.exists()


def test_a_comment_is_saved_with_its_receipt_and_an_email(aigerim, draft_provision, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        comment = submit(aigerim, draft_provision)
    assert len(callbacks) == 2  # the outbox sweep and the campaigns sweep, each asked for after commit
    comment.refresh_from_db()
    assert (comment.author_name, comment.submitter_type, comment.status) == ("Aigerim", "individual", "published")
    assert comment.version == draft_provision.version and comment.lineage_id == draft_provision.lineage_id
    receipt = comment.receipt
    assert receipt.sequence == 1 and receipt.number == "TARVANIA-2026-0000001"
    assert OutboxEmail.objects.get().to == "aigerim@example.org"


def test_a_quote_is_checked_and_anchored(aigerim, draft_provision):
    """Stored as the W3C selectors: the words, their offsets, and the 32 characters around them (the
    clause ends the paragraph, so only its full stop follows)."""
    comment = submit(aigerim, draft_provision, quote=services.QuoteInput(exact=CLAUSE, language="en"))
    text = draft_provision.texts.get(language="en").text
    stored = Comment.objects.get(pk=comment.pk)
    start = text.index(CLAUSE)
    assert (stored.quote_exact, stored.quote_start, stored.quote_end) == (CLAUSE, start, start + len(CLAUSE))
    assert (stored.quote_prefix, stored.quote_suffix) == ("e health of the population, and ", ".")
    assert text.endswith(stored.quote_prefix + CLAUSE + stored.quote_suffix) and stored.quote_language == "en"


@pytest.mark.parametrize("language", ["ru", "de"])
def test_a_quote_read_in_the_english_shown_for_an_untranslated_provision_is_found_there(aigerim, demo, language):
    """The reader in Russian shows the authoritative English of a provision with no Russian text (Section III
    onwards in the demo); words quoted from it are found in that English text (so for a language it has none of)."""
    provision = Provision.objects.get(version__document__slug="constitution", version__number=1, path="III/26/1")
    assert not provision.texts.filter(language=language).exists()
    text = provision.texts.get(language="en").text
    words = " ".join(text.split()[2:6])
    comment = Comment.objects.get(pk=submit(aigerim, provision, quote=services.QuoteInput(exact=words, language=language)).pk)
    assert comment.quote_language == "en" and text[comment.quote_start:comment.quote_end] == words


def test_a_quote_in_a_language_the_provision_has_is_looked_for_in_that_text_only(aigerim, draft_provision):
    with pytest.raises(ApplicationError) as error:
        submit(aigerim, draft_provision, quote=services.QuoteInput(exact=CLAUSE, language="kk"))  # English words, kk text
    assert error.value.code == "quote_not_found" and _nothing_saved()
    kazakh = "рухани-адамгершілік құндылықтарды"
    comment = Comment.objects.get(pk=submit(aigerim, draft_provision, quote=services.QuoteInput(exact=kazakh, language="kk")).pk)
    assert comment.quote_language == "kk" and draft_provision.texts.get(language="kk").text[comment.quote_start:comment.quote_end] == kazakh


def test_a_quote_with_wrong_offsets_is_found_by_its_context(aigerim, draft_provision):
    comment = submit(aigerim, draft_provision, quote=services.QuoteInput(exact="the", prefix="protect ", start=3))
    text = draft_provision.texts.get(language="en").text
    assert text[comment.quote_start - 8 : comment.quote_start] == "protect "


def test_organisations_are_recorded_as_such(make_participant, draft_provision):
    ngo = make_participant("Legal Aid Centre", organisation="Legal Aid Centre")
    comment = submit(ngo, draft_provision)
    assert (comment.submitter_type, comment.organisation_name) == ("organisation", "Legal Aid Centre")


def test_propose_wording_keeps_the_wording(aigerim, draft_provision):
    comment = submit(aigerim, draft_provision, stance="propose_wording", proposed_wording="... public health and public morals.")
    assert comment.proposed_wording == "... public health and public morals."


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   \n "}, "body"),
        ({"body": "x" * 10_001}, "body"),
        ({"stance": "love"}, "stance"),
        ({"stance": "propose_wording"}, "proposed_wording"),
        ({"language": "xx"}, "language"),
        ({"language": "kk-KZ"}, "language"),
        ({"quote": services.QuoteInput(exact="words that are not there")}, "quote"),
    ],
)
def test_bad_input_is_a_400_with_the_field_and_saves_nothing(aigerim, draft_provision, overrides, field):
    with pytest.raises(ApplicationError) as error:
        submit(aigerim, draft_provision, **overrides)
    assert error.value.status == 400 and field in error.value.fields
    assert _nothing_saved()


def test_exactly_10000_characters_is_accepted(aigerim, draft_provision):
    assert len(submit(aigerim, draft_provision, body="y" * 10_000).body) == 10_000


def test_the_body_is_stored_as_written(aigerim, draft_provision):
    body = "<script>alert(1)</script> & «кавычки» — 'quotes'"
    assert Comment.objects.get(pk=submit(aigerim, draft_provision, body=body).pk).body == body


def test_an_unverified_account_cannot_comment(make_participant, draft_provision):
    with pytest.raises(PermissionDenied) as error:
        submit(make_participant("Unverified", verified=False), draft_provision)
    assert error.value.code == "email_unverified" and _nothing_saved()


def test_anonymous_cannot_comment(draft_provision):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied) as error:
        submit(AnonymousUser(), draft_provision)
    assert error.value.code == "not_authenticated" and _nothing_saved()


def test_an_unknown_provision_is_404(aigerim, demo):
    with pytest.raises(NotFound):
        services.comment_submit(author=aigerim, provision_id=987654, body="x", stance="support", language="en")
    assert _nothing_saved()


def test_a_closed_phase_is_refused(aigerim, draft_provision):
    Phase.objects.filter(version=draft_provision.version).update(
        opens_at=timezone.now() - datetime.timedelta(days=20), closes_at=timezone.now() - datetime.timedelta(days=1)
    )
    with pytest.raises(PermissionDenied) as error:
        submit(aigerim, draft_provision)
    assert error.value.code == "phase_closed" and _nothing_saved()


def test_the_baseline_without_a_phase_is_refused(aigerim, demo):
    baseline = Provision.objects.filter(version__number=0, kind="article").first()
    with pytest.raises(PermissionDenied) as error:
        submit(aigerim, baseline)
    assert error.value.code == "phase_closed" and _nothing_saved()


def test_a_superseded_version_is_refused(aigerim, draft_provision, make_version):
    from tests.conftest import SMALL_CONSTITUTION_EN

    make_version(draft_provision.version.document, texts={"en": SMALL_CONSTITUTION_EN})  # draft 2 supersedes draft 1
    with pytest.raises(PermissionDenied) as error:
        submit(aigerim, draft_provision)
    assert error.value.code == "version_superseded" and _nothing_saved()


def test_an_unpublished_version_is_404(aigerim, demo, make_version):
    from tests.conftest import SMALL_CONSTITUTION_EN

    preparing = make_version(demo.documents.get(slug="constitution"), texts={"en": SMALL_CONSTITUTION_EN}, publish=False)
    with pytest.raises(NotFound):
        submit(aigerim, preparing.provisions.first())
    assert _nothing_saved()


def test_replies_are_one_level_deep(aigerim, make_participant, draft_provision):
    comment = submit(aigerim, draft_provision)
    bolat = make_participant("Bolat")
    reply = submit(bolat, draft_provision, parent_id=comment.pk, stance="question")
    assert reply.parent == comment
    with pytest.raises(ApplicationError) as error:
        submit(aigerim, draft_provision, parent_id=reply.pk)
    assert error.value.code == "reply_depth" and Comment.objects.count() == 2


def test_a_reply_must_be_on_the_same_provision(aigerim, draft_provision):
    comment = submit(aigerim, draft_provision)
    other = Provision.objects.get(version=draft_provision.version, path="II/25/2")
    with pytest.raises(ApplicationError):
        submit(aigerim, other, parent_id=comment.pk)


def test_only_commission_members_reply_officially(aigerim, make_participant, draft_provision, demo):
    comment = submit(aigerim, draft_provision)
    with pytest.raises(PermissionDenied):
        submit(aigerim, draft_provision, parent_id=comment.pk, official=True)
    member = make_participant("Commission Secretary")
    MembershipFactory(consultation=demo, user=member, role="chair")
    reply = submit(member, draft_provision, parent_id=comment.pk, official=True, stance="question")
    assert reply.is_official


def _statements(queries: CaptureQueriesContext) -> list[str]:
    """The SQL a call ran, without the savepoints its atomic block takes inside the test's transaction."""
    return [query["sql"] for query in queries.captured_queries if not query["sql"].lstrip().startswith(SAVEPOINT_SQL)]


READ = "drafts_provision"  # the provision, its version, open phase, participant, e-mail and quoted text: one SELECT
WRITE = "INSERT INTO comments_comment"  # the comment, its receipt, the chain's head and the e-mail: one statement


@pytest.mark.parametrize(
    ("overrides", "statements"),
    [
        ({}, [READ, WRITE]),
        ({"quote": services.QuoteInput(exact=CLAUSE, language="en")}, [READ, WRITE]),
        ({"parent_id": "first", "stance": "question"}, [READ, '"comments_comment"', WRITE]),  # the parent is read
    ],
    ids=["comment", "quote", "reply"],
)
def test_a_submission_runs_a_fixed_small_number_of_queries(aigerim, draft_provision, overrides, statements):
    first = submit(aigerim, draft_provision)  # the first one also creates the consultation's receipt chain
    if overrides.get("parent_id"):
        overrides = {**overrides, "parent_id": first.pk}
    with CaptureQueriesContext(connection) as queries:
        submit(aigerim, draft_provision, **overrides)
    ran = _statements(queries)
    assert len(ran) == len(statements), "\n\n".join(ran)
    assert all(marker in sql for marker, sql in zip(statements, ran)), "\n\n".join(ran)
