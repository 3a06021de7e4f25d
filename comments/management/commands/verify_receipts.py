from django.core.management.base import BaseCommand, CommandError

from comments.chain import selectors
from consult.models import Consultation


class Command(BaseCommand):
    help = (
        "Walk every consultation's receipt chain against its head, recompute every receipt from the stored "
        "records, and report each problem: a missing, altered or unlinked receipt, a comment without one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--consultation", help="Slug; default all consultations.")

    def handle(self, *args, consultation=None, **options):
        consultations = Consultation.objects.order_by("id")
        if consultation:
            consultations = consultations.filter(slug=consultation)
        broken = False
        for item in consultations:
            report = selectors.chain_verification(consultation=item)
            if report.intact:
                self.stdout.write(f"{item.slug}: {report.stored} receipts, chain intact (head {report.head.head_hash})")
                continue
            broken = True
            for problem in report.breaks:
                self.stderr.write(f"{item.slug}: {problem}")
        if broken:
            raise CommandError("The receipt chain is broken.")
