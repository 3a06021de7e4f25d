from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.errors import ApplicationError
from consult.real_cases import real_cases_load

from comments.demo_data import demo_comments_load, demo_next_draft_load
from consult.demo_data import demo_consultation_load, demo_role_accounts_load


class Command(BaseCommand):
    help = (
        "Load the demo consultation (fictional Republic of Tarvania): draft 1 and the comments on it, then draft 2 with the "
        "commission's decisions, unless already there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--admin-password", default="admin", help='Password of the demo "admin" account.')
        parser.add_argument(
            "--no-admin", action="store_true",
            help='Do not create the demo accounts ("admin", the commission member "member" and the citizen "citizen").',
        )
        parser.add_argument("--no-comments", action="store_true", help="Load the drafts only.")
        parser.add_argument(
            "--no-next-draft", action="store_true",
            help="Stop at draft 1, open for comment (without draft 2 and the decisions it carries).",
        )

        parser.add_argument(
            "--corpora", metavar="PATH", type=Path,
            help="Also load the real Kazakh consultation (1995 Constitution and the 2026 one, aligned) from the corpora "
            "directory at PATH (../shared/corpora); its texts stay outside the repository.",
        )

    def handle(self, *args, admin_password, no_admin, no_comments, no_next_draft, corpora, **options):
        consultation = demo_consultation_load(admin_password=None if no_admin else admin_password)
        if not no_admin:
            demo_role_accounts_load(consultation=consultation)
        if not no_comments:
            demo_comments_load(consultation=consultation)
        if not no_next_draft:
            demo_next_draft_load(consultation=consultation)
        self.stdout.write(self.style.SUCCESS(f"Demo consultation ready: /c/{consultation.slug}/"))
        if corpora is not None:
            try:
                for real in real_cases_load(corpora=corpora):
                    self.stdout.write(self.style.SUCCESS(f"Real consultation ready: /c/{real.slug}/"))
            except ApplicationError as error:
                raise CommandError(error.message) from error
