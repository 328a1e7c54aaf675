"""Settings of a worker subprocess in the fault tests: the test settings, with email written
to files (tests.events.mailbox) so the test process can count it."""

from config.test_settings import *  # noqa: F403

EMAIL_BACKEND = "tests.events.mailbox.FileBackend"
