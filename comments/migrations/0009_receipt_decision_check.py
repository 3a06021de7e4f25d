"""A decision link must point at its event: added NOT VALID then validated, without holding the receipt table."""
from django.db import migrations, models

from config.schema import AddCheckWithoutLocking


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("comments", "0008_concerns"),
    ]

    operations = [
        AddCheckWithoutLocking(
            model_name="receipt",
            constraint=models.CheckConstraint(
                condition=~models.Q(kind="decision") | models.Q(decision__isnull=False), name="receipt_decision_has_event"
            ),
        ),
    ]
