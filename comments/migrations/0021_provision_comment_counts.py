"""Comment counts per provision, kept by triggers in the statements that write comments (comments.counting), so that
a page showing "N comments" no longer reads every comment (issue 13). The comments already stored are counted under
a lock that holds writers off until the triggers count them too."""
import django.db.models.deletion
from django.db import migrations, models

from comments.counting import counting_start, counting_stop


def start(apps, schema_editor):
    counting_start(schema_editor)


def stop(apps, schema_editor):
    counting_stop(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("comments", "0020_submission_key"),
        ("drafts", "0008_label_translations"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProvisionCommentCount",
            fields=[
                ("provision", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="comment_count", serialize=False, to="drafts.provision")),
                ("published", models.IntegerField(default=0)),
                ("hidden", models.IntegerField(default=0)),
                ("withdrawn", models.IntegerField(default=0)),
                ("version", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="drafts.draftversion")),
            ],
            options={
                "indexes": [models.Index(fields=["version", "provision"], name="comment_count_version")],
            },
        ),
        migrations.RunPython(start, stop),
    ]
