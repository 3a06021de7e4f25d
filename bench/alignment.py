"""Alignment and word diff of generated documents of 200 and 2,000 articles, against a plain difflib pass.

Pure Python, no database: the aligner (drafts.alignment.align) and the word diff (drafts.diff)
run on two generated versions of a document whose second version renumbers, moves, splits,
merges, adds, removes and rewords articles. The baseline is one difflib.SequenceMatcher pass
over the same texts, article against article in order (what a naive tool would do). Time is
wall-clock on one core (a plain run); peak memory comes from a second run under tracemalloc. The issue's target: 2,000
articles align in under 30 seconds.
"""
from __future__ import annotations

import argparse
import difflib
import random
import time
import tracemalloc

from drafts.alignment import AlignUnit, align, comparison_figures
from drafts.diff import word_diff

DESCRIPTION = "align and diff generated documents of 200 and 2,000 articles vs a difflib pass"
TARGET_SECONDS_2000 = 30.0
WORDS = (
    "the republic state law citizen right freedom court parliament president government region election "
    "referendum constitution guarantee protect property labour health education family language culture "
    "territory sovereignty council commission procedure term office decision power people public order "
    "security budget tax judge prosecutor ombudsman local body authority treaty obligation duty person"
).split()


def generate(articles: int, seed: int) -> tuple[list[AlignUnit], list[AlignUnit]]:
    """Two versions: the second renumbers, moves, splits, merges, adds, removes and rewords articles."""
    rng = random.Random(seed)
    texts = [[_sentence(rng) for _p in range(rng.randint(1, 6))] for _a in range(articles)]
    new_texts: list[list[str]] = []
    for index, paragraphs in enumerate(texts):
        roll = rng.random()
        if roll < 0.04:
            continue  # removed
        if roll < 0.06 and len(paragraphs) > 1:
            half = len(paragraphs) // 2
            new_texts += [paragraphs[:half], paragraphs[half:]]  # split
            continue
        if roll < 0.08 and new_texts:
            new_texts[-1] = new_texts[-1] + paragraphs  # merged with the previous
            continue
        if roll < 0.45:
            paragraphs = [_reword(rng, p) for p in paragraphs]  # modified
        new_texts.append(list(paragraphs))
        if rng.random() < 0.04:
            new_texts.append([_sentence(rng)])  # added
    rng.shuffle(new_texts[: len(new_texts) // 10])  # a block moved around
    return _units(texts, sections=max(1, articles // 20)), _units(new_texts, sections=max(1, articles // 20))


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _w in range(rng.randint(12, 40))).capitalize() + "."


def _reword(rng: random.Random, text: str) -> str:
    words = text.split()
    for _change in range(max(1, len(words) // 8)):
        words[rng.randrange(len(words))] = rng.choice(WORDS)
    return " ".join(words)


def _units(articles: list[list[str]], *, sections: int) -> list[AlignUnit]:
    units, key = [], 0
    per_section = max(1, len(articles) // sections)
    section_key = None
    for number, paragraphs in enumerate(articles, start=1):
        if (number - 1) % per_section == 0:
            section_key = key
            section = (number - 1) // per_section + 1
            units.append(AlignUnit(key, None, "section", str(section), str(section), f"Section {section}", ""))
            key += 1
        article_key = key
        article_path = f"{units[section_key].path}/{number}"
        units.append(AlignUnit(key, section_key, "article", str(number), article_path, "", ""))
        key += 1
        for p, text in enumerate(paragraphs, start=1):
            units.append(AlignUnit(key, article_key, "paragraph", str(p), f"{article_path}/{p}", "", text))
            key += 1
    return units


def _article_texts(units: list[AlignUnit]) -> list[str]:
    texts: dict[int, list[str]] = {}
    for unit in units:
        if unit.kind == "article":
            texts[unit.key] = []
        elif unit.kind == "paragraph":
            texts[unit.parent].append(unit.text)
    return [" ".join(parts) for parts in texts.values()]


def measure(function) -> tuple[float, float, object]:
    """Wall time of one plain run, then peak memory of a second run under tracemalloc (which slows it)."""
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, result


def baseline(old: list[AlignUnit], new: list[AlignUnit]) -> int:
    """difflib over the same texts: article i against article i, word by word."""
    changed = 0
    for a, b in zip(_article_texts(old), _article_texts(new)):
        matcher = difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False)
        changed += sum(1 for tag, *_rest in matcher.get_opcodes() if tag != "equal")
    return changed


def ours(old: list[AlignUnit], new: list[AlignUnit]):
    matches = align(old, new)
    figures = comparison_figures(old, new, matches)
    by_key_old = {u.key: u for u in old}
    by_key_new = {u.key: u for u in new}
    diffs = 0
    for match in matches:
        if match.level == "paragraph" and match.old and match.new:
            a = " ".join(by_key_old[k].text for k in match.old)
            b = " ".join(by_key_new[k].text for k in match.new)
            diffs += len(word_diff(a, b))
    return matches, figures, diffs


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench alignment", description=DESCRIPTION)
    parser.add_argument("--sizes", default="200,2000", help="article counts (comma-separated)")
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args(argv)
    print(f"{'articles':>8} {'provisions':>10} | {'difflib s':>9} {'MiB':>6} | {'align+diff s':>12} {'MiB':>6} | {'time ratio':>10} {'mem ratio':>9} | kinds")
    met = True
    for size in (int(s) for s in options.sizes.split(",")):
        old, new = generate(size, options.seed)
        base_seconds, base_peak, _ = measure(lambda: baseline(old, new))
        our_seconds, our_peak, (matches, figures, _diffs) = measure(lambda: ours(old, new))
        kinds: dict[str, int] = {}
        for match in matches:
            if match.level == "article":
                kinds[match.kind] = kinds.get(match.kind, 0) + 1
        print(
            f"{size:>8} {len(old) + len(new):>10} | {base_seconds:>9.2f} {base_peak:>6.1f} | {our_seconds:>12.2f} {our_peak:>6.1f} | "
            f"{our_seconds / base_seconds:>10.1f} {our_peak / max(base_peak, 0.1):>9.1f} | "
            + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        )
        if size >= 2000:
            met = our_seconds < TARGET_SECONDS_2000
            print(f"target: 2,000 articles under {TARGET_SECONDS_2000:.0f} s on one core: {'met' if met else 'NOT met'} ({our_seconds:.1f} s)")
    print("Ratios are ours / difflib in the same run; difflib only compares article i with article i (no alignment).")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
