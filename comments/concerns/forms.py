"""HTML forms of the commission's work on concerns. They only parse; the services decide (and say what is wrong)."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments.concerns.models import ConcernStatus
from comments.concerns.services import NO_ANSWER_REASON_MAX_LENGTH, RATIONALE_MAX_LENGTH, TITLE_MAX_LENGTH, NormInput

DECISIONS = [
    (status.value, status.label)
    for status in (ConcernStatus.ACCEPTED, ConcernStatus.PARTIALLY_ACCEPTED, ConcernStatus.REJECTED, ConcernStatus.OUT_OF_SCOPE)
]


def database_ids(value, *, message: str) -> list[int]:
    """Submitted ids (checkbox values) as integers; `message` when one is not a number or out of any id's range."""
    try:
        ids = [int(item) for item in (value or [])]
    except (TypeError, ValueError) as error:
        raise ValidationError(message, code="invalid") from error
    if any(not 0 < item < 2**63 for item in ids):  # no database id is out of that range
        raise ValidationError(message, code="invalid")
    return ids


class CommentIdsField(forms.Field):
    """The checked comments of the triage queue (checkboxes named "comments"), as ids."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        return database_ids(value, message=_("Choose comments from the list."))

    def validate(self, value) -> None:
        if self.required and not value:
            raise ValidationError(_("Check at least one comment in the list."), code="required")


class ConcernCreateForm(forms.Form):
    comments = CommentIdsField()
    # Not required here: the service's own message says what a title must be (and the browser asks first).
    title = forms.CharField(
        label=_("Title of the new concern"), required=False, max_length=TITLE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"maxlength": TITLE_MAX_LENGTH}),
    )
    summary = forms.CharField(label=_("Summary (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ConcernAddForm(forms.Form):
    comments = CommentIdsField()
    concern = forms.TypedChoiceField(label=_("Open concern"), coerce=int)

    def __init__(self, *args, concerns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concern"].choices = [(concern.pk, f"#{concern.pk} {concern.title}") for concern in concerns]


class NoAnswerForm(forms.Form):
    comments = CommentIdsField()
    reason = forms.CharField(
        label=_("Why they need no separate answer"), required=False, max_length=NO_ANSWER_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NO_ANSWER_REASON_MAX_LENGTH}),
        help_text=_("Shown to the commission; e.g. “a thank-you”, “a duplicate of the comment above”."),
    )


class ConcernDecideForm(forms.Form):
    status = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    rationale = forms.CharField(
        label=_("Rationale"), required=False, max_length=RATIONALE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": RATIONALE_MAX_LENGTH, "required": True}),
        help_text=_("Public, and part of the receipt chain: it cannot be edited afterwards, only revised by a new decision."),
    )
    resolved_in = forms.TypedChoiceField(label=_("Resolved in"), coerce=int, required=False, empty_value=None)
    # Rendered by the template, grouped by version with each change's words (selectors.concern_change_choices).
    changes = forms.TypedMultipleChoiceField(
        label=_("Changes of words that carry the decision"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Suggested from the comparison with the version before; check those that carry the decision, of the version it is resolved in."),
    )
    norms = forms.CharField(
        label=_("Norms referred to (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: label | address, e.g. “ICCPR art. 18(3) | https://www.ohchr.org/…”. The address is optional."),
    )
    revises = forms.BooleanField(label=_("This revises the earlier decision (a new decision and a new receipt)"), required=False)

    def __init__(self, *args, versions=(), change_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolved_in"].choices = [("", _("Not yet in a new version"))] + [(v.pk, v.label) for v in versions]
        self.fields["changes"].choices = [(row.change.pk, str(row.change)) for choice in change_choices for row in choice.rows]

    @property
    def checked_changes(self) -> set[int]:
        """The changes to show checked: as submitted, else as the view proposed (`initial`)."""
        values = self["changes"].value() or []
        return {int(value) for value in values if str(value).isdigit()}

    def clean_norms(self) -> list[NormInput]:
        norms, validate_url = [], URLValidator(schemes=["http", "https"])
        for line in self.cleaned_data["norms"].splitlines():
            if not line.strip():
                continue
            label, _bar, url = line.partition("|")
            if url.strip():
                try:
                    validate_url(url.strip())
                except ValidationError as error:
                    raise ValidationError(_("“%(url)s” is not a web address."), params={"url": url.strip()}) from error
            norms.append(NormInput(label=label.strip(), url=url.strip()))
        return norms


class ConcernTransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=[(s.value, s.label) for s in (ConcernStatus.OPEN, ConcernStatus.UNDER_REVIEW, ConcernStatus.WITHDRAWN)])
    reason = forms.CharField(label=_("Why (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


# --- triage: the queue's filter, merging and splitting concerns ----------------------------------------


class IdChoicesField(forms.MultipleChoiceField):
    """Checkboxes of database ids (concerns, comments). The choices are what the page offers; any id is
    passed on, for the service to accept or refuse with its own reason (a decided concern, 409)."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value) -> list[int]:
        return database_ids(value, message=_("Choose from the list."))

    def valid_value(self, value) -> bool:
        return True


class TriageFilterForm(forms.Form):
    """The triage page's query: which view, which part of the queue, how similar a suggested group's comments are."""

    view = forms.ChoiceField(choices=[("queue", _("Queue")), ("groups", _("Suggested groupings"))], required=False)
    document = forms.SlugField(label=_("Document"), required=False)
    provision = forms.IntegerField(label=_("Provision"), required=False, min_value=1, max_value=2**63 - 1)
    threshold = forms.FloatField(label=_("Similarity of at least"), required=False, min_value=0.1, max_value=1.0)


class ConcernMergeForm(forms.Form):
    # Not required here: the service says what is missing, as for every refusal.
    concerns = IdChoicesField(label=_("Concerns to merge into this one"), required=False)
    reason = forms.CharField(
        label=_("Why (optional)"), required=False, max_length=RATIONALE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": RATIONALE_MAX_LENGTH}),
        help_text=_("Public, in each concern's trail. Their comments move to this concern; they are withdrawn and point here."),
    )

    def __init__(self, *args, concerns=(), **kwargs):
        kwargs.setdefault("auto_id", "merge-%s")  # ids unique on the concern's page, beside its other forms
        super().__init__(*args, **kwargs)
        self.fields["concerns"].choices = [
            (concern.pk, ngettext("#%(id)s %(title)s (%(count)d comment)", "#%(id)s %(title)s (%(count)d comments)", concern.comment_count)
             % {"id": concern.pk, "title": concern.title, "count": concern.comment_count})
            for concern in concerns
        ]


class ConcernSplitForm(forms.Form):
    comments = IdChoicesField(label=_("Comments that make another point"), required=False)
    title = forms.CharField(
        label=_("Title of the new concern"), required=False, max_length=TITLE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"maxlength": TITLE_MAX_LENGTH}),
    )
    summary = forms.CharField(label=_("Summary (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, comments=(), **kwargs):
        kwargs.setdefault("auto_id", "split-%s")
        super().__init__(*args, **kwargs)
        self.fields["comments"].choices = [
            (comment.pk, f"{comment.author_name} — {comment.provision}: {Truncator(comment.body).words(12)}") for comment in comments
        ]
