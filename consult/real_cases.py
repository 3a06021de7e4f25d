"""Real consultations built from public texts kept outside the repository: `load_demo --corpora PATH`.

The reference case is Kazakhstan's: the 1995 Constitution as amended (Russian authoritative, with the
Kazakh and English texts of the same edition) as version 0, and the 2026 Constitution (Russian) as
version 1, aligned, so that a newcomer sees the real comparison and its figures. The texts are read
from the corpora directory (../shared/corpora beside the project); the repository holds only this code.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from config.errors import ApplicationError
from consult import services
from consult.models import Consultation
from drafts import services as draft_services
from drafts.models import DraftVersion


@dataclass(frozen=True)
class RealVersion:
    number: int
    label: str
    files: dict[str, str]  # language -> path under the corpora directory; the first is authoritative


@dataclass(frozen=True)
class RealCase:
    slug: str
    title: str
    description: str
    languages: list[str]
    document_slug: str
    document_title: str
    versions: tuple[RealVersion, ...]


KAZAKHSTAN_2026 = RealCase(
    slug="kazakhstan-2026",
    title="Constitutional reform of the Republic of Kazakhstan, 2026",
    description=(
        "The real reference case: the Constitution of 1995 as amended, in Russian (authoritative), Kazakh and English, "
        "and the new Constitution adopted at the referendum of 15 March 2026, in Russian. The comparison shows, "
        "provision by provision, what changed between them; the public spoke of \"over 84% changes compared to "
        "the existing text\". The texts are public law, read from the corpora beside the project."
    ),
    languages=["ru", "kk", "en"],
    document_slug="kz-constitution",
    document_title="Constitution of the Republic of Kazakhstan",
    versions=(
        RealVersion(0, "Constitution of 1995, as amended to 2023", {
            "ru": "kazakhstan/kz_constitution_1995_as_of_2023-01-01_ru.md",
            "kk": "kazakhstan/kz_constitution_1995_as_amended_kk.txt",
            "en": "kazakhstan/kz_constitution_1995_as_amended_en.txt",
        }),
        RealVersion(1, "Constitution of 2026 (adopted at the referendum of 15 March 2026)", {
            "ru": "kazakhstan/kz_constitution_2026_ru.md",
        }),
    ),
)
REAL_CASES = (KAZAKHSTAN_2026,)


def real_cases_load(*, corpora: Path, by=None) -> list[Consultation]:
    """Load every real case whose texts are all in `corpora`; a second call changes nothing.

    A missing directory or file is a clear ApplicationError naming it, never a traceback.
    """
    if not corpora.is_dir():
        raise ApplicationError(f"No corpora directory at {corpora}", code="corpora_missing")
    return [real_case_load(case=case, corpora=corpora, by=by) for case in REAL_CASES]


def real_case_load(*, case: RealCase, corpora: Path, by=None) -> Consultation:
    existing = Consultation.objects.filter(slug=case.slug).first()
    if existing:
        return existing
    missing = [path for version in case.versions for path in version.files.values() if not (corpora / path).is_file()]
    if missing:
        raise ApplicationError(f"The corpora at {corpora} lack {', '.join(missing)}", code="corpora_missing")
    with transaction.atomic():
        today = timezone.localdate()
        consultation = services.consultation_create(
            title=case.title, slug=case.slug, description=case.description, languages=case.languages,
            starts_on=today - datetime.timedelta(days=120), ends_on=today - datetime.timedelta(days=60),
            status=Consultation.Status.CLOSED,
        )
        authoritative = next(iter(case.versions[0].files))
        document = draft_services.document_create(
            title=case.document_title, slug=case.document_slug, authoritative_language=authoritative
        )
        services.consultation_document_add(consultation=consultation, document=document)
        for version in case.versions:
            _version_load(document, version, corpora, by)
    return consultation


def _version_load(document, version: RealVersion, corpora: Path, by) -> DraftVersion:
    uploads = [
        draft_services.DraftUpload(filename=Path(path).name, data=(corpora / path).read_bytes(), language=language)
        for language, path in version.files.items()
    ]
    sources = draft_services.draft_sources_parse(uploads=uploads)
    imported = draft_services.draft_version_import(document=document, sources=sources, number=version.number, label=version.label)
    return draft_services.draft_version_publish(version=imported, by=by)
