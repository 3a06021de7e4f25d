"""How the figures of a comparison read: a share is never a rounded "0%" when something changed."""
from django import template

register = template.Library()


@register.filter
def share_percent(share) -> str:
    """A share (0..1) as a percentage for people: "0%" only when nothing changed, "<1%" when a little did,
    ">99%" when nearly all did, otherwise the whole percent."""
    try:
        share = float(share)
    except (TypeError, ValueError):
        return "—"
    if share <= 0:
        return "0%"
    if share >= 1:
        return "100%"
    if share < 0.01:
        return "<1%"
    if share > 0.99:
        return ">99%"
    return f"{round(share * 100)}%"


@register.filter
def share_count(share, total) -> int:
    """How many of `total` a rounded share stands for (the figures keep the share, not the count)."""
    try:
        share, total = float(share), int(total)
    except (TypeError, ValueError):
        return 0
    count = round(share * total)
    if share > 0 and count == 0:
        return 1
    return count


@register.filter
def level_changed(level) -> int:
    """How many provisions of a level changed: all matches but the unchanged ones."""
    counts = getattr(level, "counts", None) or (level.get("counts") if isinstance(level, dict) else None) or {}
    return sum(n for kind, n in counts.items() if kind != "unchanged")


@register.filter
def level_total(level) -> int:
    """The larger of a level's old and new counts (what its changed share is a share of)."""
    get = (lambda name: level.get(name, 0)) if isinstance(level, dict) else (lambda name: getattr(level, name, 0))
    return max(get("old_count") or 0, get("new_count") or 0)


@register.filter
def change_mark(marks, path):
    """The (change id, kind) of a provision that changed since the previous version, or None (marks: path -> mark)."""
    if not marks:
        return None
    return marks.get(path)
