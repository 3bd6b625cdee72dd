"""Helpers the web tests share: a fast extractor and a job poller."""
from __future__ import annotations

from diplograph.model import Extraction


def fast_extract(document) -> Extraction:
    """An extraction without the model: the document and nothing found in it (for write-path tests)."""
    return Extraction(document=document)


def wait_for_job(client, job: dict, timeout: float = 60.0) -> dict:
    """Poll a job until it is done or failed."""
    import time

    deadline = time.monotonic() + timeout
    while job["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, f"job still {job['status']} after {timeout} s: {job}"
        time.sleep(0.05)
        response = client.get(f"/api/jobs/{job['id']}")
        assert response.status_code == 200
        job = response.json()
    return job
