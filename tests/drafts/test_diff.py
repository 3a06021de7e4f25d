"""drafts.diff: word-level diff, its counts and its escaped HTML rendering. No database."""
from __future__ import annotations

import pytest

from drafts.diff import DiffOp, count_words, diff_counts, diff_html, word_diff

TEXTS = [
    ("", ""),
    ("", "New text."),
    ("Old text.", ""),
    ("Same text.", "Same text."),
    ("Spaces  and\nnewlines kept ", "Spaces and newlines\nkept"),
    ("  leading and trailing  ", "leading, and trailing"),
    ("rights, freedoms", "rights and freedoms"),
    ("Земля и ее недра принадлежат народу.", "Земля, ее недра и воды принадлежат народу Казахстана."),
    ("Article 10-1 applies.", "Article 10-2 applies; article 11 does not."),
]


@pytest.mark.parametrize("old, new", TEXTS)
def test_joining_the_runs_gives_back_both_texts(old, new):
    ops = word_diff(old, new)
    assert "".join(op.old for op in ops) == old
    assert "".join(op.new for op in ops) == new
    assert all(op.op in ("equal", "insert", "delete", "replace") for op in ops)
    # Adjacent changes are joined: a change is always followed by an unchanged run or the end.
    assert all(not (a.op != "equal" and b.op != "equal") for a, b in zip(ops, ops[1:]))


def test_identical_texts_are_one_equal_run():
    assert word_diff("The law is published.", "The law is published.") == (
        DiffOp("equal", "The law is published.", "The law is published."),
    )
    assert diff_counts(word_diff("The law is published.", "The law is published.")) == (4, 4, 0, 0)


def test_empty_texts():
    assert word_diff("", "") == ()
    assert word_diff("", "Added words here.") == (DiffOp("insert", "", "Added words here."),)
    assert word_diff("Removed words.", "") == (DiffOp("delete", "Removed words.", ""),)
    assert diff_counts(word_diff("", "Added words here.")) == (0, 3, 0, 3)
    assert diff_counts(word_diff("Removed words.", "")) == (2, 0, 2, 0)


def test_a_replaced_word():
    ops = word_diff("The term is five years.", "The term is six years.")
    assert ops == (
        DiffOp("equal", "The term is", "The term is"),
        DiffOp("replace", " five", " six"),
        DiffOp("equal", " years.", " years."),
    )
    assert diff_counts(ops) == (5, 5, 1, 1)


def test_insertion_at_the_start_and_at_the_end():
    assert word_diff("law applies.", "The law applies.") == (
        DiffOp("insert", "", "The"),
        DiffOp("equal", "law applies.", " law applies."),
    )
    assert word_diff("The law applies", "The law applies to everyone.") == (
        DiffOp("equal", "The law applies", "The law applies"),
        DiffOp("insert", "", " to everyone."),
    )


def test_punctuation_is_kept_as_its_own_token_and_not_counted_as_a_word():
    ops = word_diff("rights, freedoms", "rights and freedoms")
    assert ops == (
        DiffOp("equal", "rights", "rights"),
        DiffOp("replace", ",", " and"),
        DiffOp("equal", " freedoms", " freedoms"),
    )
    assert diff_counts(ops) == (2, 3, 0, 1)
    ops = word_diff("The law applies.", "The law applies!")
    assert ops[-1] == DiffOp("replace", ".", "!")
    assert diff_counts(ops) == (3, 3, 0, 0)


def test_cyrillic_words():
    ops = word_diff("Земля принадлежит народу.", "Земля и недра принадлежат народу.")
    assert ops == (
        DiffOp("equal", "Земля", "Земля"),
        DiffOp("replace", " принадлежит", " и недра принадлежат"),
        DiffOp("equal", " народу.", " народу."),
    )
    assert diff_counts(ops) == (3, 5, 1, 3)


def test_a_word_left_between_two_long_changes_is_shown_inside_the_change():
    ops = word_diff(
        "one two three of four five six", "alpha beta gamma of delta epsilon zeta"
    )
    assert [op.op for op in ops] == ["replace"]
    assert diff_counts(ops) == (7, 7, 7, 7)


def test_words_keep_inner_hyphens_and_apostrophes():
    assert count_words("Article 10-1 of the people's law, административно-территориальное.") == 7
    ops = word_diff("Article 10-1", "Article 10-2")
    assert ops[-1] == DiffOp("replace", " 10-1", " 10-2")


def test_diff_html_escapes_every_piece():
    ops = word_diff('Keep <b>this</b> & "that"', 'Keep <script>alert("x")</script> & "that"')
    html = diff_html(ops)
    assert "<script>" not in html and "<b>" not in html
    assert "script&gt;alert(&quot;x&quot;)&lt;/script" in html and "&amp;" in html and "&quot;that&quot;" in html
    assert diff_html(word_diff("", "<script>alert(1)</script>")) == "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>"
    assert html.startswith("Keep")


def test_diff_html_renders_replace_as_del_then_ins():
    html = diff_html(word_diff("The term is five years.", "The term is six years."))
    assert html == "The term is<del> five</del><ins> six</ins> years."
    assert diff_html(word_diff("", "<new>")) == "<ins>&lt;new&gt;</ins>"
    assert diff_html(word_diff("<old>", "")) == "<del>&lt;old&gt;</del>"


def test_diff_html_refuses_an_unknown_op():
    with pytest.raises(ValueError):
        diff_html([DiffOp("shuffle", "a", "b")])


def test_a_long_text_diffs_quickly():
    old = " ".join(f"word{k % 300}" for k in range(20_000))
    new = old.replace("word7 ", "changed ")
    ops = word_diff(old, new)
    assert "".join(op.new for op in ops) == new
    assert diff_counts(ops)[2] == old.count("word7 ")
