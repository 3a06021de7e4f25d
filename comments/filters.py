"""The filters of the comments' lists: the same parameters for the comment list, its exports and the summary
table, as one FilterSet (a filter takes what a comment's field of the same name holds)."""
from __future__ import annotations

import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy

from comments import selectors
from comments.models import Comment
from config.api.filters import IdFilter
from consult.models import Participant


class CommentFilter(django_filters.FilterSet):
    """The filters of the comment list, of its exports and of the summary table (one class: they cannot drift apart).

    A filter takes the kind of value that a comment's field of the same name holds. It only parses: the
    filtering itself is the selectors' (comment_filter, comment_search).
    """

    consultation = django_filters.CharFilter(help_text="A consultation's slug.")
    version = IdFilter(help_text="A version's id (as a comment's `version` holds it): the comments on that version.")
    provision = IdFilter(help_text="A provision's id.")
    lineage = IdFilter(help_text="A lineage's id: the comments on that provision in every version.")
    stance = django_filters.ChoiceFilter(choices=Comment.Stance.choices, help_text="Only comments of this stance.")
    submitter_type = django_filters.ChoiceFilter(choices=Participant.SubmitterType.choices, help_text="individual or organisation.")
    since = django_filters.IsoDateTimeFilter(help_text="Only comments accepted at or after this time (ISO 8601).")
    until = django_filters.IsoDateTimeFilter(help_text="Only comments accepted before this time (ISO 8601).")
    search = django_filters.CharFilter(
        max_length=200, strip=False, validators=[RegexValidator(r"\S", gettext_lazy("Give the words to search for."))],
        help_text="Words that the text contains (published comments only).",
    )

    def filter_queryset(self, queryset):
        data = {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}
        search = data.pop("search", "")
        return selectors.comment_search(comments=selectors.comment_filter(comments=queryset, **data), query=search)
