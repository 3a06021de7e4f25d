"""Reads of the drafts app. Each selector runs a fixed, small number of queries however long the document."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When

from config.errors import NotFound
from drafts.citations import POINTS, provision_citation
from drafts.diff import DiffOp, word_diff
from drafts.models import (
    Alignment,
    Document,
    DraftVersion,
    Provision,
    ProvisionChange,
    ProvisionText,
)

PUBLIC_STATUSES = (DraftVersion.Status.PUBLISHED, DraftVersion.Status.SUPERSEDED)


@dataclass
class ProvisionNode:
    """A provision as the reader shows it: its words in one language, with its children."""

    provision: Provision
    heading: str
    text: str
    language: str
    is_fallback: bool
    children: list[ProvisionNode] = field(default_factory=list)
    notes: str = ""

    @property
    def kind(self) -> str:
        return self.provision.kind

    @property
    def number(self) -> str:
        return self.provision.number

    @property
    def number_printed(self) -> bool:
        return self.provision.number_printed

    @property
    def path(self) -> str:
        return self.provision.path

    @property
    def anchor(self) -> str:
        return self.provision.anchor

    @property
    def is_container(self) -> bool:
        return self.provision.kind in (Provision.Kind.PART, Provision.Kind.SECTION, Provision.Kind.CHAPTER)


def document_list(*, ids: Iterable[int] | None = None) -> QuerySet[Document]:
    documents = Document.objects.all()
    if ids is not None:
        documents = documents.filter(pk__in=list(ids))
    return documents.prefetch_related(
        Prefetch("versions", queryset=DraftVersion.objects.order_by("number"))
    )


def document_get(*, slug: str) -> Document:
    try:
        return Document.objects.get(slug=slug)
    except Document.DoesNotExist as error:
        raise NotFound(f"No document {slug!r}.") from error


def draft_version_list(*, document: Document | None = None, public_only: bool = True) -> QuerySet[DraftVersion]:
    versions = DraftVersion.objects.select_related("document").annotate(provision_count=Count("provisions"))
    if document is not None:
        versions = versions.filter(document=document)
    if public_only:
        versions = versions.filter(status__in=PUBLIC_STATUSES)
    return versions.order_by("document_id", "number")


def draft_version_get(*, document: Document, number: int, public_only: bool = True) -> DraftVersion:
    versions = DraftVersion.objects.select_related("document").filter(document=document, number=number)
    if public_only:
        versions = versions.filter(status__in=PUBLIC_STATUSES)
    version = versions.first()
    if version is None:
        raise NotFound(f"{document.title} has no published version {number}.")
    return version


def draft_version_get_for_reading(*, document: Document, number: int, user: AbstractBaseUser | AnonymousUser) -> DraftVersion:
    """A version as the reader and the comparison show it: a public one for everyone, and for a draft admin also one
    being prepared, so that they read it and its comparison before publishing it (the pages say it is a preview).
    Raises NotFound for anyone else, as if it did not exist."""
    return draft_version_get(document=document, number=number, public_only=not is_draft_admin(user=user))


def provision_queryset(*, public_only: bool = True) -> QuerySet[Provision]:
    """Provisions with their version, document and every text, in reading order: two queries a page."""
    provisions = Provision.objects.select_related("version__document").prefetch_related(
        Prefetch("texts", queryset=ProvisionText.objects.order_by("language"))
    )
    if public_only:
        provisions = provisions.filter(version__status__in=PUBLIC_STATUSES)
    return provisions


def provision_search(*, provisions: QuerySet[Provision], query: str) -> QuerySet[Provision]:
    """Provisions whose heading or text in any language contains every word of `query`."""
    for word in query.split():
        matching = ProvisionText.objects.filter(Q(text__icontains=word) | Q(heading__icontains=word))
        provisions = provisions.filter(pk__in=matching.values("provision_id"))
    return provisions


def provision_tree_for_version(*, version: DraftVersion, language: str) -> list[ProvisionNode]:
    """The whole tree of a version in `language`, falling back to the authoritative text where untranslated."""
    nodes = _provision_nodes(version=version, language=language, provisions=version.provisions.order_by("order"))
    roots: list[ProvisionNode] = []
    by_id = {node.provision.pk: node for node in nodes}
    for node in nodes:
        parent = by_id.get(node.provision.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


def provision_subtree(*, provision: Provision) -> QuerySet[Provision]:
    """A provision and every provision below it in its version (an article and its paragraphs), unordered.

    Read through the version's related manager, so that the rows come with their version attached.
    """
    return provision.version.provisions.filter(Q(pk=provision.pk) | Q(path__startswith=provision.path + "/"))


def provision_get(*, version: DraftVersion, path: str, language: str) -> ProvisionNode:
    """One provision with its subtree, in `language`."""
    provision = version.provisions.filter(path=path).first()
    if provision is None:
        raise NotFound(f"{version.label} has no provision {path}.")
    subtree = provision_subtree(provision=provision).filter(order__gte=provision.order).order_by("order")
    nodes = _provision_nodes(version=version, language=language, provisions=subtree)
    by_id = {node.provision.pk: node for node in nodes}
    for node in nodes[1:]:
        parent = by_id.get(node.provision.parent_id)
        if parent:
            parent.children.append(node)
    return nodes[0]


def provision_ancestors(*, provision: Provision) -> list[Provision]:
    """The containers above a provision, from the root, in one query."""
    parts = provision.path.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts))]
    return list(Provision.objects.filter(version_id=provision.version_id, path__in=prefixes).order_by("order"))


def provision_citations(*, provisions: Iterable[Provision | None], language: str) -> dict[int, str]:
    """How people cite each provision ("Article 25, paragraph 1", drafts.citations), by id, whatever
    their versions: the ancestors of the paragraphs among them are read in one query (none for articles)."""
    provisions = [provision for provision in provisions if provision is not None]
    # Only a paragraph or sub-paragraph is cited with its ancestors: an article or a section is named alone.
    chains = {provision.pk: _path_prefixes(provision.path) if provision.kind in POINTS else [] for provision in provisions}
    wanted = Q()
    for provision in provisions:
        if chains[provision.pk]:
            wanted |= Q(version_id=provision.version_id, path__in=chains[provision.pk])
    ancestors = (
        {(row.version_id, row.path): row for row in Provision.objects.filter(wanted).only("version_id", "path", "kind", "number", "number_printed")}
        if wanted else {}
    )
    return {
        provision.pk: provision_citation(
            [*(ancestors[key] for key in ((provision.version_id, prefix) for prefix in chains[provision.pk]) if key in ancestors), provision],
            language,
        )
        for provision in provisions
    }


def _path_prefixes(path: str) -> list[str]:
    """"II/25/1" -> ["II", "II/25"]: the paths of a provision's ancestors, from the root."""
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def provision_neighbours(*, provision: Provision) -> tuple[Provision | None, Provision | None]:
    """The previous and next provision of the same kind in reading order (article to article)."""
    same_kind = Provision.objects.filter(version_id=provision.version_id, kind=provision.kind)
    previous = same_kind.filter(order__lt=provision.order).order_by("-order").first()
    following = same_kind.filter(order__gt=provision.order).order_by("order").first()
    return previous, following


