"""factory_boy factories shared by the suite."""
from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model

from consult.models import CommissionMembership, Consultation, ConsultationDocument
from drafts.models import Document


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")


class AdminFactory(UserFactory):
    is_staff = True
    is_superuser = True


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    title = factory.Sequence(lambda n: f"Constitution {n}")
    slug = factory.Sequence(lambda n: f"constitution-{n}")
    kind = Document.Kind.CONSTITUTION
    authoritative_language = "en"


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    title = factory.Sequence(lambda n: f"Constitutional reform {n}")
    slug = factory.Sequence(lambda n: f"reform-{n}")
    status = Consultation.Status.OPEN
    languages = ["kk", "ru", "en"]
    starts_on = datetime.date(2026, 1, 12)


class ConsultationDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationDocument

    consultation = factory.SubFactory(ConsultationFactory)
    document = factory.SubFactory(DocumentFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommissionMembership

    consultation = factory.SubFactory(ConsultationFactory)
    user = factory.SubFactory(UserFactory)
    role = CommissionMembership.Role.REVIEWER


def participant_user(name: str = "Aigerim", *, verified: bool = True, organisation: str = ""):
    """A user with a primary e-mail address (verified unless told otherwise) and a public participant
    profile named `name`: what commenting needs. Through the services, as sign-up does."""
    from allauth.account.models import EmailAddress

    from consult import services as consult_services

    user = UserFactory(username=name.lower().replace(" ", "-"), email=f"{name.lower().replace(' ', '.')}@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    consult_services.participant_save(
        user=user, display_name=name,
        submitter_type="organisation" if organisation else "individual", organisation_name=organisation,
    )
    return user
