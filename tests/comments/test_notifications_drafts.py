"""Notices of a new draft: followers hear what became of each provision they follow, and authors of comments behind
a concern hear that their provision changed; once per person and version, however often the work is delivered."""
import time

import pytest
from django.core import mail

from comments import services, tasks
from comments.concerns import services as concerns
from comments.models import OutboxEmail, VersionNotices
from comments.notifications import services as notifications
from consult import services as consult_services
from consult.demo_data import DEMO_DIR
from drafts import services as draft_services
from drafts.models import Alignment, Document, Provision
from tests.conftest import wait_for

SITE = "https://consult.example.org"
DRAFT_2_EN = (
    (DEMO_DIR / "constitution_v1.en.md").read_text()
    .replace("the health of the population, and spiritual and moral values.", "public health or morals.")
    .replace(
        "3. Temporary restrictions of rights and freedoms may be imposed in a state of emergency or martial law only within the "
        "limits provided by the Constitution and the law, with an indication of the period of their effect.\n",
        "",
    )
)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE + "/"


@pytest.fixture
def constitution(demo):
    return Document.objects.get(slug="constitution")


def _provision(path, number=1):
    return Provision.objects.get(version__document__slug="constitution", version__number=number, path=path)


def _import_draft_2(constitution):
    sources = draft_services.draft_sources_parse(uploads=[draft_services.DraftUpload("v2.en.md", DRAFT_2_EN.encode(), "en")])
    return draft_services.draft_version_import(document=constitution, sources=sources, label="Draft 2", accept_warnings=True)


def _publish_draft_2(constitution, admin=None):
    return draft_services.draft_version_publish(version=_import_draft_2(constitution), by=admin)


@pytest.fixture
def audience(make_participant, member, demo, comments, draft_provision):
    """Who may be told of draft 2:
    - Aigerim follows II/25/1 (to be modified), II/25/2 (unchanged) and II/25/3 (to be removed);
    - Citizen 0 and Citizen 1 commented on II/25/1 behind a concern that was accepted; Citizen 0 also follows II/24;
    - Dana wrote in Russian, behind the concern too; Citizen 2's comment is behind no concern;
    - Bolat follows II/25/1 without a verified address (he is told nothing);
    - Erlan's comment is behind a concern, on II/24/1, which draft 2 leaves unchanged (he is told nothing).
    """
    aigerim = make_participant("Aigerim")
    for path in ("II/25/1", "II/25/2", "II/25/3"):
        consult_services.provision_follow(user=aigerim, provision_id=_provision(path).pk)
    dana = make_participant("Dana")
    russian = services.comment_submit(
        author=dana, provision_id=draft_provision.pk, stance="oppose", language="ru", body="«Духовно-нравственные ценности» слишком расплывчаты.",
    )
    concern = concerns.concern_create(
        actor=member, consultation_id=demo.pk, title="Grounds for restricting rights", comment_ids=[comments[0].pk, comments[1].pk, russian.pk],
    )
    concerns.concern_decide(actor=member, concern_id=concern.pk, status="accepted", rationale="Only the grounds the ICCPR allows.")
    citizen_0 = comments[0].author
    consult_services.provision_follow(user=citizen_0, provision_id=_provision("II/24").pk)
    bolat = make_participant("Bolat")
    consult_services.provision_follow(user=bolat, provision_id=_provision("II/25/1").pk)
    bolat.emailaddress_set.update(verified=False)
    erlan = make_participant("Erlan")  # behind a concern, on a provision draft 2 leaves unchanged: nothing to tell
    unchanged = services.comment_submit(author=erlan, provision_id=_provision("II/24/1").pk, stance="support", language="en", body="Good.")
    concerns.concern_create(actor=member, consultation_id=demo.pk, title="Duties", comment_ids=[unchanged.pk])
    OutboxEmail.objects.all().delete()  # the receipts and the decision notices: not what these tests read
    return {"aigerim": aigerim, "citizen_0": citizen_0, "citizen_1": comments[1].author, "dana": dana, "concern": concern, "comments": comments}


def _notices(version):
    return {email.to: email for email in OutboxEmail.objects.filter(key__startswith=f"version:{version.pk}:")}


@pytest.mark.django_db
def test_publishing_records_the_notices_only_when_someone_may_be_told(constitution, django_capture_on_commit_callbacks):
    draft_2 = _import_draft_2(constitution)
    with django_capture_on_commit_callbacks() as queued:
        draft_services.draft_version_publish(version=draft_2, by=None)
    assert not VersionNotices.objects.exists() and len(queued) == 1  # the comparison with the baseline only


