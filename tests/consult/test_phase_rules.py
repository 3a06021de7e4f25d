"""The rules of a phase, each defined once: when it is open (the model, the selector's queryset and the
comment submission's SQL agree to the microsecond), and what a phase may be (`Phase.clean`, which the
admin's phase inline and `phase_create` both obey)."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from comments.selectors import comment_submission_context
from consult import services
from consult.models import Phase
from tests.factories import ConsultationDocumentFactory, DocumentFactory

pytestmark = pytest.mark.django_db
MICROSECOND = datetime.timedelta(microseconds=1)
OPENS = timezone.make_aware(datetime.datetime(2030, 1, 10, 12, 0))
CLOSES = timezone.make_aware(datetime.datetime(2030, 1, 20, 12, 0))


@pytest.fixture
def covered(make_version):
    """A consultation, one document it covers and a published version of it."""
    link = ConsultationDocumentFactory()
    return link.consultation, make_version(link.document)


# --- when a phase is open -----------------------------------------------------------------------


@pytest.mark.parametrize(("instant", "expected"), [
    (OPENS - MICROSECOND, False),
    (OPENS, True),
    (OPENS + MICROSECOND, True),
    (CLOSES - MICROSECOND, True),
    (CLOSES, False),
    (CLOSES + MICROSECOND, False),
])
def test_the_model_the_queryset_and_the_submission_sql_agree_on_the_boundaries(covered, instant, expected):
    consultation, version = covered
    phase = services.phase_create(consultation=consultation, title="Comment", version=version, opens_at=OPENS, closes_at=CLOSES)
    provision = version.provisions.first()
    context = comment_submission_context(provision_id=provision.pk, user_id=None, at=instant)
    by_sql = context.phase is not None and context.phase.pk == phase.pk
    by_queryset = Phase.objects.open_at(instant).filter(pk=phase.pk).exists()
    assert (phase.is_open(instant), by_queryset, by_sql) == (expected, expected, expected)


def test_a_phase_may_close_at_the_instant_the_next_opens(covered):
    consultation, version = covered
    first = services.phase_create(consultation=consultation, title="First", version=version, opens_at=OPENS, closes_at=CLOSES)
    second = services.phase_create(
        consultation=consultation, title="Second", version=version, opens_at=CLOSES, closes_at=CLOSES + datetime.timedelta(days=5)
    )
    assert list(Phase.objects.open_at(CLOSES)) == [second] and not first.is_open(CLOSES)


# --- what a phase may be: the admin's inline and the service refuse the same ---------------------


def _case_closes_first(version, other_version):
    return {"version": version, "opens_at": CLOSES, "closes_at": OPENS}


def _case_no_version(version, other_version):
    return {"version": None, "opens_at": OPENS, "closes_at": CLOSES}


def _case_uncovered_document(version, other_version):
    return {"version": other_version, "opens_at": OPENS, "closes_at": CLOSES}


def _case_overlaps_the_saved_phase(version, other_version):
    return {"version": version, "opens_at": CLOSES - datetime.timedelta(days=1), "closes_at": CLOSES + datetime.timedelta(days=9)}


def _case_follows_the_saved_phase(version, other_version):
    return {"version": version, "opens_at": CLOSES, "closes_at": CLOSES + datetime.timedelta(days=9)}


@pytest.mark.parametrize(("case", "refused_fields"), [
    (_case_closes_first, {"closes_at"}),
    (_case_no_version, {"version"}),
    (_case_uncovered_document, {"version"}),
    (_case_overlaps_the_saved_phase, {"opens_at"}),
    (_case_follows_the_saved_phase, None),
])
def test_the_admin_inline_and_the_service_refuse_the_same_phases(admin_client, covered, make_version, case, refused_fields):
    consultation, version = covered
    saved = services.phase_create(consultation=consultation, title="Saved", version=version, opens_at=OPENS - datetime.timedelta(days=5), closes_at=CLOSES)
    new = {"kind": Phase.Kind.COMMENT, "title": "New", **case(version, make_version(DocumentFactory()))}

    by_service = _service_refusal(consultation, new)
    response = admin_client.post(_change_url(consultation), _change_form(consultation, [saved], [new]))
    by_admin = _admin_refusal(response)

    assert by_service == by_admin == refused_fields
    assert Phase.objects.count() == (1 if refused_fields else 2)


def test_the_admin_inline_refuses_two_new_overlapping_phases_in_one_submission(admin_client, covered):
    consultation, version = covered
    first = {"kind": Phase.Kind.COMMENT, "title": "First", "version": version, "opens_at": OPENS, "closes_at": CLOSES}
    second = {**first, "title": "Second", "opens_at": CLOSES - datetime.timedelta(days=1), "closes_at": CLOSES + datetime.timedelta(days=1)}
    response = admin_client.post(_change_url(consultation), _change_form(consultation, [], [first, second]))
    assert response.status_code == 200
    assert "are comment phases on the same version whose periods overlap" in str(_phase_formset(response).non_form_errors())
    assert not Phase.objects.exists()
    services.phase_create(consultation=consultation, **first)
    with pytest.raises(ValidationError):
        services.phase_create(consultation=consultation, **second)


def test_a_new_consultation_in_the_admin_cannot_have_a_phase_on_a_document_not_yet_saved(admin_client, make_version):
    version = make_version(DocumentFactory())
    data = {
        "title": "New", "slug": "new", "description": "", "status": "draft", "languages": ["en"], "starts_on": "", "ends_on": "",
        **_inline("document_links", [], [{"document": version.document_id, "order": 0}]),
        **_inline("phases", [], [{"kind": Phase.Kind.COMMENT, "title": "C", "version": version, "opens_at": OPENS, "closes_at": CLOSES}]),
        **_inline("memberships", [], []),
    }
    response = admin_client.post("/admin/consult/consultation/add/", data)
    assert response.status_code == 200 and _admin_refusal(response) == {"version"}
    assert not Phase.objects.exists()


class _Rollback(Exception):
    pass


def _service_refusal(consultation, phase: dict) -> set[str] | None:
    """The fields `phase_create` refuses, or None when it accepts (what it wrote is rolled back)."""
    try:
        with transaction.atomic():
            services.phase_create(consultation=consultation, **phase)
            raise _Rollback
    except _Rollback:
        return None
    except ValidationError as error:
        return set(error.message_dict)


def _admin_refusal(response) -> set[str] | None:
    if response.status_code == 302:
        return None
    assert response.status_code == 200
    formset = _phase_formset(response)
    return {field for errors in formset.errors for field in errors} or None


def _phase_formset(response):
    (formset,) = [inline.formset for inline in response.context["inline_admin_formsets"] if inline.formset.model is Phase]
    return formset


def _change_url(consultation) -> str:
    return f"/admin/consult/consultation/{consultation.pk}/change/"


def _change_form(consultation, saved_phases: list[Phase], new_phases: list[dict]) -> dict:
    """What the admin's change form posts: the consultation, its document links, its phases, no members."""
    links = list(consultation.document_links.all())
    return {
        "title": consultation.title, "slug": consultation.slug, "description": consultation.description,
        "status": consultation.status, "languages": ["kk", "ru", "en"],  # ticked boxes
        "starts_on": consultation.starts_on.isoformat() if consultation.starts_on else "", "ends_on": "",
        **_inline(
            "document_links",
            [{"id": link.pk, "consultation": consultation.pk, "document": link.document_id, "order": link.order} for link in links],
            [],
        ),
        **_inline(
            "phases",
            [{"id": p.pk, "consultation": consultation.pk, "kind": p.kind, "title": p.title, "version": p.version,
              "opens_at": p.opens_at, "closes_at": p.closes_at} for p in saved_phases],
            new_phases,
        ),
        **_inline("memberships", [], []),
    }


def _inline(prefix: str, saved: list[dict], new: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(saved) + len(new)), f"{prefix}-INITIAL_FORMS": str(len(saved)),
        f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(saved + new):
        for name, value in row.items():
            key = f"{prefix}-{index}-{name}"
            if isinstance(value, datetime.datetime):  # the admin's split date and time widgets, in local time
                local = timezone.localtime(value)
                data[f"{key}_0"], data[f"{key}_1"] = local.date().isoformat(), local.time().isoformat()
            elif hasattr(value, "pk"):
                data[key] = str(value.pk)
            else:
                data[key] = "" if value is None else str(value)
    return data
