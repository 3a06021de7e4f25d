"""The demo's comments and the commission's decisions on them, as `make run` shows them."""
import pytest

from comments.chain import selectors as chain
from comments.concerns import selectors as concern_selectors
from comments.demo_data import demo_comments_load
from comments.models import Comment, Concern, Receipt

pytestmark = pytest.mark.django_db


def test_the_demo_shows_comments_and_what_became_of_them(demo):
    count = demo_comments_load(consultation=demo)
    assert count == Comment.objects.count() == 5  # four from citizens, one official answer
    accepted, rejected = Concern.objects.order_by("id")
    assert accepted.status == "accepted" and "ICCPR art. 18(3)" in accepted.rationale
    assert list(accepted.norms.values_list("label", flat=True)) == ["ICCPR art. 18(3)", "ICCPR art. 19(3)"]
    assert [e.to_status for e in accepted.events.all()] == ["open", "under_review", "accepted"]
    assert rejected.status == "rejected" and rejected.rationale
    assert concern_selectors.comments_accounted_for(consultation=demo) == concern_selectors.AccountedFor(4, 4)
    assert Receipt.objects.filter(kind="decision").count() == 2
    assert chain.chain_verification(consultation=demo).intact
    assert demo_comments_load(consultation=demo) == 0 and Concern.objects.count() == 2
