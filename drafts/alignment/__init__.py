"""Between drafts: which provision of one version became which provision of the next.

A pure module: plain data in (`AlignUnit`, one per provision), frozen dataclasses out
(`Match`, one per provision or group of provisions), no Django. `align` proposes the
mapping with a change kind and a similarity for each match; `comparison_figures` sums it
up per level and in words, with the definitions of its figures. The word-level diff of an
aligned pair is in `drafts.diff`.
"""
from .align import align
from .lineage import matches_by_lineage
from .model import CHANGE_KINDS, LEVELS, AlignUnit, Match
from .statistics import ComparisonFigures, LevelFigures, comparison_figures

__all__ = [
    "CHANGE_KINDS",
    "LEVELS",
    "AlignUnit",
    "ComparisonFigures",
    "LevelFigures",
    "Match",
    "align",
    "comparison_figures",
    "matches_by_lineage",
]
