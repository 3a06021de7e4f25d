"""Writes of the drafts app: documents, importing versions, publishing them.

Lock order, when a service takes several: document, then version (DESIGN: consultation,
document, version).
"""
from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from config import jobs
from config.errors import ApplicationError, InvalidState
from drafts.alignment import AlignUnit, align, comparison_figures, matches_by_lineage
from drafts.import_plan import (
    DraftSource,
    ImportPlan,
    PlannedText,
    import_plan_build,
    provision_content_hash,
    version_content_hash,
)
from drafts.models import (
    LANGUAGE_CHOICES,
    Alignment,
    AlignmentCorrection,
    Document,
    DraftVersion,
    Lineage,
    Provision,
    ProvisionChange,
    ProvisionText,
)
from drafts.languages import text_language_is_known
from drafts.parser import DraftParseError, parse_upload
from drafts.selectors import PUBLIC_STATUSES, draft_version_previous, draft_versions_superseded_by
from drafts.signals import version_published

logger = logging.getLogger(__name__)
SUPPORTED_LANGUAGES = {code for code, _label in LANGUAGE_CHOICES}
_BATCH = 1000


@dataclass(frozen=True)
class DraftUpload:
    """An uploaded file as the caller received it; `language` None means "detect from the text"."""

    filename: str
    data: bytes
    language: str | None = None


def document_create(*, title: str, slug: str, authoritative_language: str, kind: str = Document.Kind.CONSTITUTION) -> Document:
    if not text_language_is_known(authoritative_language):
        raise ApplicationError(_language_unknown_message(authoritative_language), fields={"authoritative_language": [
            _language_unknown_message(authoritative_language)]}, code="language_unknown")
    document = Document(title=title, slug=slug, kind=kind, authoritative_language=authoritative_language)
    try:
        document.full_clean()
    except ValidationError as error:
        fields = {name: [str(message) for message in messages] for name, messages in error.message_dict.items()}
        raise ApplicationError(" ".join(message for messages in fields.values() for message in messages), fields=fields) from error
    document.save()
    return document


def _language_unknown_message(code: str) -> str:
    return _('"%(code)s" is not a language code: give the two-letter ISO 639-1 code, such as kk, ru, en, uk or fr.') % {
        "code": code,
    }


def draft_sources_parse(*, uploads: Sequence[DraftUpload], max_bytes: int | None = None) -> list[DraftSource]:
    """Parse uploaded files into sources, one per language; raise ApplicationError naming the file and line."""
    if not uploads:
        raise ApplicationError(_("Upload at least one file."), fields={"files": [_("No file was uploaded.")]})
    sources: list[DraftSource] = []
    for upload in uploads:
        if max_bytes is not None and len(upload.data) > max_bytes:
            message = _("%(file)s is %(size)d bytes; the limit is %(limit)d bytes.") % {
                "file": upload.filename, "size": len(upload.data), "limit": max_bytes,
            }
            raise ApplicationError(message, fields={"files": [message]}, code="file_too_large")
        try:
            parsed = parse_upload(filename=upload.filename, data=upload.data)
        except DraftParseError as error:
            message = f"{upload.filename}: {error}"
            raise ApplicationError(message, fields={"files": [message]}, code="unparseable") from error
        if upload.language and not text_language_is_known(upload.language):
            message = f"{upload.filename}: {_language_unknown_message(upload.language)}"
            raise ApplicationError(message, fields={"language": [message]}, code="language_unknown")
        language = upload.language or parsed.language
        if language not in SUPPORTED_LANGUAGES:
            message = _("%(file)s: could not tell the language of the text; choose it explicitly.") % {"file": upload.filename}
            raise ApplicationError(message, fields={"language": [message]}, code="language_unknown")
        if any(s.language == language for s in sources):
            message = _("Two files are in the same language (%(language)s).") % {"language": language}
            raise ApplicationError(message, fields={"files": [message]}, code="language_duplicate")
        sources.append(DraftSource(language=language, parsed=parsed, filename=upload.filename))
    return sources


def draft_import_plan(*, document: Document, sources: Sequence[DraftSource]) -> ImportPlan:
    """What importing these sources into `document` would write; nothing is saved."""
    if not any(s.language == document.authoritative_language for s in sources):
        message = _("One file must be in the authoritative language of %(document)s (%(language)s).") % {
            "document": document.title, "language": document.authoritative_language,
        }
        raise ApplicationError(message, fields={"files": [message]}, code="authoritative_missing")
    return import_plan_build(authoritative_language=document.authoritative_language, sources=sources)


