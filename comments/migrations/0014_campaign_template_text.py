"""A campaign's template is the text its comments share (comments.campaigns.detection, step 6), stored when it
is created, merged, grows past a power of two or loses or regains a comment; its size counts published
comments only. The existing campaigns are computed once here (from a sample of their comments, as the
service does). Campaign is not a hot table: adding a column with a default does not rewrite it.
"""
from django.db import migrations, models

TEMPLATE_SAMPLE = 100  # from each end, as comments.campaigns.services


def campaigns_recompute(apps, schema_editor):
    from django.db.models import Count, Max, Min

    from comments.campaigns import detection

    Campaign = apps.get_model("comments", "Campaign")
    Comment = apps.get_model("comments", "Comment")
    for campaign in Campaign.objects.all().iterator():
        published = Comment.objects.filter(fingerprint__campaign=campaign, status="published")
        figures = published.aggregate(size=Count("id"), first=Min("created_at"), last=Max("created_at"))
        campaign.size = figures["size"]
        if campaign.size:
            campaign.first_seen, campaign.last_seen = figures["first"], figures["last"]
            sample = dict(published.order_by("id").values_list("id", "body")[:TEMPLATE_SAMPLE])
            sample.update(published.order_by("-id").values_list("id", "body")[:TEMPLATE_SAMPLE])
            template = detection.campaign_template(sample)
            if template is not None:
                campaign.template_comment_id, campaign.template_text = template.comment_id, template.text
        campaign.save(update_fields=["size", "first_seen", "last_seen", "template_comment", "template_text"])


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("comments", "0013_outbox_keys_version_notices"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="template_text",
            field=models.TextField(
                blank=True, help_text="The text common to the campaign's published comments (comments.campaigns.detection, step 6)."
            ),
        ),
        migrations.AlterField(
            model_name="campaign",
            name="size",
            field=models.PositiveIntegerField(default=0, help_text="Its published comments: hidden and withdrawn ones do not count."),
        ),
        migrations.AlterField(
            model_name="campaign",
            name="template_comment",
            field=models.ForeignKey(
                help_text="The comment whose text, trimmed to what the campaign's comments share, is the template.",
                on_delete=models.deletion.PROTECT, related_name="+", to="comments.comment",
            ),
        ),
        migrations.RunPython(campaigns_recompute, migrations.RunPython.noop, atomic=True),
    ]
