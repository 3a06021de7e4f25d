"""A receipt records what entered the record (a comment today, a decision next) and its payload format;
an outbox e-mail that keeps failing is given up on, visibly; report_count was never read."""
import django.db.models.deletion
from django.db import migrations, models


def give_up_on_old_failures(apps, schema_editor):
    """E-mails the old code had stopped retrying (ten attempts) are marked failed, so that the admin shows them."""
    from django.utils import timezone

    OutboxEmail = apps.get_model("comments", "OutboxEmail")
    OutboxEmail.objects.filter(sent_at__isnull=True, attempts__gte=10).update(
        failed_at=timezone.now(), last_error="Gave up after 10 attempts (before errors were recorded)."
    )


class Migration(migrations.Migration):

    dependencies = [
        ("comments", "0004_reading_indexes"),
    ]

    operations = [
        migrations.RemoveField(model_name="comment", name="report_count"),
        migrations.AddField(
            model_name="outboxemail",
            name="failed_at",
            field=models.DateTimeField(blank=True, help_text="Given up after the last allowed attempt.", null=True),
        ),
        migrations.AddField(model_name="outboxemail", name="last_error", field=models.TextField(blank=True)),
        migrations.AddField(
            model_name="outboxemail",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, help_text="Not tried again before this (the delay after a failed attempt).", null=True),
        ),
        migrations.RunPython(give_up_on_old_failures, migrations.RunPython.noop),
        migrations.AddField(
            model_name="receipt",
            name="kind",
            field=models.CharField(choices=[("comment", "Comment")], default="comment", max_length=16),
        ),
        migrations.AddField(
            model_name="receipt",
            name="payload_format",
            field=models.PositiveSmallIntegerField(default=1, help_text="The version of what content_hash covers."),
        ),
        migrations.AlterField(
            model_name="receipt",
            name="comment",
            field=models.OneToOneField(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="receipt", to="comments.comment"
            ),
        ),
    ]
