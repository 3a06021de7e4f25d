"""The admin's upload form: one authoritative text and up to two translations."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from drafts.models import LANGUAGE_CHOICES
from drafts.services import DraftUpload

LANGUAGE_OR_DETECT = [("", _("Detect from the text"))] + LANGUAGE_CHOICES
TRANSLATION_SLOTS = (1, 2)


class DraftUploadForm(forms.Form):
    file = forms.FileField(label=_("Text in the authoritative language"), help_text=_(".docx, Markdown (.md) or plain text (.txt)"))
    language = forms.ChoiceField(label=_("Its language"), choices=LANGUAGE_OR_DETECT, required=False)
    translation_1_file = forms.FileField(label=_("Translation"), required=False)
    translation_1_language = forms.ChoiceField(label=_("Its language"), choices=LANGUAGE_OR_DETECT, required=False)
    translation_2_file = forms.FileField(label=_("Another translation"), required=False)
    translation_2_language = forms.ChoiceField(label=_("Its language"), choices=LANGUAGE_OR_DETECT, required=False)
    number = forms.IntegerField(
        label=_("Version number"), min_value=0, required=False,
        help_text=_("0 for the baseline (the text in force); empty for the next draft number."),
    )
    label = forms.CharField(label=_("Label"), max_length=200, required=False, help_text=_('e.g. "Draft 2 (after public comment)"'))

    def uploads(self) -> list[DraftUpload]:
        data = self.cleaned_data
        slots = [("file", "language")] + [(f"translation_{i}_file", f"translation_{i}_language") for i in TRANSLATION_SLOTS]
        return [
            DraftUpload(filename=data[file_field].name, data=data[file_field].read(), language=data[language_field] or None)
            for file_field, language_field in slots
            if data.get(file_field)
        ]
