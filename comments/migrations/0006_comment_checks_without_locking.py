"""The database refuses what the raw-SQL comment write could otherwise store: an unknown status or stance,
a hidden comment without its public reason, a comment receipt without its comment. Added without holding a lock on the comment table while it
is scanned (config/schema.py); hence not atomic."""
from django.db import migrations, models
from django.db.models import Q

from config.schema import AddCheckWithoutLocking, AddIndexWithoutLocking


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("comments", "0005_record_kinds_and_outbox_failures"),
    ]

    operations = [
        AddCheckWithoutLocking(
            model_name="comment",
            constraint=models.CheckConstraint(condition=Q(status__in=["published", "hidden", "withdrawn"]), name="comment_status_known"),
        ),
        AddCheckWithoutLocking(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=Q(stance__in=["support", "oppose", "propose_wording", "question"]), name="comment_stance_known"
            ),
        ),
        AddCheckWithoutLocking(
            model_name="comment",
            constraint=models.CheckConstraint(condition=~Q(status="hidden") | ~Q(moderation_reason=""), name="comment_hidden_has_reason"),
        ),
        AddCheckWithoutLocking(
            model_name="receipt",
            constraint=models.CheckConstraint(condition=~Q(kind="comment") | Q(comment__isnull=False), name="receipt_comment_has_comment"),
        ),
        AddIndexWithoutLocking(
            model_name="outboxemail",
            index=models.Index(condition=Q(failed_at__isnull=True, sent_at__isnull=True), fields=["id"], name="outbox_pending"),
        ),
    ]
