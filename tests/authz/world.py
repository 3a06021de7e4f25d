"""The world the authorisation matrix walks: the demo consultation with its comments, concerns and campaign,
one account per role, and the objects each route names (tests/authz/test_matrix.py).

Built once per test module, through the services, inside a transaction that is rolled back at the end of
the module; each request of the matrix then runs in a savepoint of it, rolled back after the request.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("anonymous", "unverified", "citizen", "other_citizen", "other_member", "member", "staff")
ROLE_LETTERS = dict(zip("AUCOXMS", ROLES, strict=True))


@dataclass
class World:
    users: dict  # role -> user (None for anonymous)
    names: dict[str, object] = field(default_factory=dict)  # what the paths' {placeholders} are filled with


def world_build() -> World:
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    from comments import services
    from comments.concerns import services as concerns
    from comments.demo_data import demo_comments_load
    from comments.digests import services as digests
    from comments.digests.models import DigestReport
    from comments.models import Campaign, Concern, OutboxEmail
    from comments.moderation import services as moderation
    from consult import services as consult_services
    from consult.demo_data import DEMO_DIR, demo_consultation_load
    from consult.models import Consultation
    from drafts import services as drafts
    from drafts.models import Alignment, Document, Provision
    from tests.factories import AdminFactory, ConsultationFactory, MembershipFactory, participant_user

    demo = demo_consultation_load(admin_password="admin")
    demo_comments_load(consultation=demo)
    citizen = participant_user("Matrix Citizen")
    other_citizen = participant_user("Matrix Other Citizen")
    other_member = participant_user("Matrix Other Member")
    member = participant_user("Matrix Member")
    staff = AdminFactory(username="matrix-staff")  # runs the platform; not on any commission
    users = {
        "anonymous": None, "unverified": participant_user("Matrix Unverified", verified=False), "citizen": citizen,
        "other_citizen": other_citizen, "other_member": other_member, "member": member, "staff": staff,
    }
    MembershipFactory(consultation=demo, user=member)
    elsewhere = ConsultationFactory(slug="matrix-elsewhere")
    MembershipFactory(consultation=elsewhere, user=other_member)

    grounds = Provision.objects.get(version__document__slug="constitution", version__number=1, path="II/25/1")
    comment = services.comment_submit(author=citizen, provision_id=grounds.pk, body="Matrix comment.", stance="oppose", language="en")
    services.comment_endorse(comment_id=comment.pk, user=other_citizen)
    consult_services.provision_follow(user=other_citizen, provision_id=grounds.pk)
    hidden = services.comment_submit(author=citizen, provision_id=grounds.pk, body="Matrix hidden.", stance="oppose", language="en")
    moderation.comment_hide(comment_id=hidden.pk, moderator=member, reason="Matrix reason.")
    moderation.comment_report(comment_id=comment.pk, reporter=other_citizen, reason="Matrix report.")
    concerns.concern_create(actor=member, consultation_id=demo.pk, title="Matrix concern", comment_ids=[comment.pk])
    concern = Concern.objects.get(title="Matrix concern")
    other_concern = Concern.objects.filter(consultation=demo, status="under_review").exclude(pk=concern.pk).first()

    constitution = Document.objects.get(slug="constitution")
    uploads = [drafts.DraftUpload(filename="v2.en.md", data=(DEMO_DIR / "constitution_v2.en.md").read_bytes(), language="en")]
    preparing = drafts.draft_version_import(document=constitution, sources=drafts.draft_sources_parse(uploads=uploads), accept_warnings=True)

    report = digests.digest_request(consultation=demo, kind=DigestReport.Kind.ON_DEMAND, requested_by=member)
    digests.digest_build(report_id=report.pk)

    published = constitution.versions.get(number=1)
    names = {
        "slug": demo.slug, "document": constitution.slug, "version": published.pk, "preparing": preparing.pk,
        "provision": grounds.pk, "path": grounds.path, "comment": comment.pk, "hidden": hidden.pk,
        "receipt": comment.receipt.number, "concern": concern.pk, "other_concern": other_concern.pk,
        "campaign": Campaign.objects.filter(consultation=demo).values_list("pk", flat=True).first(),
        "report": report.pk, "user": citizen.pk, "group": Group.objects.create(name="Matrix group").pk,
        "email": citizen.emailaddress_set.get().pk, "alignment": Alignment.objects.values_list("pk", flat=True).first(),
        "outbox": OutboxEmail.objects.values_list("pk", flat=True).first(),
        "consultation": Consultation.objects.get(slug=demo.slug).pk, "elsewhere": elsewhere.slug,
        "grounds_comment": other_concern.comments.order_by("pk").values_list("pk", flat=True).first(),
        "document_id": constitution.pk, "consultation_type": ContentType.objects.get_for_model(Consultation).pk,
    }
    return World(users=users, names=names)
