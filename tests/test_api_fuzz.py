"""Fuzz every operation of the OpenAPI document with schemathesis: no input may cause a server error."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis.errors import FlakyStrategyDefinition

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


# -- stateful: POST a document, then GET, PUT and DELETE it through the OpenAPI links ------
@pytest.fixture(scope="module")
def keyed_schema(tmp_path_factory):
    from assistant import Assistant

    from .conftest import copy_knowledge

    knowledge = copy_knowledge(tmp_path_factory.mktemp("stateful") / "knowledge")
    instance = Assistant.load(knowledge, tmp_path_factory.mktemp("stateful-index"))
    app = create_app(lambda: instance, Settings(keys={"fuzz-write": "write"}))
    return schemathesis.openapi.from_asgi("/openapi.json", app), knowledge


@pytest.mark.slow
def test_stateful_no_server_errors(keyed_schema):
    schema, knowledge = keyed_schema
    calls = []

    class Machine(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": {"X-API-Key": "fuzz-write"}}

        def validate_response(self, response, case, **kwargs):
            calls.append((case.method, case.operation.path, response.status_code))
            assert response.status_code < 500, (case.method, case.path, case.body, response.status_code,
                                                response.text[:300])

    # The server keeps what earlier examples wrote, so the links a step can follow differ from run to run and
    # Hypothesis may find the same choices drawing differently (FlakyStrategyDefinition, seen once in CI). That
    # is the harness, not the server: it is run again, up to twice; a 5xx still fails at once, above.
    for attempt in range(3):
        try:
            Machine.run(settings=settings(max_examples=50, stateful_step_count=5, deadline=None,
                                          suppress_health_check=list(HealthCheck)))
            break
        except FlakyStrategyDefinition:
            if attempt == 2:
                raise
    import collections
    print(collections.Counter(calls))
    # Random bodies make a valid document only now and then (a few in a hundred), so a 201 (and the linked
    # GET/PUT/DELETE after it) is usual but not certain in one run; what must hold is no 5xx, checked above.
    assert any(m == "POST" and p == "/v1/documents" for m, p, _ in calls), calls[:20]
    assert all(p.parent.name == "documents" for p in (knowledge / "documents").iterdir())
