"""The platform's URLs plus the baseline of the comment submission benchmark."""
from django.urls import include, path

from bench.views import comment_insert_baseline

urlpatterns = [
    path("bench/baseline/", comment_insert_baseline, name="bench-baseline"),
    path("", include("config.urls")),
]
