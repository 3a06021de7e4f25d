"""Idempotency keys of comment submissions: a retried submission returns the comment already made.

A comment can be committed while its client sees an error (the response lost on the way, a
connection cut by a restart of the database or the server). A client that sends an
`Idempotency-Key` header (the HTML form sends one hidden key per form shown) and retries with the
same key gets the receipt of that comment instead of a second comment, however many times it
retries and whether or not the first answer reached it. The key is stored (comments.SubmissionKey)
in the comment's own transaction with a hash of what was asked: a key sent again with other words
is refused (422), as draft-ietf-httpapi-idempotency-key-header recommends, since answering with the
first comment would tell the client that the new words were recorded.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re

from django.utils.translation import gettext as _

from comments.models import SubmissionKey
from config.errors import ApplicationError

KEY_MAX_LENGTH = SubmissionKey._meta.get_field("key").max_length
KEY_PATTERN = re.compile(rf"[\x21-\x7e]{{1,{KEY_MAX_LENGTH}}}")  # visible ASCII: a UUID, a ULID, a hash


class KeyReused(ApplicationError):
    """The key made a comment with other words: the client must choose a new key for a new comment."""

    code = "idempotency_key_reused"
    status = 422


def submission_key_check(key: str) -> None:
    if not KEY_PATTERN.fullmatch(key):
        message = _("An Idempotency-Key is 1 to %(max)d visible ASCII characters, without spaces.") % {"max": KEY_MAX_LENGTH}
        raise ApplicationError(message, fields={"idempotency_key": [message]}, code="idempotency_key_invalid")


def submission_request_hash(**request: object) -> str:
    """A hash of what the submission asks for (the text as the service reads it, the quote, the target)."""
    plain = {name: dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value for name, value in request.items()}
    return hashlib.sha256(json.dumps(plain, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()


def submission_earlier(*, author_id: int, key: str, request_hash: str) -> int | None:
    """The id of the comment this author already made with this key, or None. Raises KeyReused when
    the key made a comment from another request."""
    row = SubmissionKey.objects.filter(author_id=author_id, key=key).values_list("comment_id", "request_hash").first()
    if row is None:
        return None
    if row[1] != request_hash:
        raise KeyReused(
            _("This Idempotency-Key was already used for another comment; send a new comment with a new key."),
            fields={"idempotency_key": [_("Already used for another comment.")]},
        )
    return row[0]


def submission_key_record(*, author_id: int, key: str, request_hash: str, comment_id: int) -> None:
    """Record the key in the comment's transaction. A second request with the same key waits here for
    the first's commit and then fails on the unique constraint (IntegrityError): its comment is rolled back."""
    SubmissionKey.objects.create(author_id=author_id, key=key, request_hash=request_hash, comment_id=comment_id)