def provision_parallel_texts(*, provision: Provision) -> list[tuple[Provision, list[ProvisionText | None]]]:
    """A provision and its subtree with the texts of every language side by side, authoritative first."""
    version = provision.version
    languages = version_text_languages(version=version)
    subtree = provision_subtree(provision=provision).order_by("order").prefetch_related("texts")
    rows = []
    for row in subtree:
        texts = {t.language: t for t in row.texts.all()}
        rows.append((row, [texts.get(language) for language in languages]))
    return rows


def version_text_languages(*, version: DraftVersion) -> list[str]:
    """The languages of the version, authoritative first."""
    authoritative = version.document.authoritative_language
    return [authoritative] + [code for code in version.languages if code != authoritative]


def _provision_nodes(*, version: DraftVersion, language: str, provisions: QuerySet[Provision]) -> list[ProvisionNode]:
    authoritative = version.document.authoritative_language
    wanted = {language, authoritative}
    rows = list(provisions.prefetch_related(Prefetch("texts", queryset=ProvisionText.objects.filter(language__in=wanted))))
    nodes = []
    for provision in rows:
        texts = {t.language: t for t in provision.texts.all()}
        chosen = texts.get(language) or texts.get(authoritative)
        nodes.append(
            ProvisionNode(
                provision=provision,
                heading=chosen.heading if chosen else "",
                text=chosen.text if chosen else "",
                language=chosen.language if chosen else authoritative,
                is_fallback=language not in texts,
                notes=chosen.notes if chosen else "",
            )
        )
    return nodes


