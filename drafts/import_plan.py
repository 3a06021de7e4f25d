"""What an import will write, worked out before anything is written (pure, no Django).

The authoritative language's text gives the tree; each translation is matched to it
provision by provision (by article and paragraph label). The plan is what the admin
previews and what `services.draft_version_import` saves, so the preview cannot differ
from the result.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from drafts.parser import FlatProvision, ParsedDocument, ParseWarning, flatten, match_translations


@dataclass(frozen=True)
class DraftSource:
    """One uploaded text of the version in one language."""

    language: str
    parsed: ParsedDocument
    filename: str = ""


@dataclass(frozen=True)
class PlannedText:
    heading: str
    text: str
    notes: str = ""  # editorial notes, one per line: kept, never compared as law


@dataclass(frozen=True)
class PlannedProvision:
    index: int
    parent: int | None
    depth: int
    kind: str
    number: str
    path: str
    texts: dict[str, PlannedText]
    content_hash: str
    number_printed: bool = True
    line: int = 0  # in the authoritative upload, where the preview points its warnings


@dataclass(frozen=True)
class TranslationCoverage:
    language: str
    filename: str
    matched: int
    total: int
    unmatched_paths: tuple[str, ...] = field(default=())

    @property
    def share(self) -> float:
        return self.matched / self.total if self.total else 0.0


@dataclass(frozen=True)
class SourceWarning:
    """What the parser doubted in one uploaded text (drafts.parser.checks), said in the preview."""

    language: str
    filename: str
    warning: ParseWarning


@dataclass(frozen=True)
class ImportPlan:
    authoritative_language: str
    title: str
    provisions: tuple[PlannedProvision, ...]
    coverage: tuple[TranslationCoverage, ...]
    warnings: tuple[SourceWarning, ...] = ()

    @property
    def languages(self) -> list[str]:
        return [self.authoritative_language] + [c.language for c in self.coverage]

    def warnings_by_provision(self) -> dict[int, list[ParseWarning]]:
        """The authoritative text's warnings by the index of the provision their line falls in (the preview
        shows each beside its provision); warnings before the first provision go to the first."""
        lines = sorted((provision.line, provision.index) for provision in self.provisions)
        placed: dict[int, list[ParseWarning]] = {}
        for found in self.warnings:
            if found.language != self.authoritative_language or not lines:
                continue
            line = found.warning.line or 0
            index = next((index for start, index in reversed(lines) if start <= line), lines[0][1])
            placed.setdefault(index, []).append(found.warning)
        return placed

    def count_by_kind(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for provision in self.provisions:
            counts[provision.kind] = counts.get(provision.kind, 0) + 1
        return counts


def provision_content_hash(
    *, kind: str, number: str, path: str, texts: dict[str, PlannedText], children: Sequence[str] = (),
) -> str:
    """SHA-256 of a provision's canonical content: what it is, where it is, every language's words, and the hashes
    of its children in reading order (so an article whose paragraphs changed gets a new hash)."""
    canonical = {
        "kind": kind,
        "number": number,
        "path": path,
        "texts": {language: [t.heading, t.text, *([t.notes] if t.notes else [])] for language, t in sorted(texts.items())},
    }
    if children:
        canonical["children"] = list(children)
    encoded = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def version_content_hash(provision_hashes: Sequence[str]) -> str:
    """SHA-256 over the provisions' hashes in reading order: any change anywhere changes it."""
    digest = hashlib.sha256()
    for provision_hash in provision_hashes:
        digest.update(provision_hash.encode("ascii"))
        digest.update(b"\n")
    return digest.hexdigest()


def import_plan_build(*, authoritative_language: str, sources: Sequence[DraftSource]) -> ImportPlan:
    """Build the plan. The caller has checked that exactly one source is in the authoritative language."""
    primary_source = next(s for s in sources if s.language == authoritative_language)
    primary = flatten(primary_source.parsed)
    texts: list[dict[str, PlannedText]] = [
        {authoritative_language: PlannedText(p.heading, p.text, "\n".join(p.notes))} for p in primary
    ]
    coverage = []
    for source in sources:
        if source is primary_source:
            continue
        coverage.append(_add_translation(primary, texts, source))

    hashes: dict[int, str] = {}
    children: dict[int, list[int]] = {}
    for p in primary:
        if p.parent is not None:
            children.setdefault(p.parent, []).append(p.index)
    for p in reversed(primary):  # children come after their parent in reading order: hash them first
        hashes[p.index] = provision_content_hash(
            kind=p.kind, number=p.number, path=p.path, texts=texts[p.index],
            children=[hashes[child] for child in children.get(p.index, ())],
        )
    provisions = tuple(
        PlannedProvision(
            index=p.index,
            parent=p.parent,
            depth=p.depth,
            kind=p.kind,
            number=p.number,
            path=p.path,
            texts=texts[p.index],
            content_hash=hashes[p.index],
            number_printed=p.number_printed,
            line=p.line,
        )
        for p in primary
    )
    return ImportPlan(
        authoritative_language=authoritative_language,
        title=primary_source.parsed.title,
        provisions=provisions,
        coverage=tuple(coverage),
        warnings=tuple(
            SourceWarning(source.language, source.filename, warning) for source in sources for warning in source.parsed.warnings
        ),
    )


def _add_translation(
    primary: Sequence[FlatProvision], texts: list[dict[str, PlannedText]], source: DraftSource
) -> TranslationCoverage:
    translation = flatten(source.parsed)
    matches = match_translations(primary, translation)
    for primary_index, translation_index in matches.items():
        matched = translation[translation_index]
        texts[primary_index][source.language] = PlannedText(matched.heading, matched.text, "\n".join(matched.notes))
    matched_indexes = set(matches.values())
    unmatched = tuple(p.path for p in translation if p.index not in matched_indexes)
    return TranslationCoverage(
        language=source.language,
        filename=source.filename,
        matched=len(matches),
        total=len(primary),
        unmatched_paths=unmatched,
    )
