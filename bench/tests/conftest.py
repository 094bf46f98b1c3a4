"""The suite's shared fixtures (tests/conftest.py) apply here too: the fiche loaded in the test
database, plain static files, a fresh cache. pytest only applies a conftest.py to the tests under
its own directory, so this one takes them over. Where one worker runs tests of both directories,
each conftest's session fixture loads the fiche once: the second load changes nothing."""

from tests.conftest import *  # noqa: F403
