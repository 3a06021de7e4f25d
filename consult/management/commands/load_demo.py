from django.core.management.base import BaseCommand

from consult.demo_data import demo_consultation_load


class Command(BaseCommand):
    help = "Load the demo consultation (fictional Republic of Tarvania) unless it is already there."

    def add_arguments(self, parser):
        parser.add_argument("--admin-password", default="admin", help='Password of the demo "admin" account.')
        parser.add_argument("--no-admin", action="store_true", help="Do not create the demo admin account.")

    def handle(self, *args, admin_password, no_admin, **options):
        consultation = demo_consultation_load(admin_password=None if no_admin else admin_password)
        self.stdout.write(self.style.SUCCESS(f"Demo consultation ready: /c/{consultation.slug}/"))
