"""A merged concern points to the one it was merged into (comments.concerns.services.concern_merge).

The column is nullable without a default (no table rewrite); its index, on the merged ones only, is
built concurrently in a migration that is not atomic, as every index of the comments app from 0005 on.
"""
import django.db.models.deletion
from django.db import migrations, models

from config.schema import AddIndexWithoutLocking


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("comments", "0011_fingerprint_keys_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="concern",
            name="merged_into",
            field=models.ForeignKey(
                blank=True, db_index=False, help_text="The concern this one was merged into, with its comments.", null=True,
                on_delete=django.db.models.deletion.PROTECT, related_name="merged", to="comments.concern",
            ),
        ),
        AddIndexWithoutLocking(
            model_name="concern",
            index=models.Index(condition=models.Q(("merged_into__isnull", False)), fields=["merged_into"], name="concern_merged_into"),
        ),
    ]
