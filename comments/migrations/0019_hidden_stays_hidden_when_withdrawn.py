"""A hidden comment stays hidden, with its reason, when its author withdraws it; the withdrawal is recorded
beside it (withdrawn_at). Comments withdrawn while hidden before this lost their "hidden" status: the last
moderation decision on them (hide, not a later restore) gives it back. Then the database refuses a
published comment with a withdrawal time and a withdrawn one without, added without a long lock on the
comment table (config/schema.py); hence not atomic."""
from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery

from config.schema import AddCheckWithoutLocking


def hidden_again(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    ModerationEvent = apps.get_model("comments", "ModerationEvent")
    last_decision = (
        ModerationEvent.objects.filter(comment=OuterRef("pk"), action__in=["hide", "restore"]).order_by("-id").values("action")[:1]
    )
    Comment.objects.filter(status="withdrawn").annotate(last_decision=Subquery(last_decision)).filter(
        last_decision="hide"
    ).update(status="hidden")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("comments", "0018_outbox_queued_until"),
    ]

    operations = [
        migrations.RunPython(hidden_again, migrations.RunPython.noop, elidable=True),
        AddCheckWithoutLocking(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=Q(status="hidden")
                | Q(status="published", withdrawn_at__isnull=True)
                | Q(status="withdrawn", withdrawn_at__isnull=False),
                name="comment_withdrawal_recorded",
            ),
        ),
    ]
