"""The demo consultation (a fictional constitution written for this project), loaded by `make run` and by tests."""
from __future__ import annotations

import datetime
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from consult import services
from consult.models import CommissionMembership, Consultation, Phase
from drafts import services as draft_services
from drafts.models import Alignment, Document, DraftVersion

DEMO_DIR = Path(__file__).resolve().parent / "demo"
DEMO_SLUG = "tarvania-2026"
CONSTITUTION_SLUG = "constitution"
REFERENDUM_LAW_SLUG = "referendum-law"
DRAFT_2_DESCRIPTION = (
    "The Constitutional Commission has answered the comments on draft 1 and published draft 2 of the new Constitution: "
    "see what we heard and what changed, point by point. Everyone is invited to comment on draft 2 and on the draft "
    "Constitutional Law on the Republic Referendum.\n\n"
    "This is a demonstration consultation: the Republic of Tarvania and its texts are fictional."
)


def demo_consultation_load(*, admin_password: str | None = None) -> Consultation:
    """Create the demo consultation with its documents, versions and phases; a second call changes nothing."""
    existing = Consultation.objects.filter(slug=DEMO_SLUG).first()
    if existing:
        return existing
    with transaction.atomic():
        admin = _demo_admin(admin_password)
        consultation = services.consultation_create(
            title="Constitutional reform of the Republic of Tarvania",
            title_translations={
                "kk": "Тарвания Республикасының конституциялық реформасы",
                "ru": "Конституционная реформа Республики Тарвания",
            },
            slug=DEMO_SLUG,
            description=(
                "The Constitutional Commission invites everyone to comment on draft 1 of the new Constitution "
                "and on the draft Constitutional Law on the Republic Referendum. Comment on any article or "
                "paragraph; the commission will answer every concern before it publishes draft 2.\n\n"
                "This is a demonstration consultation: the Republic of Tarvania and its texts are fictional."
            ),
            languages=["kk", "ru", "en"],
            starts_on=timezone.localdate() - datetime.timedelta(days=10),
            ends_on=timezone.localdate() + datetime.timedelta(days=50),
            status=Consultation.Status.OPEN,
        )
        constitution = draft_services.document_create(
            title="Constitution of the Republic of Tarvania", slug=CONSTITUTION_SLUG, authoritative_language="en"
        )
        law = draft_services.document_create(
            title="Constitutional Law on the Republic Referendum", slug=REFERENDUM_LAW_SLUG,
            authoritative_language="en", kind=Document.Kind.CONSTITUTIONAL_LAW,
        )
        for document in (constitution, law):
            services.consultation_document_add(consultation=consultation, document=document)

        # Labels left to the import, which names each version in every interface language ("Draft 1", "1-жоба").
        _demo_version(constitution, 0, "", {"en": "constitution_v0.en.md", "kk": "constitution_v0.kk.md"}, admin)
        draft = _demo_version(constitution, 1, "", _demo_translations(1), admin)
        law_draft = _demo_version(law, 1, "", {"en": "referendum_law_v1.en.md", "kk": "referendum_law_v1.kk.md"}, admin)
        _demo_phases(consultation, draft, law_draft)
        if admin:
            _demo_commission(consultation, admin)
    return consultation


def _demo_admin(password: str | None):
    """The demo's admin: staff, with a verified e-mail so that it can also comment as the commission."""
    if password is None:
        return None
    user, _created = get_user_model().objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.org"}
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    services.participant_save(user=user, display_name="Constitutional Commission secretariat")
    return user


# The demo's role accounts beside the admin: (username, password, e-mail, display name, commission role or None).
DEMO_ROLE_ACCOUNTS = (
    ("member", "member", "member@example.org", "Commission member (demo)", CommissionMembership.Role.REVIEWER),
    ("citizen", "citizen", "citizen@example.org", "Citizen (demo)", None),
)


