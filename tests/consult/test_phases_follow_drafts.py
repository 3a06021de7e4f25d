"""Phases follow the drafts: publishing draft 2 closes draft 1's comment phase and opens one on draft 2 in one
transaction (or in none, when anything is refused), and every page says which draft is open for comment now."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from config.errors import ApplicationError, InvalidState
from consult import services
from consult.demo_data import CONSTITUTION_SLUG
from consult.models import Phase
from consult.signals import phase_closed
from drafts.models import DraftVersion
from tests.factories import AdminFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def draft_2(demo, make_version):
    """Draft 2 of the demo constitution, being prepared (draft 1's comment phase is open)."""
    constitution = demo.documents.get(slug=CONSTITUTION_SLUG)
    return make_version(constitution, number=2, publish=False)


def _draft_1_phase(demo):
    return Phase.objects.get(consultation=demo, kind=Phase.Kind.COMMENT, version__document__slug=CONSTITUTION_SLUG, version__number=1)


def test_publishing_closes_the_old_phase_and_opens_one_on_the_new_draft(demo, draft_2):
    closed = []

    def receiver(sender, phase, **kwargs):
        closed.append(phase.pk)

    phase_closed.connect(receiver)
    try:
        closes_at = timezone.now() + 20 * DAY
        phase = services.version_publish_with_phase(version=draft_2, by=None, closes_at=closes_at)
    finally:
        phase_closed.disconnect(receiver)
    old = _draft_1_phase(demo)
    draft_2.refresh_from_db()
    assert draft_2.status == DraftVersion.Status.PUBLISHED
    assert not old.is_open() and closed == [old.pk]
    assert phase.version == draft_2 and phase.is_open() and phase.closes_at == closes_at
    assert phase.title == "Public comment on Draft 2"
    assert [p.pk for p in Phase.objects.open_at(timezone.now()).filter(version__document__slug=CONSTITUTION_SLUG)] == [phase.pk]


@pytest.mark.parametrize(("opens", "closes", "code"), [
    (1, -1, "phase_invalid"),  # closes before it opens
    (1, None, "closes_at_required"),  # a start without an end
])
def test_refused_dates_change_nothing(demo, draft_2, opens, closes, code):
    now = timezone.now()
    before = _draft_1_phase(demo).closes_at
    with pytest.raises(ApplicationError) as raised:
        services.version_publish_with_phase(
            version=draft_2, by=None, opens_at=now + opens * DAY, closes_at=now + closes * DAY if closes is not None else None
        )
    assert raised.value.code == code
    draft_2.refresh_from_db()
    assert draft_2.status == DraftVersion.Status.PREPARING
    assert _draft_1_phase(demo).closes_at == before and _draft_1_phase(demo).is_open()
    assert not Phase.objects.filter(version=draft_2).exists()


def test_a_version_that_cannot_be_published_changes_no_phase(demo):
    draft_1 = DraftVersion.objects.get(document__slug=CONSTITUTION_SLUG, number=1)
    with pytest.raises(InvalidState):
        services.version_publish_with_phase(version=draft_1, by=None, closes_at=timezone.now() + DAY)
    assert _draft_1_phase(demo).is_open() and not Phase.objects.filter(version=draft_1).exclude(pk=_draft_1_phase(demo).pk).exists()


def test_the_pages_say_draft_2_is_open_after_it_is_published(client, demo, draft_2):
    services.version_publish_with_phase(version=draft_2, by=None, closes_at=timezone.now() + 20 * DAY)
    draft_2_url = reverse("version-reader", args=[demo.slug, CONSTITUTION_SLUG, 2])

    page = client.get(reverse("consultation-detail", args=[demo.slug])).content.decode()
    assert "Comment on Draft 2 of Constitution of the Republic of Tarvania" in page and draft_2_url in page
    assert "Comment on Draft 1 of Constitution of" not in page

    for url in (reverse("version-reader", args=[demo.slug, CONSTITUTION_SLUG, 1]),
                reverse("provision-detail", args=[demo.slug, CONSTITUTION_SLUG, 1, "II/25/1"])):
        page = client.get(url).content.decode()
        assert "Comment on Draft 2 of Constitution of the Republic of Tarvania" in page and draft_2_url in page, url
        assert "Draft 1 has been superseded" in page

    page = client.get(draft_2_url).content.decode()
    assert "Open for comment until" in page and "No draft is open for comment now." not in page


def test_without_a_new_phase_the_pages_warn_that_none_is_open(client, demo, draft_2):
    assert services.version_publish_with_phase(version=draft_2, by=None) is None
    assert not Phase.objects.open_at(timezone.now()).filter(version__document__slug=CONSTITUTION_SLUG).exists()
    for number in (1, 2):
        page = client.get(reverse("version-reader", args=[demo.slug, CONSTITUTION_SLUG, number])).content.decode()
        assert "No draft is open for comment now." in page


# --- the admin's publish page -------------------------------------------------------------------


@pytest.fixture
def admin_client(client, demo):
    """A platform admin signed in (made after the demo, whose own "admin" replaces any made before it)."""
    client.force_login(AdminFactory(username="operator"))
    return client


def test_the_admin_publishes_and_opens_the_new_phase_in_one_step(admin_client, demo, draft_2):
    url = reverse("admin:consult_version_publish", args=[draft_2.pk])
    assert url in admin_client.get(reverse("admin:drafts_draftversion_change", args=[draft_2.pk])).content.decode()
    page = admin_client.get(url).content.decode()
    assert "Public comment on draft 1 of the Constitution" in page and "cannot be undone" in page
    assert reverse("version-reader", args=[demo.slug, CONSTITUTION_SLUG, 2]) in page  # the preview
    assert reverse("comparison", args=[demo.slug, CONSTITUTION_SLUG, 1, 2]) in page
    closes = (timezone.localtime() + 20 * DAY).strftime("%Y-%m-%dT%H:%M")
    choices = {"consultation": demo.pk, "close_previous": "on", "open_phase": "on", "closes_at": closes}

    confirm = admin_client.post(url, choices)  # first the confirmation page: nothing is published yet
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Draft 2 becomes a fixed text" in page and "Draft 1 is superseded" in page
    assert "“Public comment on draft 1 of the Constitution” (Draft 1) closes now" in page
    assert "“Public comment on Draft 2” opens on" in page and "nobody will be able to comment" not in page
    draft_2.refresh_from_db()
    assert draft_2.status == DraftVersion.Status.PREPARING and _draft_1_phase(demo).is_open()

    hidden = {name: value for name, value in confirm.context["form"].data.items()}
    response = admin_client.post(url, {**hidden, "confirm": "1"})
    assert response.status_code == 302
    draft_2.refresh_from_db()
    assert draft_2.status == DraftVersion.Status.PUBLISHED and not _draft_1_phase(demo).is_open()
    assert Phase.objects.open_at(timezone.now()).get(version=draft_2).title == "Public comment on Draft 2"


def test_the_admin_page_refuses_a_new_phase_without_its_end_and_saves_nothing(admin_client, demo, draft_2):
    url = reverse("admin:consult_version_publish", args=[draft_2.pk])
    response = admin_client.post(url, {"consultation": demo.pk, "close_previous": "on", "open_phase": "on", "closes_at": ""})
    assert response.status_code == 200 and "Give the date the new comment phase closes" in response.content.decode()
    draft_2.refresh_from_db()
    assert draft_2.status == DraftVersion.Status.PREPARING and _draft_1_phase(demo).is_open()


def test_the_confirmation_warns_when_nobody_could_comment_and_back_changes_the_choices(admin_client, demo, draft_2):
    url = reverse("admin:consult_version_publish", args=[draft_2.pk])
    choices = {"consultation": demo.pk, "close_previous": "on"}
    page = admin_client.post(url, choices).content.decode()
    assert "nobody will be able to comment after publishing" in page and 'name="close_previous" value="True"' in page
    back = admin_client.post(url, {"consultation": demo.pk, "close_previous": "True", "open_phase": "False", "edit": "1"})
    assert back.status_code == 200 and "Next: check what will happen" in back.content.decode()
    draft_2.refresh_from_db()
    assert draft_2.status == DraftVersion.Status.PREPARING and _draft_1_phase(demo).is_open()


def test_the_confirmation_lists_the_phases_left_open(admin_client, demo, draft_2):
    url = reverse("admin:consult_version_publish", args=[draft_2.pk])
    page = admin_client.post(url, {"consultation": demo.pk}).content.decode()
    assert "(Draft 1) stays open until" in page and "nobody will be able to comment" not in page


def test_the_publish_page_is_for_admins_only(client, citizen, draft_2):
    client.force_login(citizen)
    response = client.get(reverse("admin:consult_version_publish", args=[draft_2.pk]))
    assert response.status_code == 302  # to the admin's sign-in
    draft_2.refresh_from_db()
    assert draft_2.status == DraftVersion.Status.PREPARING


def test_the_publication_plan_says_what_publishing_will_do_and_writes_nothing(demo, draft_2):
    from consult.selectors import version_publication_plan

    draft_1 = DraftVersion.objects.get(document__slug=CONSTITUTION_SLUG, number=1)
    kept = version_publication_plan(version=draft_2, consultation=demo, close_previous=False)
    assert [v.number for v in kept.superseded] == [1]  # never the baseline (0)
    assert kept.closing == [] and [p.pk for p in kept.staying_open] == [_draft_1_phase(demo).pk]
    assert kept.opening is None and not kept.nothing_open
    closes_at = timezone.now() + 20 * DAY
    moved = version_publication_plan(version=draft_2, consultation=demo, closes_at=closes_at, title="  ")
    assert [p.pk for p in moved.closing] == [_draft_1_phase(demo).pk] and moved.staying_open == []
    assert (moved.opening.title, moved.opening.closes_at, moved.opening.pk) == ("Public comment on Draft 2", closes_at, None)
    assert version_publication_plan(version=draft_2, consultation=demo).nothing_open
    draft_2.refresh_from_db()
    assert draft_2.status == DraftVersion.Status.PREPARING and draft_1.status == DraftVersion.Status.PUBLISHED
    assert not Phase.objects.filter(version=draft_2).exists()
