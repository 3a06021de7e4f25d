"""Fixtures of the comments tests: verified participants and the demo's open draft."""
import pytest

from drafts.models import Provision
from tests.factories import participant_user


@pytest.fixture
def make_participant(db):
    """A verified user with a participant profile: tests.factories.participant_user."""
    return participant_user


@pytest.fixture
def aigerim(make_participant):
    return make_participant("Aigerim")


@pytest.fixture
def draft_provision(demo):
    """Paragraph 1 of Article 25 of the demo's draft 1 (the "spiritual and moral values" clause), open for comment."""
    return Provision.objects.get(version__document__slug="constitution", version__number=1, path="II/25/1")


@pytest.fixture
def member(make_participant, demo):
    """A member of the demo consultation's commission."""
    from tests.factories import MembershipFactory

    user = make_participant("Commission Member")
    MembershipFactory(consultation=demo, user=user)
    return user


@pytest.fixture
def comments(make_participant, draft_provision):
    """Three citizens' comments on the demo's "spiritual and moral values" clause."""
    from comments import services

    return [
        services.comment_submit(
            author=make_participant(f"Citizen {n}"), provision_id=draft_provision.pk, stance="oppose", language="en",
            body=f"How will 'spiritual and moral values' be interpreted? ({n})",
        )
        for n in range(3)
    ]
