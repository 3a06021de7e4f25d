"""Keyed e-mails (a notice is written once, however often its cause is processed) and the notices of new versions.

The outbox's new column is nullable without a default (no table rewrite); its unique index is built
concurrently and then attached as the constraint, in a migration that is not atomic (config/schema.py).
"""
import django.db.models.deletion
from django.db import migrations, models

from config.schema import AddUniqueWithoutLocking


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("comments", "0012_concern_merged_into"),
        ("drafts", "0005_text_languages"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxemail",
            name="key",
            field=models.CharField(
                blank=True, max_length=200, null=True,
                help_text='What the e-mail announces, to whom (e.g. "version:12:user:7"): written once, however often its cause is processed.',
            ),
        ),
        AddUniqueWithoutLocking(
            model_name="outboxemail",
            constraint=models.UniqueConstraint(fields=("key",), name="outbox_unique_key"),
        ),
        migrations.CreateModel(
            name="VersionNotices",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("status", models.CharField(choices=[("pending", "Waiting"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")], default="pending", max_length=16)),
                ("progress", models.FloatField(default=0.0, help_text="0 to 1, for the progress bar.")),
                ("error", models.TextField(blank=True)),
                ("attempts", models.PositiveSmallIntegerField(default=0, help_text="Times a worker started it (taken over or retried included).")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("heartbeat_at", models.DateTimeField(blank=True, help_text="The last sign of life of the worker running it.", null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("emails", models.PositiveIntegerField(default=0, help_text="E-mails written to the outbox.")),
                (
                    "alignment",
                    models.ForeignKey(
                        help_text="The alignment with the previous version: what became of each provision.",
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="drafts.alignment",
                    ),
                ),
                (
                    "version",
                    models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="notices", to="drafts.draftversion"),
                ),
            ],
            options={"verbose_name": "notices of a new version", "verbose_name_plural": "notices of new versions"},
        ),
    ]
