"""Fixtures of the comments tests: verified participants and the demo's open draft."""
import pytest
from allauth.account.models import EmailAddress

from consult import services as consult_services
from drafts.models import Provision
from tests.factories import UserFactory


@pytest.fixture
def make_participant(db):
    def make(name="Aigerim", *, verified=True, organisation=""):
        user = UserFactory(username=name.lower().replace(" ", "-"), email=f"{name.lower().replace(' ', '.')}@example.org")
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        consult_services.participant_save(
            user=user, display_name=name,
            submitter_type="organisation" if organisation else "individual", organisation_name=organisation,
        )
        return user

    return make


@pytest.fixture
def aigerim(make_participant):
    return make_participant("Aigerim")


@pytest.fixture
def draft_provision(demo):
    """Paragraph 1 of Article 25 of the demo's draft 1 (the "spiritual and moral values" clause), open for comment."""
    return Provision.objects.get(version__document__slug="constitution", version__number=1, path="II/25/1")
