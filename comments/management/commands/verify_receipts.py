from django.core.management.base import BaseCommand, CommandError

from comments import receipts, selectors
from consult.models import Consultation


class Command(BaseCommand):
    help = "Recompute every consultation's receipt chain from the stored comments and report the first mismatch."

    def add_arguments(self, parser):
        parser.add_argument("--consultation", help="Slug; default all consultations.")

    def handle(self, *args, consultation=None, **options):
        consultations = Consultation.objects.order_by("id")
        if consultation:
            consultations = consultations.filter(slug=consultation)
        broken = False
        for item in consultations:
            content = selectors.receipt_chain_content(consultation=item)
            links = list(selectors.receipt_chain_links(consultation=item))
            failure = receipts.chain_verify(links, recomputed_content=content)
            if failure:
                broken = True
                self.stderr.write(f"{item.slug}: receipt {failure.number} (#{failure.sequence}) {failure.reason}")
            else:
                self.stdout.write(f"{item.slug}: {len(links)} receipts, chain intact")
        if broken:
            raise CommandError("The receipt chain is broken.")
