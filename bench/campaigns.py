"""Campaign detection on 100,000 generated comments, against exact-duplicate grouping by hash.

Pure Python, no database. The comments: a share of form letters (templates of 60 to 120 words,
each sent many times with a name, sometimes a sentence of the sender's own, and typos; some
copies exact) and individual comments of the same vocabulary. The batch path
(comments.campaigns.detection.campaigns_detect) is timed against grouping by a hash of the
text (what finds only exact duplicates), both in the same run; peak memory comes from a second
run of each under tracemalloc. The incremental path: CampaignIndex is filled with the same
comments, then `--probes` new comments (copies and individual ones) are added one by one and
each add timed, against a dict insert of the text's hash. The issue's targets: the batch in
under 60 s, an add p99 under 20 ms.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import time
import tracemalloc

from comments.campaigns.detection import CampaignIndex, campaigns_detect

DESCRIPTION = "campaign detection of 100,000 generated comments (batch and incremental) vs grouping by hash"
TARGET_BATCH_SECONDS = 60.0
TARGET_ADD_P99_MS = 20.0
NAMES = ["John Smith", "Maria Garcia", "Aigerim Sultanova", "Иван Петров", "Ольга Смирнова", "Li Wei"]


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    syllables = ["ka", "ra", "to", "mi", "sen", "lo", "vi", "da", "ne", "zu", "pol", "ter", "an", "os"]
    return list({"".join(rng.choice(syllables) for _s in range(rng.randint(1, 4))) for _w in range(size)})


def generate(count: int, seed: int, form_share: float = 0.3) -> dict[int, str]:
    """`count` comments by id: a `form_share` of form letters from count // 2,000 + 5 templates."""
    rng = random.Random(seed)
    words = _vocabulary(rng, 5000)
    templates = [" ".join(rng.choice(words) for _w in range(rng.randint(60, 120))) for _t in range(count // 2000 + 5)]
    texts = {}
    for comment_id in range(1, count + 1):
        if rng.random() < form_share:
            texts[comment_id] = _copy(rng, rng.choice(templates), words)
        else:
            texts[comment_id] = " ".join(rng.choice(words) for _w in range(rng.randint(20, 150)))
    return texts


def _copy(rng: random.Random, template: str, words: list[str]) -> str:
    if rng.random() < 0.2:
        return template
    letter = template.split()
    for _typo in range(rng.randrange(3)):
        position = rng.randrange(len(letter))
        letter[position] = letter[position][:-1] or letter[position]
    text = " ".join(letter)
    if rng.random() < 0.6:
        text += " " + " ".join(rng.choice(words) for _w in range(rng.randint(5, 25)))
    return f"{text}\nSincerely, {rng.choice(NAMES)}"


def group_by_hash(texts: dict[int, str]) -> list[list[int]]:
    groups: dict[bytes, list[int]] = {}
    for comment_id, text in texts.items():
        groups.setdefault(hashlib.blake2b(text.encode(), digest_size=16).digest(), []).append(comment_id)
    return [ids for ids in groups.values() if len(ids) >= 2]


def _timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def _peak(function, *args) -> float:
    tracemalloc.start()
    try:
        function(*args)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench campaigns", description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000, help="comments generated (default 100,000)")
    parser.add_argument("--probes", type=int, default=1000, help="new comments added one by one to the full index")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    options = parser.parse_args(argv)

    texts = generate(options.comments, options.seed)
    print(f"{len(texts):,} comments generated", flush=True)
    exact, hash_seconds = _timed(group_by_hash, texts)
    campaigns, batch_seconds = _timed(campaigns_detect, texts)
    print(f"exact duplicates by hash: {len(exact):,} groups holding {sum(map(len, exact)):,} comments in {hash_seconds:.2f} s")
    print(
        f"campaigns (batch):        {len(campaigns):,} campaigns holding {sum(c.size for c in campaigns):,} comments "
        f"in {batch_seconds:.2f} s = {batch_seconds / hash_seconds:.0f}x the hash grouping "
        f"(target < {TARGET_BATCH_SECONDS:.0f} s: {'met' if batch_seconds < TARGET_BATCH_SECONDS else 'MISSED'})",
        flush=True,
    )
    if not options.no_memory:
        hash_peak, batch_peak = _peak(group_by_hash, texts), _peak(campaigns_detect, texts)
        print(f"peak memory: hash {hash_peak:.1f} MiB, batch {batch_peak:.1f} MiB = {batch_peak / hash_peak:.1f}x", flush=True)

    index = CampaignIndex()
    start = time.perf_counter()
    for comment_id, text in texts.items():
        index.add(comment_id, text)
    fill_seconds, filled = time.perf_counter() - start, len(index)
    probes = generate(options.probes, options.seed + 1, form_share=0.5)
    # Half the probes are an indexed comment with words of a new one added (a copy of a form
    # letter joins its campaign), half new comments of another vocabulary (found alone).
    rng = random.Random(options.seed + 2)
    indexed = list(texts.values())
    probe_texts = [rng.choice(indexed) + " " + text[:80] if n % 2 else text for n, text in enumerate(probes.values())]
    add_times, hash_times, joined = [], [], 0
    hashes: dict[bytes, int] = {}
    for number, text in enumerate(probe_texts, start=options.comments + 1):
        start = time.perf_counter()
        joined += index.add(number, text) is not None
        add_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        hashes.setdefault(hashlib.blake2b(text.encode(), digest_size=16).digest(), number)
        hash_times.append(time.perf_counter() - start)
    p50, p99 = _percentile(add_times, 0.5) * 1000, _percentile(add_times, 0.99) * 1000
    hash_p99 = _percentile(hash_times, 0.99) * 1000
    print(f"index of {filled:,} comments filled one add at a time in {fill_seconds:.1f} s")
    print(
        f"add of one new comment ({len(probe_texts)} probes, {joined} joined a campaign): p50 {p50:.2f} ms, "
        f"p99 {p99:.2f} ms, max {max(add_times) * 1000:.1f} ms, mean {statistics.fmean(add_times) * 1000:.2f} ms; "
        f"p99 = {p99 / hash_p99:.0f}x a hash insert ({hash_p99 * 1000:.1f} us) "
        f"(target p99 < {TARGET_ADD_P99_MS:.0f} ms: {'met' if p99 < TARGET_ADD_P99_MS else 'MISSED'})"
    )
    return 0
