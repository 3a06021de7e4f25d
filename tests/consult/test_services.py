"""Consultation services: phases must be about the consultation's own documents, dates must make sense."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consult import services
from consult.models import CommissionMembership, Phase
from tests.factories import ConsultationDocumentFactory, ConsultationFactory, DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()
DAY = datetime.timedelta(days=1)


def test_comment_phase_on_a_covered_version(make_version):
    link = ConsultationDocumentFactory()
    version = make_version(link.document)
    phase = services.phase_create(
        consultation=link.consultation, title="Comment", version=version, opens_at=NOW - DAY, closes_at=NOW + DAY
    )
    assert phase.is_open() and phase.state == "open"


def test_comment_phase_needs_a_version():
    with pytest.raises(ValidationError) as error:
        services.phase_create(consultation=ConsultationFactory(), title="Comment", opens_at=NOW, closes_at=NOW + DAY)
    assert set(error.value.message_dict) == {"version"}
    assert not Phase.objects.exists()


def test_phase_on_a_document_of_another_consultation_is_refused(make_version):
    version = make_version(DocumentFactory())
    with pytest.raises(ValidationError) as error:
        services.phase_create(
            consultation=ConsultationFactory(), title="Comment", version=version, opens_at=NOW, closes_at=NOW + DAY
        )
    assert set(error.value.message_dict) == {"version"}
    assert not Phase.objects.exists()


def test_phase_must_close_after_it_opens():
    with pytest.raises(ValidationError) as error:
        services.phase_create(
            consultation=ConsultationFactory(), kind=Phase.Kind.REFERENDUM, title="Vote", opens_at=NOW, closes_at=NOW - DAY
        )
    assert set(error.value.message_dict) == {"closes_at"}
    assert not Phase.objects.exists()


def test_consultation_must_end_after_it_starts():
    with pytest.raises(ValidationError):
        services.consultation_create(
            title="Backwards", slug="backwards", starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 2, 1)
        )


@pytest.mark.parametrize(("languages", "accepted"), [
    (["kk", "ru", "en"], True), (["uk", "fr"], True), (["kk", "xx"], False), ("kk", False), (["kk-KZ"], False),
])
def test_the_languages_of_a_consultation_are_text_languages(languages, accepted):
    if accepted:
        assert services.consultation_create(title="T", slug="t", languages=languages).languages == languages
    else:
        with pytest.raises(ValidationError) as error:
            services.consultation_create(title="T", slug="t", languages=languages)
        assert set(error.value.message_dict) == {"languages"}


def test_commission_membership_is_one_role_per_consultation():
    consultation, user = ConsultationFactory(), UserFactory()
    services.commission_member_add(consultation=consultation, user=user)
    services.commission_member_add(consultation=consultation, user=user, role=CommissionMembership.Role.CHAIR)
    assert list(CommissionMembership.objects.values_list("role", flat=True)) == ["chair"]


def test_commission_membership_is_checked_before_it_is_saved():
    consultation, user = ConsultationFactory(), UserFactory()
    with pytest.raises(ValidationError):
        services.commission_member_add(consultation=consultation, user=user, role="dictator")
    assert not CommissionMembership.objects.exists()
