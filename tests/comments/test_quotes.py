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


def test_reanchor_exact_approximate_and_gone():
    from comments.quotes import quote_reanchor

    old = "Rights may be restricted to protect spiritual and moral values and public order."
    assert quote_reanchor(old, "spiritual and moral values").status == "exact"
    revised = "Rights may be restricted to protect spiritual and moral value, and public order."
    approximate = quote_reanchor(revised, "spiritual and moral values")
    assert approximate.status == "approximate" and approximate.span.exact.startswith("spiritual and moral value")
    gone = quote_reanchor("Rights may be restricted only to protect public health and public morals.", "spiritual and moral values")
    assert gone.status == "gone" and gone.span is None
