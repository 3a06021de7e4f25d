"""The tree as a flat list with unique paths, and matching a translation to it."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from .model import FlatProvision, ParsedDocument, ParsedProvision

_PATH_SEPARATOR = "/"
_DUPLICATE_MARK = "~"


def flatten(document: ParsedDocument) -> tuple[FlatProvision, ...]:
    """The provisions in reading order (pre-order), each with its parent, depth and unique path.

    A path joins the numbers of the ancestors and the provision ("II/10/3"); an unnumbered
    provision stands in it by its kind ("preamble"). A path printed twice (two articles "5"
    in one section, two preambles) gets "~2", "~3" on its last segment.
    """
    flat: list[FlatProvision] = []
    used: set[str] = set()
    for provision, parent, depth in _walk(document.provisions, None, 0, flat):
        parent_path = flat[parent].path + _PATH_SEPARATOR if parent is not None else ""
        path = _unique(parent_path + (provision.number or provision.kind), used)
        flat.append(
            FlatProvision(
                index=len(flat),
                parent=parent,
                depth=depth,
                kind=provision.kind,
                number=provision.number,
                heading=provision.heading,
                text=provision.text,
                line=provision.line,
                path=path,
                notes=provision.notes,
                number_printed=provision.number_printed,
            )
        )
    return tuple(flat)


def match_translations(primary: Sequence[FlatProvision], translation: Sequence[FlatProvision]) -> dict[int, int]:
    """Pair each provision of `primary` with the same provision of `translation`: index -> index.

    Provisions inside an article are matched by the article's label and their own labels
    below it ("Article 2, paragraph 3-1"), so that a translation whose sections are titled
    or numbered differently still matches article for article. Provisions outside articles
    (sections, the preamble) are matched by path. A label printed twice on both sides is
    paired in order; a provision one side lacks stays unmatched.
    """
    candidates: dict[tuple[str, ...], list[int]] = defaultdict(list)
    translation_by_index = {provision.index: provision for provision in translation}
    for provision in translation:
        candidates[_label_key(provision, translation_by_index)].append(provision.index)
    primary_by_index = {provision.index: provision for provision in primary}
    taken: dict[tuple[str, ...], int] = defaultdict(int)
    matches = {}
    for provision in primary:
        key = _label_key(provision, primary_by_index)
        position = taken[key]
        if position < len(candidates.get(key, ())):
            matches[provision.index] = candidates[key][position]
            taken[key] += 1
    return matches


def _walk(
    provisions: Sequence[ParsedProvision], parent: int | None, depth: int, flat: list[FlatProvision]
) -> Iterator[tuple[ParsedProvision, int | None, int]]:
    # Indexes are assigned as the caller appends, so a child reads its parent's index from `flat`.
    for provision in provisions:
        index = len(flat)
        yield provision, parent, depth
        yield from _walk(provision.children, index, depth + 1, flat)


def _unique(path: str, used: set[str]) -> str:
    candidate, copy = path, 1
    while candidate in used:
        copy += 1
        candidate = f"{path}{_DUPLICATE_MARK}{copy}"
    used.add(candidate)
    return candidate


def _label_key(provision: FlatProvision, by_index: dict[int, FlatProvision]) -> tuple[str, ...]:
    """("article", "2", "3-1") for paragraph 3-1 of article 2; ("path", "I") for section I."""
    labels = []
    node: FlatProvision | None = provision
    while node is not None:
        labels.append(node.number or node.kind)
        if node.kind == "article":
            return ("article", *reversed(labels))
        node = by_index.get(node.parent) if node.parent is not None else None
    return ("path", provision.path)
