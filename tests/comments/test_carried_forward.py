"""Comments follow their provision into the next draft, each with the status of its quote."""

import pytest

from comments import selectors, services
from consult.demo_data import DEMO_DIR
from drafts.models import Provision

pytestmark = pytest.mark.django_db


def draft_2_text() -> str:
    """Draft 2 of the demo: the ICCPR grounds replace 'spiritual and moral values' (as in the real case)."""
    text = (DEMO_DIR / "constitution_v1.en.md").read_text()
    text = text.replace(
        "the health of the population, and spiritual and moral values.",
        "public health and public morals.",
    )
    text = text.replace("a unitary state with a presidential form", "a unitary state with the presidential form")
    start = text.index("### Article 30\n")
    end = text.index("### Article 31\n")
    return text[:start] + text[end:]  # Article 30 is dropped: its comments lose their provision


@pytest.fixture
def draft_2(demo, make_version):
    def publish():
        document = demo.documents.get(slug="constitution")
        return make_version(document, texts={"en": draft_2_text()})

    return publish


def _v1(path):
    return Provision.objects.get(version__document__slug="constitution", version__number=1, path=path)


def test_anchor_statuses_follow_the_changes(aigerim, draft_2):
    gone = services.comment_submit(author=aigerim, provision_id=_v1("II/25/1").pk, body="Vague grounds.", stance="oppose", language="en",
                                   quote=services.QuoteInput(exact="spiritual and moral values", language="en"))
    exact = services.comment_submit(author=aigerim, provision_id=_v1("II/25/1").pk, body="Good.", stance="support", language="en",
                                    quote=services.QuoteInput(exact="constitutional order, public order", language="en"))
    approximate = services.comment_submit(author=aigerim, provision_id=_v1("I/2/1").pk, body="Keep presidential.", stance="support", language="en",
                                          quote=services.QuoteInput(exact="a unitary state with a presidential form", language="en"))
    whole = services.comment_submit(author=aigerim, provision_id=_v1("II/25/2").pk, body="About the whole.", stance="question", language="en")
    removed = services.comment_submit(author=aigerim, provision_id=_v1("IV/30/1").pk, body="Keep the Kurultai.", stance="support", language="en")
    version_2 = draft_2()

    def statuses(path):
        provision = version_2.provisions.get(path=path)
        return {item.comment.pk: item.anchor for item in selectors.comments_carried_forward(provision=provision)}

    assert statuses("II/25") == {gone.pk: "gone", exact.pk: "exact", whole.pk: "provision"}
    assert statuses("I/2/1") == {approximate.pk: "approximate"}
    assert [c.pk for c in selectors.comments_on_removed_provisions(version=version_2)] == [removed.pk]


def test_the_pages_show_carried_comments_and_removed_ones(client, aigerim, draft_2):
    services.comment_submit(author=aigerim, provision_id=_v1("II/25/1").pk, body="Vague grounds.", stance="oppose", language="en",
                            quote=services.QuoteInput(exact="spiritual and moral values", language="en"))
    services.comment_submit(author=aigerim, provision_id=_v1("IV/30/1").pk, body="Keep the Kurultai.", stance="support", language="en")
    draft_2()
    page = client.get("/c/tarvania-2026/constitution/v2/p/II/25/").content.decode()
    assert "Comments on earlier versions of this provision" in page
    assert "Provision changed: the quoted words are gone" in page and "Vague grounds." in page
    reader = client.get("/c/tarvania-2026/constitution/v2/").content.decode()
    assert "Comments on provisions removed in this version" in reader and "Keep the Kurultai." in reader
