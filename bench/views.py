"""The baseline of the comment submission benchmark: the least a Django view can do to accept a comment.

It goes through the same middleware (session, CSRF, authentication) as the real endpoint, reads the
same JSON, and does one INSERT into comments_comment with ids prepared beforehand; no checks, no
receipt, no e-mail. Whatever the real endpoint costs beyond this is the price of its behaviour.
"""
import json

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from comments.models import Comment

BASELINE_AUTHOR_NAME = "bench-baseline"


@require_POST
def comment_insert_baseline(request):
    if not request.user.is_authenticated:
        return JsonResponse({"message": "Sign in to comment.", "code": "not_authenticated", "fields": {}}, status=403)
    data = json.loads(request.body)
    consultation_id, version_id, lineage_id = settings.BENCH_BASELINE_PROVISIONS[int(data["provision"])]
    comment = Comment.objects.create(
        consultation_id=consultation_id,
        version_id=version_id,
        provision_id=int(data["provision"]),
        lineage_id=lineage_id,
        author_id=request.user.pk,
        author_name=BASELINE_AUTHOR_NAME,
        submitter_type="individual",
        stance=data["stance"],
        body=data["body"],
        language=data["language"],
    )
    return JsonResponse({"id": comment.pk}, status=201)