def draft_version_import(
    *, document: Document, sources: Sequence[DraftSource], number: int | None = None, label: str = "",
    accept_warnings: bool = False, label_translations: dict[str, str] | None = None,
) -> DraftVersion:
    """Create a *preparing* version of `document` holding the parsed texts; nothing is published.

    `number` defaults to the next free one. Without a `label`, the version is labelled "Draft N" (or the
    baseline's label) in every interface language; `label_translations` gives a label in other languages. Each provision starts its own lineage here;
    alignment with the previous version reassigns lineages when it runs. A text the parser warned
    about (drafts.parser.checks: a gap in the numbering, a swallowed article ...) is imported only
    when `accept_warnings` says that someone has read the warnings.
    """
    plan = draft_import_plan(document=document, sources=sources)
    if plan.warnings and not accept_warnings:
        raise ApplicationError(
            _("The parser warned about %(count)d thing(s) in this text; nothing was imported. Correct the text, "
              "or import it as parsed after reading the warnings.") % {"count": len(plan.warnings)},
            fields={"files": [_warning_text(found) for found in plan.warnings]},
            code="parse_warnings",
        )
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if number is None:
            number = (document.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        if document.versions.filter(number=number).exists():
            message = _("%(document)s already has a version %(number)d.") % {"document": document.title, "number": number}
            raise ApplicationError(message, fields={"number": [message]}, code="version_exists")
        default_label, default_translations = _default_labels(number)
        version = DraftVersion(
            document=document,
            number=number,
            label=label or default_label,
            label_translations=label_translations or ({} if label else default_translations),
            languages=plan.languages,
            source_filename=", ".join(s.filename for s in sources if s.filename)[:255],
        )
        version.full_clean()
        version.save()
        _provisions_write(version=version, plan=plan)
        version.content_hash = version_content_hash([p.content_hash for p in plan.provisions])
        version.save(update_fields=["content_hash"])
        alignment_request(new_version=version)
    return version


def _default_labels(number: int) -> tuple[str, dict[str, str]]:
    """The label of a version nobody named, in the active language and in each interface language."""

    def label() -> str:
        return _("Baseline (text in force)") if number == 0 else _("Draft %(number)d") % {"number": number}

    translations = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translations[code] = label()
    return label(), translations


def _warning_text(found) -> str:
    where = found.filename or found.language
    if found.warning.line:
        where = _("%(file)s, line %(line)d") % {"file": where, "line": found.warning.line}
    return f"{where}: {found.warning.message}"


def _provisions_write(*, version: DraftVersion, plan: ImportPlan) -> None:
    """Insert the plan's tree in reading order, so that id order is reading order."""
    lineages = Lineage.objects.bulk_create(
        [Lineage(document_id=version.document_id) for _p in plan.provisions], batch_size=_BATCH
    )
    provisions = Provision.objects.bulk_create(
        [
            Provision(
                version=version,
                lineage=lineages[p.index],
                kind=p.kind,
                number=p.number,
                path=p.path,
                order=p.index,
                depth=p.depth,
                content_hash=p.content_hash,
                number_printed=p.number_printed,
            )
            for p in plan.provisions
        ],
        batch_size=_BATCH,
    )
    parent_links = [
        (provision.pk, provisions[planned.parent].pk)
        for planned, provision in zip(plan.provisions, provisions, strict=True)
        if planned.parent is not None
    ]
    _provisions_column_set("parent_id", parent_links)
    ProvisionText.objects.bulk_create(
        [
            ProvisionText(provision=provision, language=language, heading=text.heading, text=text.text, notes=text.notes)
            for planned, provision in zip(plan.provisions, provisions, strict=True)
            for language, text in planned.texts.items()
        ],
        batch_size=_BATCH,
    )


_PROVISION_KEY_COLUMNS = ("parent_id", "lineage_id")


def _provisions_column_set(column: str, pairs: list[tuple[int, int]]) -> None:
    """Set one foreign-key column of many provisions with one UPDATE … FROM (VALUES …) per batch.

    bulk_update builds a CASE per row, which made importing a constitution take seconds.
    """
    if column not in _PROVISION_KEY_COLUMNS:  # the name goes into SQL: never anything but these (not an assert: -O strips it)
        raise ValueError(f"Not a provision key column: {column!r}")
    table = connection.ops.quote_name(Provision._meta.db_table)
    column = connection.ops.quote_name(column)
    for start in range(0, len(pairs), _BATCH):
        batch = pairs[start : start + _BATCH]
        values = ", ".join(["(%s, %s)"] * len(batch))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {column} = pairs.value "
                f"FROM (SELECT column1 AS provision, column2 AS value FROM (VALUES {values}) AS v) AS pairs "
                f"WHERE {table}.id = pairs.provision",
                [item for pair in batch for item in pair],
            )