def draft_versions_superseded_by(*, version: DraftVersion) -> QuerySet[DraftVersion]:
    """The drafts that publishing `version` supersedes (services.draft_version_publish): the published ones
    numbered below it, never the baseline."""
    return DraftVersion.objects.filter(
        document_id=version.document_id, status=DraftVersion.Status.PUBLISHED, number__gt=0, number__lt=version.number
    ).order_by("number")


def draft_version_previous(*, version: DraftVersion) -> DraftVersion | None:
    """The latest public version of the same document numbered below `version`."""
    return (
        DraftVersion.objects.select_related("document")
        .filter(document_id=version.document_id, number__lt=version.number, status__in=PUBLIC_STATUSES)
        .order_by("-number")
        .first()
    )


@dataclass
class ComparisonRow:
    """One article-level (or container-level) change, with the texts on each side and their word diff.

    The diff is data (runs of drafts.diff.DiffOp); the template renders it, escaping every run, so
    no HTML built here is ever marked safe far from where it was escaped.
    """

    change: ProvisionChange
    old: list[Provision]
    new: list[Provision]
    old_text: str
    new_text: str
    diff: tuple[DiffOp, ...]


def alignment_get(*, old_version: DraftVersion, new_version: DraftVersion) -> Alignment | None:
    """The alignment of this pair as it stands, or None when nobody requested it. Only reads: a
    reader's page view or API call shows the state and never queues work (config.jobs)."""
    return (
        Alignment.objects.select_related("old_version", "new_version__document")
        .filter(old_version=old_version, new_version=new_version)
        .first()
    )


def is_draft_admin(*, user: AbstractBaseUser | AnonymousUser) -> bool:
    """The one rule of who administers drafts: Django staff. They see versions being prepared, publish
    them, and request or retry comparisons; everyone else reads what is published."""
    return bool(user.is_authenticated and user.is_staff)


def comparison_changes(
    *, alignment, kind: str | None = None, level: str | None = "article", section: str | None = None, changed_first: bool = False,
) -> QuerySet:
    """The changes of an alignment in reading order, optionally of one level (None: all), kind or section (path prefix).

    changed_first: the unchanged provisions after all the others (each group in reading order).
    """
    changes = alignment.changes.prefetch_related("old_provisions", "new_provisions")
    if level:
        changes = changes.filter(level=level)
    if kind:
        changes = changes.filter(kind=kind)
    if section:
        changes = changes.filter(
            Q(new_provisions__path__startswith=section + "/") | Q(old_provisions__path__startswith=section + "/")
        ).distinct()
    if changed_first:
        changes = changes.annotate(unchanged_last=Case(When(kind="unchanged", then=Value(1)), default=Value(0)))
        return changes.order_by("unchanged_last", "order")
    return changes.order_by("order")


def version_changed_articles(*, old_version, new_version) -> dict[str, tuple[int, str]]:
    """The articles of `new_version` that changed since `old_version`: path -> (change id, kind). One query over the
    alignment (none when the comparison is not computed)."""
    through = ProvisionChange.new_provisions.through
    rows = (
        through.objects.filter(
            provisionchange__alignment__old_version=old_version, provisionchange__alignment__new_version=new_version,
            provisionchange__alignment__status=Alignment.Status.DONE, provisionchange__level=ProvisionChange.Level.ARTICLE,
        )
        .exclude(provisionchange__kind=ProvisionChange.Kind.UNCHANGED)
        .values_list("provision__path", "provisionchange_id", "provisionchange__kind")
    )
    return {path: (change_id, kind) for path, change_id, kind in rows}


