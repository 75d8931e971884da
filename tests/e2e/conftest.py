import pytest

from tests.support.invariants import verified_stack

# Every e2e test logs in from 127.0.0.1, hundreds of citizens per worker (the crowds of the
# concurrency tests, the fuzzer): the per-address login limit would turn them into 429s.
# The limit itself is tested on a stack of its own (`strict_stack` in test_authz_e2e).
SHARED_STACK_ENV = {"LOGIN_LIMIT_PER_MINUTE": "100000"}


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """The whole local stack (`make run`) on free ports, one per test worker."""
    yield from verified_stack(str(tmp_path_factory.mktemp("stack")), SHARED_STACK_ENV)


@pytest.fixture(scope="module")
def offline_browser(tmp_path_factory):
    """Headless Chromium recording its console and network, every request off 127.0.0.1 failing
    (tests.support.browser.OFFLINE_FLAGS): one per test module of the public pages."""
    from tests.support.browser import OFFLINE_FLAGS, require_chromium, start_chromium

    require_chromium()
    driver = start_chromium(str(tmp_path_factory.mktemp("chromium")), OFFLINE_FLAGS, record=True)
    yield driver
    driver.quit()
