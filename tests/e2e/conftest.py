import pytest

from tests.support.stack import start_stack, stop_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """The whole local stack (`make run`) on free ports, one per test worker."""
    s = start_stack(str(tmp_path_factory.mktemp("stack")))
    yield s
    stop_stack(s)
