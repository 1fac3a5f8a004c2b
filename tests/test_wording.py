"""Counted nouns read right for one and for many."""

from reviewer_app.wording import counted


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert counted(1, "page") == "1 page"
    assert [counted(n, "record") for n in (0, 2, 10)] == ["0 records", "2 records", "10 records"]
    assert counted(3, "synthesis record") == "3 synthesis records"
