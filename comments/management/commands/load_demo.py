from django.core.management.base import BaseCommand

from comments.demo_data import demo_comments_load
from consult.demo_data import demo_consultation_load


class Command(BaseCommand):
    help = "Load the demo consultation (fictional Republic of Tarvania) and a few comments, unless already there."

    def add_arguments(self, parser):
        parser.add_argument("--admin-password", default="admin", help='Password of the demo "admin" account.')
        parser.add_argument("--no-admin", action="store_true", help="Do not create the demo admin account.")
        parser.add_argument("--no-comments", action="store_true", help="Load the drafts only.")

    def handle(self, *args, admin_password, no_admin, no_comments, **options):
        consultation = demo_consultation_load(admin_password=None if no_admin else admin_password)
        if not no_comments:
            demo_comments_load(consultation=consultation)
        self.stdout.write(self.style.SUCCESS(f"Demo consultation ready: /c/{consultation.slug}/"))
