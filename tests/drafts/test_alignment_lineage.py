"""Comparing versions that are not neighbours by following lineages (pure)."""
from drafts.alignment import AlignUnit, matches_by_lineage


def U(key, parent, kind, number, path, text=""):
    return AlignUnit(key, parent, kind, number, path, "", text)


OLD = [
    U(1, None, "section", "I", "I"), U(2, 1, "article", "1", "I/1", "The state is democratic."),
    U(3, 1, "article", "2", "I/2", "The capital is Testville."), U(4, None, "section", "II", "II"),
    U(5, 4, "article", "3", "II/3", "Everyone has the right to life."), U(6, 4, "article", "4", "II/4", "Old rule."),
]
NEW = [
    U(11, None, "section", "I", "I"), U(12, 11, "article", "1", "I/1", "The state is democratic and secular."),
    U(13, 11, "article", "2", "I/2", "Everyone has the right to life."), U(14, None, "section", "II", "II"),
    U(15, 14, "article", "3", "II/3", "The capital is Testville."), U(16, 14, "article", "4", "II/4", "A new rule."),
]
OLD_LINEAGE = {1: 100, 2: 101, 3: 102, 4: 103, 5: 104, 6: 105}
NEW_LINEAGE = {11: 100, 12: 101, 13: 104, 14: 103, 15: 102, 16: 200}


def test_kinds_follow_the_lineages():
    matches = matches_by_lineage(OLD, NEW, OLD_LINEAGE, NEW_LINEAGE)
    kinds = {(m.old, m.new): m.kind for m in matches}
    assert kinds[((2,), (12,))] == "modified"
    assert kinds[((5,), (13,))] == "moved"  # section II -> section I
    assert kinds[((3,), (15,))] == "moved"
    assert kinds[((), (16,))] == "added" and kinds[((6,), ())] == "removed"
    assert kinds[((1,), (11,))] == "unchanged"


def test_every_provision_is_in_exactly_one_match():
    matches = matches_by_lineage(OLD, NEW, OLD_LINEAGE, NEW_LINEAGE)
    assert sorted(k for m in matches for k in m.old) == [1, 2, 3, 4, 5, 6]
    assert sorted(k for m in matches for k in m.new) == [11, 12, 13, 14, 15, 16]