def provision_text_update(*, provision: Provision, language: str, heading: str, text: str) -> Provision:
    """Correct a provision's words before publication; a published version can never be edited."""
    with transaction.atomic():
        version = DraftVersion.objects.select_for_update().get(pk=provision.version_id)
        _ensure_editable(version)
        ProvisionText.objects.update_or_create(
            provision=provision, language=language, defaults={"heading": heading, "text": text}
        )
        _provision_rehash_upwards(provision)
        _version_rehash(version)
    return provision


def _provision_rehash_upwards(provision: Provision) -> None:
    """Recompute the hash of `provision` and of each of its ancestors (a parent's hash covers its children's)."""
    node = provision
    while node is not None:
        texts = {t.language: PlannedText(t.heading, t.text, t.notes) for t in ProvisionText.objects.filter(provision=node)}
        children = list(Provision.objects.filter(parent=node).order_by("order").values_list("content_hash", flat=True))
        node.content_hash = provision_content_hash(kind=node.kind, number=node.number, path=node.path, texts=texts, children=children)
        node.save(update_fields=["content_hash"])
        node = Provision.objects.filter(pk=node.parent_id).first() if node.parent_id else None


def draft_version_delete(*, version: DraftVersion) -> None:
    """Discard a version still being prepared (a wrong upload); published versions stay forever."""
    with transaction.atomic():
        version = DraftVersion.objects.select_for_update().get(pk=version.pk)
        _ensure_editable(version)
        lineage_ids = list(version.provisions.values_list("lineage_id", flat=True))
        version.provisions.all().delete()
        version.delete()
        Lineage.objects.filter(pk__in=lineage_ids, provisions__isnull=True).delete()


def draft_version_publish(*, version: DraftVersion, by: AbstractBaseUser | None) -> DraftVersion:
    """Publish a preparing version: it becomes an immutable snapshot, and older drafts are superseded.

    Drafts are published in the order of their numbers: a version older than one already published
    is refused (code "newer_version_published"), since a superseded version can never come back.
    The baseline (0) is never superseded. The comparisons with the earlier public versions that do
    not exist yet are requested (queued after commit), so that every pair a reader can pick is there.
    The apps above drafts learn of the publication through drafts.signals.version_published, sent in
    this transaction with the alignment the lineages were inherited from.
    Takes the document lock first, then the version lock, so that two admins publishing
    two versions of one document at once are serialised.
    """
    with transaction.atomic():
        Document.objects.select_for_update().get(pk=version.document_id)
        version = DraftVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != DraftVersion.Status.PREPARING:
            raise InvalidState(
                _("%(version)s is %(status)s; only a version being prepared can be published.")
                % {"version": version.label, "status": version.get_status_display().lower()},
                code="not_preparing",
            )
        newer = (
            DraftVersion.objects.filter(document_id=version.document_id, number__gt=version.number, status__in=PUBLIC_STATUSES)
            .order_by("-number")
            .first()
        )
        if newer is not None:
            raise InvalidState(
                _("%(newer)s is already published; %(version)s is older and can no longer be published.")
                % {"newer": newer.label, "version": version.label},
                code="newer_version_published",
            )
        if not version.provisions.exists():
            raise InvalidState(_("%(version)s has no provisions to publish.") % {"version": version.label}, code="empty_version")
        _version_rehash(version)
        alignment = _lineages_inherit(version)
        if version.number > 0:
            draft_versions_superseded_by(version=version).update(status=DraftVersion.Status.SUPERSEDED)
        version.status = DraftVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.published_by = by
        version.full_clean()
        version.save(update_fields=["status", "published_at", "published_by", "content_hash"])
        version_published.send(sender=DraftVersion, version=version, alignment=alignment)
        earlier = DraftVersion.objects.filter(
            document_id=version.document_id, number__lt=version.number, status__in=PUBLIC_STATUSES
        ).exclude(alignments_from__new_version=version)
        for old_version in earlier:
            alignment_request(new_version=version, old_version=old_version)
    return version


