"""The form a commission member fills to ask for an on-demand report. It only parses; the service decides."""
from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DigestRequestForm(forms.Form):
    document = forms.ChoiceField(label=_("Document"), required=False)
    period_start = forms.DateField(
        label=_("From (first day)"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave both days empty for the whole consultation."),
    )
    period_end = forms.DateField(label=_("To (last day, included)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = {str(document.pk): document for document in documents}
        self.fields["document"].choices = [("", _("All documents"))] + [(pk, document.title) for pk, document in self.documents.items()]

    def clean(self):
        data = super().clean()
        if bool(data.get("period_start")) != bool(data.get("period_end")):
            self.add_error("period_end", _("Give both the first and the last day, or neither."))
        return data

    def parameters(self) -> dict:
        """The service's keyword arguments: the chosen document, and the days as the instants that bound them (the end's day included)."""
        data = self.cleaned_data
        start, end = data.get("period_start"), data.get("period_end")
        zone = timezone.get_current_timezone()
        return {
            "document": self.documents.get(data.get("document") or ""),
            "period_start": datetime.datetime.combine(start, datetime.time(), tzinfo=zone) if start else None,
            "period_end": datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tzinfo=zone) if end else None,
        }
