"""What the concerns' pages share: finding a concern in its consultation, showing a service's refusal on a form."""
from __future__ import annotations

from django.utils.translation import gettext as _

from comments.concerns import selectors
from comments.models import Concern
from config.errors import ApplicationError, NotFound
from consult import selectors as consult_selectors
from consult.models import Consultation

PAGE_SIZE = 25


def concern_of(consultation: Consultation, concern_id: int) -> Concern:
    concern = selectors.concern_get(concern_id=concern_id)
    if concern.consultation_id != consultation.pk:
        raise NotFound(_("There is no concern %(id)s in this consultation.") % {"id": concern_id}, code="concern_not_found")
    return concern


def attach_provisions(concerns: list[Concern]) -> None:
    """Each concern gets `provisions`: what it is about, as in the version it was raised in (one query for all)."""
    provisions = selectors.concern_provisions_raised_in(concerns=concerns)
    for concern in concerns:
        concern.provisions = provisions.get(concern.pk, [])


def with_actor_names(events) -> list:
    """Who made each transition, by their public name only (never the e-mail or username)."""
    events = list(events)
    for event in events:
        event.actor_name = consult_selectors.participant_display_name(event.actor)
    return events


def with_errors(form, error: ApplicationError):
    """Show a service's refusal on the form: on the fields it names, else above the form."""
    for field, errors in error.fields.items():
        form.add_error(field if field in form.fields else None, errors)
    if not error.fields:
        form.add_error(None, error.message)
    return form
