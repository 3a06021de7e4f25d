"""HTML forms of the comments app. They only parse; the services decide."""
from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from comments.models import BODY_MAX_LENGTH, Comment
from comments.services import QuoteInput


class CommentForm(forms.Form):
    # Chosen by the author, never by the page: quoted words found elsewhere do not move the comment.
    provision = forms.TypedChoiceField(
        label=_("About"), coerce=int,
        help_text=_("The provision your comment is about. Words you quote must be in its text."),
    )
    # Nothing is pre-selected: the author chooses a position (a reply may leave it blank; see clean()).
    stance = forms.ChoiceField(
        label=_("Your position"), choices=Comment.Stance.choices, widget=forms.RadioSelect, required=False,
        help_text=_("Required: say whether you support or oppose this text, propose other wording, or ask a question."),
    )
    body = forms.CharField(
        label=_("Your comment"), max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": BODY_MAX_LENGTH}),
        help_text=_("Plain text, up to 10,000 characters. It is published with your display name."),
    )
    proposed_wording = forms.CharField(
        label=_("Wording you propose (optional)"), required=False, max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    quote_exact = forms.CharField(
        label=_("Words you comment on (optional)"), required=False, max_length=5000,
        help_text=_("Select words in the text above, or type or paste them here; they must appear in the provision chosen under “About”."),
    )
    quote_prefix = forms.CharField(required=False, max_length=32, strip=False, widget=forms.HiddenInput)
    quote_suffix = forms.CharField(required=False, max_length=32, strip=False, widget=forms.HiddenInput)
    quote_start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    official = forms.BooleanField(label=_("Official reply of the commission"), required=False)
    # One key per form shown: sending it twice (a reload, a retry after an error page) makes one comment.
    idempotency_key = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)

    def __init__(self, *args, provisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provision"].choices = list(provisions)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("stance") and not cleaned.get("parent") and "stance" not in self.errors:
            self.add_error("stance", _("Choose your position: support, oppose, propose wording or question."))
        return cleaned

    def quote(self, language: str) -> QuoteInput | None:
        exact = self.cleaned_data.get("quote_exact", "")
        if not exact.strip():
            return None
        return QuoteInput(
            exact=exact, prefix=self.cleaned_data.get("quote_prefix", ""), suffix=self.cleaned_data.get("quote_suffix", ""),
            start=self.cleaned_data.get("quote_start"), language=language,
        )


class CommentEditForm(forms.Form):
    stance = forms.ChoiceField(label=_("Your position"), choices=Comment.Stance.choices, widget=forms.RadioSelect, required=False)
    body = forms.CharField(label=_("Your comment"), max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6}))
    proposed_wording = forms.CharField(label=_("Wording you propose (optional)"), required=False, max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))