def _ensure_editable(version: DraftVersion) -> None:
    if not version.is_editable:
        raise InvalidState(
            _("%(version)s is published and can no longer be changed; prepare a new version instead.")
            % {"version": version.label},
            code="version_immutable",
        )


def _version_rehash(version: DraftVersion) -> None:
    hashes = version.provisions.order_by("order").values_list("content_hash", flat=True)
    version.content_hash = version_content_hash(list(hashes))
    version.save(update_fields=["content_hash"])


# --- between versions: alignment, lineage ----------------------------------------------------------


def alignment_request(*, new_version: DraftVersion, old_version: DraftVersion | None = None, retry: bool = False) -> Alignment | None:
    """Ask for the alignment of `new_version` with `old_version` (default: the previous public version).

    An admin's action (importing or publishing a version, the comparison page's "compute" button),
    never a reader's: a missing alignment is created and its task queued after commit; with `retry`
    a failed one goes back to pending and is queued again. Any other existing alignment is returned
    as it is (a pending one that no worker picked up is caught up by the sweep of config.jobs).
    Returns None when there is nothing to align with (a first version).
    """
    old_version = old_version or draft_version_previous(version=new_version)
    if old_version is None:
        return None
    alignment, created = Alignment.objects.get_or_create(old_version=old_version, new_version=new_version)
    if created:
        jobs.job_enqueue(alignment)
    elif retry and alignment.status == Alignment.Status.FAILED:
        alignment = jobs.job_retry(Alignment, job_id=alignment.pk)
    return alignment


def alignment_retry(*, alignment: Alignment) -> Alignment:
    """An admin retries a failed alignment: back to pending, queued after commit (InvalidState otherwise)."""
    return jobs.job_retry(Alignment, job_id=alignment.pk)


def alignment_run(*, alignment_id: int) -> Alignment | None:
    """Compute an alignment and store its changes and figures, if config.jobs lets this caller claim it.

    Claimed: a pending alignment, or a running one whose worker died (stale heartbeat: the takeover).
    Returned untouched: a done one (it may carry an admin's corrections), a failed one (an admin
    retries it), one that a live worker is computing. None when there is no such alignment.
    Called by the worker (drafts.tasks.alignment_compute), and inline by publishing, inside its
    transaction: then a failure rolls back with the publication. Progress and heartbeat are written
    as the pure core reports progress; a failure is recorded (config.jobs.job_fail) and re-raised.
    """
    claimed = jobs.job_claim(Alignment, job_id=alignment_id)
    if claimed is None:
        return Alignment.objects.filter(pk=alignment_id).first()
    alignment = Alignment.objects.select_related("old_version__document", "new_version").get(pk=claimed.pk)
    try:
        old_units = alignment_units(version=alignment.old_version)
        new_units = alignment_units(version=alignment.new_version)
        if _versions_between(alignment):
            # Not neighbours: follow the lineages the published alignments in between established.
            old_lineage = dict(alignment.old_version.provisions.values_list("id", "lineage_id"))
            new_lineage = dict(alignment.new_version.provisions.values_list("id", "lineage_id"))
            matches = matches_by_lineage(old_units, new_units, old_lineage, new_lineage)
        else:
            matches = align(old_units, new_units, progress=jobs.job_progress_writer(alignment))
        figures = comparison_figures(old_units, new_units, matches)
        with transaction.atomic():
            jobs.job_finish(alignment, figures=figures_as_json(figures))
            _changes_write(alignment, matches)
    except jobs.JobLost:
        logger.warning("Alignment %s was taken over by another worker; this attempt's result is dropped", alignment_id)
        return Alignment.objects.filter(pk=alignment_id).first()
    except Exception as error:
        jobs.job_fail(alignment, error=error, transient=isinstance(error, (OperationalError, InterfaceError)))
        raise
    alignment.refresh_from_db()
    return alignment


def _versions_between(alignment: Alignment) -> bool:
    return DraftVersion.objects.filter(
        document_id=alignment.old_version.document_id,
        number__gt=alignment.old_version.number,
        number__lt=alignment.new_version.number,
        status__in=(DraftVersion.Status.PUBLISHED, DraftVersion.Status.SUPERSEDED),
    ).exists()