def demo_role_accounts_load(*, consultation: Consultation) -> list:
    """A commission member (a reviewer of the demo's commission) and a citizen, each with a verified e-mail and the
    password of the README, so that each role can be tried; a second call only sets the passwords again."""
    users = []
    with transaction.atomic():
        for username, password, email, display_name, role in DEMO_ROLE_ACCOUNTS:
            user, _created = get_user_model().objects.get_or_create(username=username, defaults={"email": email})
            user.set_password(password)
            user.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
            services.participant_save(user=user, display_name=display_name)
            if role:
                services.commission_member_add(consultation=consultation, user=user, role=role)
            users.append(user)
    return users


def _demo_commission(consultation: Consultation, admin) -> None:
    services.commission_member_add(consultation=consultation, user=admin, role=CommissionMembership.Role.CHAIR)


def _demo_translations(number: int) -> dict[str, str]:
    """The files of draft `number` of the demo constitution by language: English is authoritative, the Kazakh
    translation is complete, and the Russian covers Sections I and II, as a commission might publish a translation
    part by part (the reader shows the English, marked as not translated, for the rest)."""
    return {language: f"constitution_v{number}.{language}.md" for language in ("en", "kk", "ru")}


def _demo_version(document: Document, number: int, label: str, files: dict[str, str], admin, publish: bool = True) -> DraftVersion:
    uploads = [
        draft_services.DraftUpload(filename=name, data=(DEMO_DIR / name).read_bytes(), language=language)
        for language, name in files.items()
    ]
    sources = draft_services.draft_sources_parse(uploads=uploads)
    version = draft_services.draft_version_import(document=document, sources=sources, number=number, label=label)
    return draft_services.draft_version_publish(version=version, by=admin) if publish else version


def _demo_phases(consultation: Consultation, draft: DraftVersion, law_draft: DraftVersion) -> None:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    day = datetime.timedelta(days=1)
    services.phase_create(
        consultation=consultation, title="Public comment on draft 1 of the Constitution",
        version=draft, opens_at=now - 10 * day, closes_at=now + 30 * day,
    )
    services.phase_create(
        consultation=consultation, title="Public comment on the draft Referendum Law",
        version=law_draft, opens_at=now - 10 * day, closes_at=now + 30 * day,
    )
    services.phase_create(
        consultation=consultation, kind=Phase.Kind.REVIEW, title="The commission answers every concern",
        opens_at=now + 30 * day, closes_at=now + 45 * day,
    )
    services.phase_create(
        consultation=consultation, kind=Phase.Kind.REFERENDUM, title="Referendum on the new Constitution",
        opens_at=now + 50 * day, closes_at=now + 51 * day,
    )


def demo_next_draft_publish(*, consultation: Consultation) -> DraftVersion:
    """Draft 2 of the demo constitution (consult/demo/CHANGES_v2.md): the comment phase on draft 1 closes now,
    draft 2 is imported, aligned with draft 1 and published, and a comment phase on it opens for 30 days.

    The commission's decisions that draft 2 carries are comments.demo_data's (consult knows nothing of comments).
    A second call changes nothing.
    """
    constitution = consultation.documents.get(slug=CONSTITUTION_SLUG)
    existing = constitution.versions.filter(number=2).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        chair = CommissionMembership.objects.filter(consultation=consultation, role=CommissionMembership.Role.CHAIR).first()
        by = chair.user if chair else None
        draft_1 = constitution.versions.get(number=1)
        draft_2 = _demo_version(constitution, 2, "", _demo_translations(2), by, publish=False)
        # Aligned here, not by a worker, so that the commission can link its decisions to the changed words at once.
        draft_services.alignment_run(alignment_id=Alignment.objects.get(old_version=draft_1, new_version=draft_2).pk)
        # Published as an admin publishes a version (the consult admin's publish page): draft 1's comment phase
        # closes and draft 2's opens at the same moment.
        phase = services.version_publish_with_phase(
            version=draft_2, by=by, consultation=consultation, title="Public comment on draft 2 of the Constitution",
            closes_at=timezone.now() + datetime.timedelta(days=30),
        )
        draft_2 = phase.version
        consultation.description = DRAFT_2_DESCRIPTION
        consultation.full_clean()
        consultation.save(update_fields=["description"])
    return draft_2
