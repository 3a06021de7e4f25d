"""What the API fuzzing (test_fuzz.py) found, each pinned by a test of its own."""
import pytest
from rest_framework.test import APIClient

from tests.factories import participant_user

pytestmark = pytest.mark.django_db


def test_a_concern_read_alone_says_how_many_comments_are_behind_it(demo):
    """The detail said null where the schema (and the list) give an integer."""
    from django.contrib.auth import get_user_model

    from comments import services
    from comments.concerns import services as concern_services
    from drafts.models import Provision

    provision = Provision.objects.get(version__document__slug="constitution", version__number=1, path="II/25/1")
    comments = [
        services.comment_submit(author=participant_user(f"Citizen {n}"), provision_id=provision.pk, stance="oppose", language="en", body=f"Why? ({n})")
        for n in range(2)
    ]
    admin = get_user_model().objects.get(username="admin")
    concern = concern_services.concern_create(actor=admin, consultation_id=demo.pk, title="Values", comment_ids=[c.pk for c in comments])
    detail = APIClient().get(f"/api/v1/concerns/{concern.pk}/").json()
    assert detail["comment_count"] == 2 and len(detail["comments"]) == 2
