from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from config.errors import ApplicationError
from drafts import selectors, services


class Command(BaseCommand):
    help = (
        "Import a version of a document from .docx, Markdown or plain text. "
        "Give one --file per language (LANG=PATH, or PATH to detect the language)."
    )

    def add_arguments(self, parser):
        parser.add_argument("document", help="Slug of the document.")
        parser.add_argument("--file", action="append", required=True, dest="files", help="[LANG=]PATH; repeat per language.")
        parser.add_argument("--number", type=int, help="Version number (0 = baseline); default the next one.")
        parser.add_argument("--label", default="")
        parser.add_argument("--create", metavar="TITLE", help="Create the document with this title if it does not exist.")
        parser.add_argument("--language", default="en", help="Authoritative language when creating the document.")
        parser.add_argument("--publish", action="store_true", help="Publish the version after importing it.")
        parser.add_argument("--by", help="Username recorded as publisher.")
        parser.add_argument("--dry-run", action="store_true", help="Parse and report; save nothing.")
        parser.add_argument(
            "--accept-warnings", action="store_true",
            help="Import even when the parser warns (gaps in the numbering, an article far longer than the others...).",
        )

    def handle(self, *args, document, files, number, label, create, language, publish, by, dry_run, accept_warnings, **options):
        try:
            target = self._document(document, create, language)
            uploads = [self._upload(spec) for spec in files]
            sources = services.draft_sources_parse(uploads=uploads)
            plan = services.draft_import_plan(document=target, sources=sources)
            self._report(plan)
            if dry_run:
                return
            if plan.warnings and not accept_warnings:
                raise CommandError(
                    f"{len(plan.warnings)} warning(s): nothing was imported. Correct the text, "
                    "or run again with --accept-warnings to import it as parsed."
                )
            version = services.draft_version_import(
                document=target, sources=sources, number=number, label=label, accept_warnings=accept_warnings
            )
            if publish:
                user = get_user_model().objects.get(username=by) if by else None
                version = services.draft_version_publish(version=version, by=user)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(f"{version} ({version.get_status_display()}), hash {version.content_hash[:16]}"))

    def _document(self, slug, create, language):
        try:
            return selectors.document_get(slug=slug)
        except ApplicationError:
            if not create:
                raise
            return services.document_create(title=create, slug=slug, authoritative_language=language)

    def _upload(self, spec: str) -> services.DraftUpload:
        language, _sep, path = spec.rpartition("=")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No file {path}")
        return services.DraftUpload(filename=file.name, data=file.read_bytes(), language=language or None)

    def _report(self, plan) -> None:
        counts = ", ".join(f"{kind}: {count}" for kind, count in plan.count_by_kind().items())
        self.stdout.write(f"{len(plan.provisions)} provisions ({counts})")
        for coverage in plan.coverage:
            self.stdout.write(f"{coverage.language}: {coverage.matched}/{coverage.total} provisions matched")
        for found in plan.warnings:
            where = f"{found.filename or found.language}, line {found.warning.line}" if found.warning.line else found.filename
            self.stderr.write(self.style.WARNING(f"Warning ({where}): {found.warning.message} [{found.warning.code}]"))
