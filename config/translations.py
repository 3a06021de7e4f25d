"""Short texts an admin gives in each of several languages, and the one shown to a reader. Defined here, once.

A translated attribute is the model's own field (`title`: the default, shown when nothing better exists)
plus a JSON field of its translations, `{language: text}` (`title_translations`). The reader sees the
translation in the interface language they read in (`get_language()`: pages, and e-mails sent under
`translation.override`), else the default: `translation_pick`. The admin edits the translations as one
form field per language (`TranslationsAdminMixin`), never as typed JSON; a blank field leaves the
language out, so the default shows in it.

Used for a consultation's title and description and a version's label (`local_title`, `local_description`,
`local_label` on the models). The texts of a document are not short texts: they are ProvisionTexts.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django import forms
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def translation_pick(default: str, translations: Mapping[str, str] | None, language: str | None = None) -> str:
    """The text in `language` (by default the reader's: the active language, "kk" for "kk-kz"), else `default`."""
    code = (language or get_language() or "").split("-")[0].lower()
    return (translations or {}).get(code) or default


def translations_validate(translations: object) -> None:
    """A translations value is an object of language code -> text (`{"kk": "…", "ru": "…"}`); raises
    ValidationError in words otherwise, naming the codes that are not languages."""
    if not isinstance(translations, dict) or not all(isinstance(text, str) for text in translations.values()):
        raise ValidationError(_('Give the translations as language and text, e.g. {"kk": "…", "ru": "…"}.'))
    unknown = sorted(code for code in translations if code not in LANG_INFO or len(code) != 2)
    if unknown:
        raise ValidationError(_("Not a language code: %(codes)s.") % {"codes": ", ".join(unknown)})


def _field_name(attribute: str, language: str) -> str:
    return f"{attribute}_in_{language}"


def _language_name(code: str) -> str:
    return _(LANG_INFO[code]["name"]) if code in LANG_INFO else code


class TranslationsAdminMixin:
    """A ModelAdmin mixin: one form field per language for each translated attribute, in a fieldset of its own.

    `translated_fields` maps an attribute ("title") to a form field class (forms.CharField) and its form
    fields are named "<attribute>_in_<language>"; `translation_languages(obj)` says which languages. The
    form is built per object, since the languages are the object's (a consultation's own languages).
    An object the admin may only view shows its translations read-only.
    """

    translated_fields: Mapping[str, Callable[..., forms.Field]] = {}
    translations_fieldset_title = gettext_lazy("In each language")

    def translation_languages(self, obj) -> Sequence[str]:
        raise NotImplementedError

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        translated = [_field_name(a, code) for a in self.translated_fields for code in self.translation_languages(obj)]
        names = {*translated, "translations_shown"}
        if obj is not None and not self.has_change_permission(request, obj):
            translated = ["translations_shown"]
        fieldsets = [(title, {**options, "fields": [f for f in options["fields"] if f not in names]}) for title, options in fieldsets]
        help_text = gettext_lazy("Leave a field empty to show the text above in that language.")
        return [*fieldsets, (self.translations_fieldset_title, {"fields": translated, "description": help_text})]

    def get_exclude(self, request, obj=None):
        """The JSON fields themselves are edited through the per-language fields, never typed."""
        return [*(super().get_exclude(request, obj) or []), *(f"{attribute}_translations" for attribute in self.translated_fields)]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "translations_shown"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = translations_form(kwargs.pop("form", self.form), self.model, self.translated_fields, self.translation_languages(obj))
        return super().get_form(request, obj, change, form=form, **kwargs)

    def translations_shown(self, obj) -> str:
        lines = [
            f"{_language_name(code)}: {getattr(obj, f'{attribute}_translations', {}).get(code, '')}"
            for attribute in self.translated_fields for code in self.translation_languages(obj)
            if getattr(obj, f"{attribute}_translations", {}).get(code)
        ]
        return "\n".join(lines) or "—"

    translations_shown.short_description = gettext_lazy("Translations")


def translations_form(
    base: type[forms.ModelForm], model: type[Model], translated: Mapping[str, Callable[..., forms.Field]], languages: Sequence[str]
) -> type[forms.ModelForm]:
    """`base` with a form field per language for each translated attribute, read from and written to the
    instance's `<attribute>_translations`. Only the languages given are written; translations in other
    languages are kept as they were."""

    def field_label(attribute: str, code: str) -> str:
        verbose = model._meta.get_field(attribute).verbose_name
        return _("%(field)s in %(language)s") % {"field": str(verbose).capitalize(), "language": _language_name(code)}

    attrs = {
        _field_name(attribute, code): field_class(required=False, label=field_label(attribute, code))
        for attribute, field_class in translated.items() for code in languages
    }
    for field in attrs.values():  # as wide as the admin's own fields of the same kind
        field.widget.attrs.setdefault("class", "vLargeTextField" if isinstance(field.widget, forms.Textarea) else "vTextField")

    def __init__(self, *args, **kwargs):
        base.__init__(self, *args, **kwargs)
        for attribute in translated:
            existing = getattr(self.instance, f"{attribute}_translations", None) or {}
            for code in languages:
                self.fields[_field_name(attribute, code)].initial = existing.get(code, "")

    def clean(self):
        data = base.clean(self)
        for attribute in translated:
            existing = dict(getattr(self.instance, f"{attribute}_translations", None) or {})
            for code in languages:
                text = (self.cleaned_data.get(_field_name(attribute, code)) or "").strip()
                if text:
                    existing[code] = text
                else:
                    existing.pop(code, None)
            setattr(self.instance, f"{attribute}_translations", existing)
        return data

    return type(base.__name__, (base,), {**attrs, "__init__": __init__, "clean": clean})
