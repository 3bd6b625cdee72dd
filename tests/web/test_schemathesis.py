"""Property-based requests from the OpenAPI schema (schemathesis): no request gets a 5xx.

The app runs in-process (ASGI) over a copy of the small knowledge base, with the
write token sent, so uploads, pastes and forgets are exercised too (with the fast
extractor: the model would make each upload seconds long).
"""
from __future__ import annotations

import shutil

import pytest
import schemathesis
from schemathesis import GenerationMode
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error

from web_helpers import fast_extract

pytestmark = pytest.mark.slow  # the knowledge base is extracted with the spaCy model

TOKEN = "schemathesis-token"
EXAMPLES = 30  # per operation: the whole run stays well under a minute


@pytest.fixture(scope="module")
def web_app(kb_file, tmp_path_factory):
    from diplograph.web import create_app

    path = tmp_path_factory.mktemp("schemathesis") / "kb.db"
    shutil.copy(kb_file, path)
    app = create_app(str(path), token=TOKEN, max_upload_bytes=64 * 1024, extract=fast_extract)
    yield app
    app.state.jobs.shutdown()
    app.state.store.close()


def test_api_no_server_error_for_any_generated_request(web_app):
    """Every operation of the schema, positive and negative cases; each 5xx found is reported.

    Uses schemathesis's Python API with Hypothesis directly (its pytest plugin does not run
    under this pytest version).
    """
    api = schemathesis.openapi.from_asgi("/api/openapi.json", web_app)
    failures = []
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 14

    calls = 0
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def run(case):
                nonlocal calls
                calls += 1
                case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=[not_a_server_error])

            try:
                run()
            except Unsatisfiable:  # no invalid request exists for this operation (no parameters to break)
                continue
            except Exception as err:  # a check failed: keep going, report them all
                failures.append(f"{operation.label} ({mode.value}): {str(err).strip()[:2000]}")
    assert calls > 20 * len(operations)
    assert not failures, "\n\n".join(failures)
