"""Filters shared by the apps' FilterSets."""
from __future__ import annotations

import django_filters
from django import forms


class IdFilter(django_filters.NumberFilter):
    """A database id: a whole number that fits a PostgreSQL bigint ("1.5" or 10**30 is a 400, never a 500).
    Unlike a ModelChoiceFilter it costs no query to check the row exists: an unknown id simply matches nothing."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=2**63 - 1, **kwargs)
