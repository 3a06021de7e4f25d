"""Locating a quote in a provision's text (pure)."""
from comments.quotes import quote_locate

TEXT = "The law protects the family. The law protects the child. The law protects the elderly."


def test_exact_offsets_are_kept():
    span = quote_locate(TEXT, "protects the child", start=37)
    assert (span.start, span.end) == (37, 55) and TEXT[span.start : span.end] == "protects the child"


def test_context_picks_the_right_occurrence():
    span = quote_locate(TEXT, "The law protects", prefix="the child. ")
    assert span.start == TEXT.index("the child. ") + len("the child. ")


def test_missing_words_are_none():
    assert quote_locate(TEXT, "spiritual and moral values") is None
    assert quote_locate(TEXT, "") is None


def test_prefix_and_suffix_are_at_most_32_characters():
    span = quote_locate(TEXT, "child")
    assert span.prefix == TEXT[span.start - 32 : span.start] and len(span.suffix) <= 32