def comparison_rows(*, alignment, changes) -> list[ComparisonRow]:
    """Texts and word diffs for a page of changes: four queries whatever the page size."""
    changes = list(changes)
    language = alignment.new_version.document.authoritative_language
    old_text = _full_texts(alignment.old_version, language, [p for c in changes for p in c.old_provisions.all()])
    new_text = _full_texts(alignment.new_version, language, [p for c in changes for p in c.new_provisions.all()])
    rows = []
    for change in changes:
        olds = sorted(change.old_provisions.all(), key=lambda p: p.order)
        news = sorted(change.new_provisions.all(), key=lambda p: p.order)
        before = "\n\n".join(old_text[p.pk] for p in olds)
        after = "\n\n".join(new_text[p.pk] for p in news)
        rows.append(ComparisonRow(change, olds, news, before, after, word_diff(before, after)))
    return rows


def _full_texts(version: DraftVersion, language: str, provisions: list[Provision]) -> dict[int, str]:
    """Each provision's words with those of everything below it, in reading order."""
    if not provisions:
        return {}
    condition = Q()
    for provision in provisions:
        condition |= Q(pk=provision.pk) | Q(path__startswith=provision.path + "/")
    rows = (
        ProvisionText.objects.filter(provision__version=version, language=language)
        .filter(provision__in=Provision.objects.filter(version=version).filter(condition))
        .values_list("provision__path", "provision__number", "provision__kind", "heading", "text")
        .order_by("provision__order")
    )
    lines = [(path, _line(number, kind, heading, text)) for path, number, kind, heading, text in rows]
    return {
        provision.pk: "\n".join(line for path, line in lines if line and (path == provision.path or path.startswith(provision.path + "/")))
        for provision in provisions
    }


def _line(number: str, kind: str, heading: str, text: str) -> str:
    marker = {"paragraph": f"{number}. ", "subparagraph": f"{number}) "}.get(kind, "")
    words = " ".join(part for part in (heading, text) if part)
    return f"{marker}{words}".strip()


def version_sections(*, version: DraftVersion) -> list[Provision]:
    """The top-level containers of a version, for filters."""
    return list(version.provisions.filter(parent__isnull=True, kind__in=["part", "section", "chapter"]).order_by("order"))


@dataclass
class AlignmentReview:
    """The proposed matches of an alignment as an admin reviews them, old and new text side by side.

    `uncertain`: not yet confirmed by an admin, least similar first (the likeliest to be wrong);
    `identical`: unchanged with the same words, not confirmed either (folded: rarely wrong);
    `confirmed`: confirmed or corrected by an admin (ProvisionChange.corrected_at), in reading order.
    """

    uncertain: list[ComparisonRow]
    identical: list[ComparisonRow]
    confirmed: list[ComparisonRow]


def alignment_review(*, alignment: Alignment) -> AlignmentReview:
    """The article- and container-level matches (paragraph matches follow their articles), with their texts:
    the queries of comparison_rows plus one, whatever the number of matches."""
    changes = (
        alignment.changes.exclude(level=ProvisionChange.Level.PARAGRAPH)
        .select_related("corrected_by").prefetch_related("old_provisions", "new_provisions")
    )
    rows = comparison_rows(alignment=alignment, changes=changes.order_by("order"))
    review = AlignmentReview(uncertain=[], identical=[], confirmed=[])
    for row in rows:
        if row.change.corrected_at is not None:
            review.confirmed.append(row)
        elif row.change.kind == ProvisionChange.Kind.UNCHANGED and row.old_text == row.new_text:
            review.identical.append(row)
        else:
            review.uncertain.append(row)
    review.uncertain.sort(key=lambda row: (row.change.similarity, row.change.order))
    return review


@dataclass
class SectionChanges:
    """Article-level changes counted for one top-level section (of the new version; of the old one for removals)."""

    path: str
    heading: str
    side: str  # "new" or "old"
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def changed_share(self) -> float:
        return 1 - self.counts.get("unchanged", 0) / self.total if self.total else 0.0