@pytest.mark.django_db
def test_the_notices_are_recorded_with_the_publication_and_queued_after_commit(audience, constitution, django_capture_on_commit_callbacks):
    draft_2 = _import_draft_2(constitution)
    with django_capture_on_commit_callbacks() as queued:
        version = draft_services.draft_version_publish(version=draft_2, by=None)
    job = VersionNotices.objects.get()
    assert job.version == version and job.status == "pending"
    assert job.alignment == Alignment.objects.get(old_version__number=1, new_version=version) and job.alignment.status == "done"
    assert len(queued) == 2  # the notices and the comparison with the baseline
    assert not OutboxEmail.objects.exists()  # nothing is written before a worker runs the job


@pytest.mark.django_db
def test_each_person_gets_one_notice_saying_what_became_of_their_provisions(audience, constitution):
    version = _publish_draft_2(constitution)
    job = notifications.version_notices_run(job_id=VersionNotices.objects.get().pk)
    assert job.status == "done" and job.emails == 4
    notices = _notices(version)
    assert set(notices) == {"aigerim@example.org", "citizen.0@example.org", "citizen.1@example.org", "dana@example.org"}

    follower = notices["aigerim@example.org"]
    assert follower.subject == "Constitution of the Republic of Tarvania: Draft 2 is published"
    body = follower.body
    assert "Paragraph 1 (II/25/1): modified." in body and "Paragraph 2 (II/25/2): unchanged." in body and "Paragraph 3 (II/25/3): removed." in body
    assert body.index("II/25/1") < body.index("II/25/2") < body.index("II/25/3")  # in reading order
    assert f"{SITE}/c/tarvania-2026/constitution/v2/p/II/25/1/" in body  # absolute links to the new version
    assert f"{SITE}/c/tarvania-2026/constitution/compare/v1-v2/" in body and f"{SITE}/c/tarvania-2026/constitution/v2/" in body
    assert f"{SITE}/account/profile/" in body and f"{SITE}/me/comments/" in body
    assert "Your comments" not in body  # she commented on nothing

    both = notices["citizen.0@example.org"].body  # a commenter who also follows: one e-mail with both parts
    assert "Article 24 (II/24): unchanged." in both
    assert f"Your comment {audience['comments'][0].receipt.number} on Paragraph 1 (II/25/1) of Draft 1: modified." in both
    assert "“Grounds for restricting rights”: Accepted." in both and f"{SITE}/c/tarvania-2026/concerns/{audience['concern'].pk}/" in both
    assert "The provisions you follow" not in notices["citizen.1@example.org"].body

    russian = notices["dana@example.org"]  # her comment is in Russian
    assert "Пункт 1 (II/25/1)" in russian.body and "The provisions you follow" not in russian.body
    assert russian.key == f"version:{version.pk}:user:{audience['dana'].pk}"


@pytest.mark.django_db
def test_a_notice_is_in_the_language_of_the_comment_else_of_the_follow(audience, constitution, settings):
    from django.utils import translation

    with translation.override("ru"):
        consult_services.provision_follow(user=audience["aigerim"], provision_id=_provision("II/25").pk)  # her latest follow: in Russian
    version = _publish_draft_2(constitution)
    notifications.version_notices_run(job_id=VersionNotices.objects.get().pk)
    notices = _notices(version)
    assert "Статья 25 (II/25)" in notices["aigerim@example.org"].body  # the provision's kind in Russian
    assert "Пункт 1 (II/25/1)" in notices["aigerim@example.org"].body
    assert "Article 24 (II/24)" in notices["citizen.0@example.org"].body  # his comment is in English


@pytest.mark.django_db
def test_running_the_notices_again_writes_nothing_twice(audience, constitution):
    version = _publish_draft_2(constitution)
    job = VersionNotices.objects.get()
    notifications.version_notices_run(job_id=job.pk)
    assert notifications.version_notices_run(job_id=job.pk).emails == 4  # a done job is not claimed again
    assert OutboxEmail.objects.count() == 4
    # Past the job's guard (a worker taken over after it wrote): the keys keep every e-mail single.
    emails = notifications.version_notice_emails(version_id=version.pk, alignment_id=job.alignment_id)
    assert len(emails) == 4 and notifications.outbox_emails_add(emails=emails) == 0
    assert OutboxEmail.objects.count() == 4


