"""schemathesis against the app's own OpenAPI schema, on the sample in the embedded store:
no 5xx, and every response conforms to the schema (status, content type, headers, body).

The number of cases is bounded (the schema's examples, then ``max_examples`` generated
cases per operation); imports are sent with the token but always as dry runs, so the
fuzzing never changes the store under the other cases.
The schema is loaded when the module is imported (schemathesis' lazy fixture loader does
not work with this pytest); the app opens its store on the first request, after the
module fixture has loaded the sample into it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from pairnet.api.app import create_app
from pairnet.api.settings import Settings
from pairnet.store.store import open_store
from tests.support.api import AUTH, TOKEN, load_sample
from tests.support.reliability import LEAK_MARKERS

# A few generated cases per operation in the suite; many under `make fuzz`.
EXAMPLES = 300 if os.environ.get("PAIRNET_FUZZ_PROFILE") == "long" else 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

FOLDER = Path(tempfile.mkdtemp(prefix="pairnet-schemathesis-"))
STORE = str(FOLDER / "sample.db")
app = create_app(Settings(store=STORE, token=TOKEN, max_upload_bytes=256 * 1024, max_page_size=50))
# The coverage phase alone makes about 2,000 cases here; examples and fuzzing stay bounded.
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", app, config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
)


@pytest.fixture(scope="module", autouse=True)
def sample_store():
    with open_store(STORE) as store:
        load_sample(store)
    yield
    app.state.store_holder.close()
    shutil.rmtree(FOLDER, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_conforms_to_its_schema(case):
    if case.method.upper() == "POST":
        case.query = {**(case.query or {}), "dry_run": "true"}
    response = case.call(headers=AUTH)
    case.validate_response(response, checks=CHECKS)
    if response.status_code >= 400:
        assert not any(marker in response.text for marker in LEAK_MARKERS), response.text[:2000]