def comparison_by_section(*, alignment) -> list[SectionChanges]:
    """How each section fared: article-level changes by kind, per top-level section. Three queries."""
    language = alignment.new_version.document.authoritative_language
    tops = {}
    for version, side in ((alignment.new_version, "new"), (alignment.old_version, "old")):
        roots = version.provisions.filter(parent__isnull=True).exclude(kind="preamble")
        headings = dict(ProvisionText.objects.filter(provision__in=roots, language=language).values_list("provision__path", "heading"))
        for path in roots.values_list("path", flat=True):
            tops[(side, path)] = SectionChanges(path=path, heading=headings.get(path, ""), side=side, counts={})
    for change in alignment.changes.filter(level="article").prefetch_related("old_provisions", "new_provisions"):
        provisions, side = (list(change.new_provisions.all()), "new") if change.kind != "removed" else (list(change.old_provisions.all()), "old")
        if not provisions:
            continue
        section = tops.get((side, provisions[0].path.split("/")[0]))
        if section is not None:
            section.counts[change.kind] = section.counts.get(change.kind, 0) + 1
    return [s for s in tops.values() if s.total]


# --- what became of a provision in later versions (by its lineage) --------------------------------


@dataclass(frozen=True)
class LineageFate:
    """What one alignment did to the provision of its old version that carries `lineage_id`.

    `kind` is the ProvisionChange's kind (unchanged, modified, renumbered, moved, split, merged, removed);
    `new` the provisions of the new version that the change leads to, in reading order (none when removed).
    """

    lineage_id: int
    alignment: Alignment
    change_id: int
    kind: str
    old: Provision
    new: tuple[Provision, ...]

    @property
    def changed(self) -> bool:
        return self.kind != ProvisionChange.Kind.UNCHANGED

    @property
    def continued_by(self) -> Provision | None:
        """The provision of the new version that is this one (same lineage), else the first it went into."""
        same = [provision for provision in self.new if provision.lineage_id == self.lineage_id]
        return (same or list(self.new) or [None])[0]


def alignments_of_publication(*, document_ids: Iterable[int]) -> dict[int, Alignment]:
    """For each public version of these documents, the alignment its publication followed (with the nearest
    older version, done), by the new version's id; with both versions and the document. One query."""
    alignments = (
        Alignment.objects.filter(
            new_version__document_id__in=list(document_ids), status=Alignment.Status.DONE,
            new_version__status__in=PUBLIC_STATUSES, old_version__status__in=PUBLIC_STATUSES,
        )
        .select_related("old_version", "new_version__document")
        .order_by("new_version_id", "-old_version__number")
    )
    steps: dict[int, Alignment] = {}
    for alignment in alignments:
        steps.setdefault(alignment.new_version_id, alignment)
    return steps


def lineage_fates(*, alignments: Iterable[Alignment], lineage_ids: Iterable[int]) -> dict[tuple[int, int], LineageFate]:
    """What each alignment did to the provisions of these lineages, by (alignment id, lineage id): a lineage
    absent from an alignment's old version (added later, or gone before) has no entry. Two queries however many."""
    alignments = {alignment.pk: alignment for alignment in alignments}
    lineage_ids = list(set(lineage_ids))
    if not alignments or not lineage_ids:
        return {}
    old_links = list(
        ProvisionChange.old_provisions.through.objects.filter(
            provisionchange__alignment_id__in=list(alignments), provision__lineage_id__in=lineage_ids
        ).select_related("provision", "provisionchange")
    )
    new_links = (
        ProvisionChange.new_provisions.through.objects.filter(provisionchange_id__in={link.provisionchange_id for link in old_links})
        .select_related("provision")
        .order_by("provision__order")
    )
    news: dict[int, list[Provision]] = {}
    for link in new_links:
        news.setdefault(link.provisionchange_id, []).append(link.provision)
    fates = {}
    for link in old_links:
        change = link.provisionchange
        fates[(change.alignment_id, link.provision.lineage_id)] = LineageFate(
            lineage_id=link.provision.lineage_id, alignment=alignments[change.alignment_id], change_id=change.pk,
            kind=change.kind, old=link.provision, new=tuple(news.get(change.pk, ())),
        )
    return fates