@pytest.mark.django_db
def test_a_follower_of_an_unchanged_provision_only_is_still_told_and_nobody_else_is_told_of_nothing(make_participant, constitution):
    reader = make_participant("Reader")
    consult_services.provision_follow(user=reader, provision_id=_provision("I/1").pk)
    version = _publish_draft_2(constitution)
    notifications.version_notices_run(job_id=VersionNotices.objects.get().pk)
    [notice] = OutboxEmail.objects.all()
    assert notice.to == "reader@example.org" and "(I/1): unchanged." in notice.body and version.label in notice.subject


@pytest.mark.django_db
def test_the_decision_notice_is_keyed_so_it_is_written_once(member, demo, comments):
    concern = concerns.concern_create(actor=member, consultation_id=demo.pk, title="A point", comment_ids=[comments[0].pk])
    OutboxEmail.objects.all().delete()
    concerns.concern_decide(actor=member, concern_id=concern.pk, status="rejected", rationale="Kept.")
    [notice] = OutboxEmail.objects.all()
    event = concern.events.get(decision__isnull=False)
    assert notice.key == f"decision:{event.pk}:user:{comments[0].author_id}"
    assert notifications.outbox_emails_add(emails=[(notice.to, notice.subject, notice.body, notice.key)]) == 0
    concerns.concern_decide(actor=member, concern_id=concern.pk, status="accepted", rationale="Reconsidered.", revises=True)
    assert OutboxEmail.objects.count() == 2  # a revised decision is a new decision, and a new notice


@pytest.mark.django_db
def test_the_decision_notice_links_its_receipt_and_its_concern_absolutely(member, demo, comments, settings):
    settings.SITE_URL = "https://consult.example.org"
    concern = concerns.concern_create(actor=member, consultation_id=demo.pk, title="A point", comment_ids=[comments[0].pk])
    OutboxEmail.objects.all().delete()
    concerns.concern_decide(actor=member, concern_id=concern.pk, status="rejected", rationale="Kept.")
    [notice] = OutboxEmail.objects.all()
    receipt = concern.events.get(decision__isnull=False).receipt
    assert f"https://consult.example.org/receipts/{receipt.number}/" in notice.body
    assert f"https://consult.example.org/c/{demo.slug}/concerns/{concern.pk}/" in notice.body


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_notices_after_the_publication(celery_worker, audience, constitution):
    draft_2 = _import_draft_2(constitution)
    assert wait_for(lambda: Alignment.objects.get(new_version=draft_2, old_version__number=1).status == "done", seconds=60)
    draft_services.draft_version_publish(version=draft_2, by=None)
    assert wait_for(lambda: len(_sent()) == 4, seconds=30)
    job = VersionNotices.objects.get()
    assert job.status == "done" and job.emails == 4 and job.attempts == 1
    assert sorted(email.to[0] for email in _sent()) == ["aigerim@example.org", "citizen.0@example.org", "citizen.1@example.org", "dana@example.org"]


@pytest.mark.django_db(transaction=True)
def test_the_same_task_delivered_twice_sends_each_notice_once(celery_worker, audience, constitution):
    from config.tasks import enqueue_now

    draft_2 = _import_draft_2(constitution)
    assert wait_for(lambda: Alignment.objects.get(new_version=draft_2, old_version__number=1).status == "done", seconds=60)
    draft_services.draft_version_publish(version=draft_2, by=None)
    job = VersionNotices.objects.get()
    enqueue_now("comments.tasks.version_notices_send", job_id=job.pk)  # the message again (acks_late redelivery, the sweep)
    enqueue_now("comments.tasks.version_notices_send", job_id=job.pk)
    assert wait_for(lambda: len(_sent()) >= 4, seconds=30)
    assert tasks.version_notices_send(job_id=job.pk) == 4  # and once more, here: the job is done, nothing is written
    assert wait_for(lambda: not OutboxEmail.objects.filter(sent_at__isnull=True).exists(), seconds=15)
    time.sleep(1.5)  # a second sending, if there were one, would have happened by now
    recipients = sorted(email.to[0] for email in _sent())
    assert recipients == ["aigerim@example.org", "citizen.0@example.org", "citizen.1@example.org", "dana@example.org"]
    assert OutboxEmail.objects.count() == 4 and VersionNotices.objects.get().attempts == 1


def _sent():
    """The notices of draft 2 among the e-mails sent, whatever their language (Dana's is in Russian)."""
    return [email for email in mail.outbox if "Draft 2" in email.subject]
