"""Fuzz every operation of the OpenAPI document with schemathesis: no input may cause a server error."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from assistant.api import Settings, create_app


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    from assistant import Assistant

    from .conftest import copy_knowledge

    knowledge = copy_knowledge(tmp_path_factory.mktemp("fuzz") / "knowledge")
    instance = Assistant.load(knowledge, tmp_path_factory.mktemp("fuzz-index"))
    app = create_app(lambda: instance, Settings(write_keys=["fuzz-key"]))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, case.body, response.status_code, response.text[:300])