def alignment_units(*, version: DraftVersion) -> list[AlignUnit]:
    """The version's provisions as the pure aligner takes them, in reading order, in the authoritative language."""
    language = version.document.authoritative_language
    texts = {
        row["provision_id"]: (row["heading"], row["text"])
        for row in ProvisionText.objects.filter(provision__version=version, language=language).values("provision_id", "heading", "text")
    }
    rows = version.provisions.order_by("order").values_list("id", "parent_id", "kind", "number", "path")
    return [
        AlignUnit(key=pk, parent=parent, kind=kind, number=number, path=path, heading=texts.get(pk, ("", ""))[0], text=texts.get(pk, ("", ""))[1])
        for pk, parent, kind, number, path in rows
    ]


def figures_as_json(figures) -> dict:
    return dataclasses.asdict(figures)


def _changes_write(alignment: Alignment, matches) -> None:
    alignment.changes.all().delete()
    changes = ProvisionChange.objects.bulk_create(
        [
            ProvisionChange(alignment=alignment, kind=m.kind, level=m.level, similarity=round(m.similarity, 4), order=index)
            for index, m in enumerate(matches)
        ],
        batch_size=_BATCH,
    )
    old_links = ProvisionChange.old_provisions.through
    new_links = ProvisionChange.new_provisions.through
    old_links.objects.bulk_create(
        [old_links(provisionchange_id=c.pk, provision_id=key) for c, m in zip(changes, matches, strict=True) for key in m.old],
        batch_size=_BATCH,
    )
    new_links.objects.bulk_create(
        [new_links(provisionchange_id=c.pk, provision_id=key) for c, m in zip(changes, matches, strict=True) for key in m.new],
        batch_size=_BATCH,
    )


def _lineages_inherit(version: DraftVersion) -> Alignment | None:
    """Before publication: each provision of `version` takes the lineage of the provision it continues.

    unchanged, modified, renumbered, moved: the one old provision's lineage; split: the first part
    continues it (the others start their own); merged: the first old provision's lineage continues.
    Added provisions keep the lineage they were imported with. The caller holds the version lock.
    Returns the alignment followed (done), or None for a first version.
    """
    alignment = Alignment.objects.filter(new_version=version).order_by("-old_version__number").first()
    if alignment is None:
        return None
    alignment = _alignment_done_for_publication(alignment)
    old_lineage = dict(alignment.old_version.provisions.values_list("id", "lineage_id"))
    inherit: dict[int, int] = {}
    for change in alignment.changes.prefetch_related("old_provisions", "new_provisions"):
        olds = sorted(p.pk for p in change.old_provisions.all())
        news = sorted(p.pk for p in change.new_provisions.all())
        if olds and news:
            inherit[news[0]] = old_lineage[olds[0]]
    imported = dict(version.provisions.values_list("id", "lineage_id"))
    updates = [(provision_id, lineage_id) for provision_id, lineage_id in inherit.items() if imported.get(provision_id) != lineage_id]
    _provisions_column_set("lineage_id", updates)
    Lineage.objects.filter(pk__in=[imported[pid] for pid, _l in updates], provisions__isnull=True).delete()
    return alignment


def _alignment_done_for_publication(alignment: Alignment) -> Alignment:
    """The alignment, computed now if needed: publishing is an admin's explicit act, so it runs a
    pending alignment inline, takes over one whose worker died, and retries a failed one. An
    alignment that a live worker is computing refuses the publication, as does a failed run."""
    if alignment.status == Alignment.Status.RUNNING and not jobs.job_is_stale(alignment):
        raise InvalidState(
            _("The comparison with the previous version is still being computed (%(percent)d%%); publish when it is done.")
            % {"percent": int(alignment.progress * 100)},
            code="alignment_running",
        )
    if alignment.status == Alignment.Status.FAILED:
        jobs.job_retry(Alignment, job_id=alignment.pk, enqueue=False)
    if alignment.status != Alignment.Status.DONE:
        try:
            alignment = alignment_run(alignment_id=alignment.pk)
        except Exception as error:  # recorded by job_fail, and rolled back with the publication
            raise InvalidState(
                _("The comparison with the previous version could not be computed (%(error)s); nothing was published.")
                % {"error": error},
                code="alignment_failed",
            ) from error
    if alignment.status != Alignment.Status.DONE:  # a worker claimed it meanwhile, or it gave up
        raise InvalidState(
            _("The comparison with the previous version is %(status)s; publish when it is done.")
            % {"status": alignment.get_status_display().lower()},
            code="alignment_running" if alignment.status == Alignment.Status.RUNNING else "alignment_failed",
        )
    return alignment


