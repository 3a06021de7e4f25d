"""A reply may be without a position (and the commission's official answer always is): the stance may be blank
on a reply, never on a top-level comment. The CHECK is replaced: dropped (a brief lock), then added NOT VALID
and validated without blocking writes (config/schema.py), so the migration is not atomic."""
from django.db import migrations, models

from config.schema import AddCheckWithoutLocking

STANCES = ["support", "oppose", "propose_wording", "question"]
STANCE_CHOICES = [("support", "Support"), ("oppose", "Oppose"), ("propose_wording", "Propose wording"), ("question", "Question")]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("comments", "0016_fulltext_published_only")]

    operations = [
        migrations.AlterField(model_name="comment", name="stance", field=models.CharField(blank=True, choices=STANCE_CHOICES, max_length=16)),
        migrations.AlterField(model_name="commentrevision", name="stance", field=models.CharField(blank=True, choices=STANCE_CHOICES, max_length=16)),
        migrations.RemoveConstraint(model_name="comment", name="comment_stance_known"),
        AddCheckWithoutLocking(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=models.Q(stance__in=STANCES) | (models.Q(stance="") & models.Q(parent__isnull=False)),
                name="comment_stance_known",
            ),
        ),
    ]