def alignment_change_correct(
    *, change: ProvisionChange, actor: AbstractBaseUser, kind: str, old_paths: Sequence[str], new_paths: Sequence[str]
) -> ProvisionChange:
    """An admin corrects one proposed match before publication; the correction is audited.

    Provisions named here leave the other matches they were in; a match left with one side empty
    becomes "added" or "removed", and one left with neither is dropped. So every provision still
    appears in exactly one match.
    """
    with transaction.atomic():
        alignment = Alignment.objects.select_for_update().select_related("old_version", "new_version").get(pk=change.alignment_id)
        if not alignment.new_version.is_editable:
            raise InvalidState(_("The new version is published; its alignment can no longer be corrected."), code="version_immutable")
        if kind not in ProvisionChange.Kind.values:
            raise ApplicationError(_("Unknown change kind."), fields={"kind": [_("Choose a change kind.")]})
        olds = _provisions_by_path(alignment.old_version, old_paths, "old_paths")
        news = _provisions_by_path(alignment.new_version, new_paths, "new_paths")
        _check_kind_shape(kind, olds, news)
        change = ProvisionChange.objects.select_for_update().get(pk=change.pk)
        before = _change_snapshot(change)
        for other in ProvisionChange.objects.filter(alignment=alignment).exclude(pk=change.pk).filter(
            Q(old_provisions__in=olds) | Q(new_provisions__in=news)
        ).distinct():
            other.old_provisions.remove(*olds)
            other.new_provisions.remove(*news)
            _change_reshape(other)
        change.old_provisions.set(olds)
        change.new_provisions.set(news)
        change.kind, change.corrected_by, change.corrected_at = kind, actor, timezone.now()
        change.save(update_fields=["kind", "corrected_by", "corrected_at"])
        AlignmentCorrection.objects.create(change=change, actor=actor, before=before, after=_change_snapshot(change))
    return change


def alignment_change_confirm(*, change: ProvisionChange, actor: AbstractBaseUser) -> ProvisionChange:
    """An admin confirms a proposed match as it stands: recorded as a correction that changes nothing, so the
    review shows it as checked and the audit trail says who checked it and when."""
    return alignment_change_correct(
        change=change, actor=actor, kind=change.kind,
        old_paths=[p.path for p in change.old_provisions.all()], new_paths=[p.path for p in change.new_provisions.all()],
    )


def _provisions_by_path(version: DraftVersion, paths: Sequence[str], field: str) -> list[Provision]:
    wanted = [p.strip() for p in paths if p.strip()]
    found = {p.path: p for p in version.provisions.filter(path__in=wanted)}
    missing = [p for p in wanted if p not in found]
    if missing:
        message = _("%(version)s has no provision %(paths)s.") % {"version": version.label, "paths": ", ".join(missing)}
        raise ApplicationError(message, fields={field: [message]}, code="provision_not_found")
    return [found[p] for p in wanted]


def _check_kind_shape(kind: str, olds: list, news: list) -> None:
    shapes = {
        "added": (0, 0, 1, None), "removed": (1, None, 0, 0), "split": (1, 1, 2, None), "merged": (2, None, 1, 1),
    }
    low_old, high_old, low_new, high_new = shapes.get(kind, (1, 1, 1, 1))
    if not (low_old <= len(olds) <= (high_old if high_old is not None else len(olds))) or not (
        low_new <= len(news) <= (high_new if high_new is not None else len(news))
    ):
        raise ApplicationError(
            _("A %(kind)s change does not fit %(old)d old and %(new)d new provisions.") % {"kind": kind, "old": len(olds), "new": len(news)},
            fields={"kind": [_("Does not fit the provisions given.")]}, code="change_shape",
        )


def _change_reshape(change: ProvisionChange) -> None:
    olds, news = change.old_provisions.count(), change.new_provisions.count()
    if not olds and not news:
        change.delete()
    elif not olds:
        change.kind = ProvisionChange.Kind.ADDED
        change.save(update_fields=["kind"])
    elif not news:
        change.kind = ProvisionChange.Kind.REMOVED
        change.save(update_fields=["kind"])


def _change_snapshot(change: ProvisionChange) -> dict:
    return {
        "kind": change.kind,
        "old": sorted(change.old_provisions.values_list("path", flat=True)),
        "new": sorted(change.new_provisions.values_list("path", flat=True)),
    }
