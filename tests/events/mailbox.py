"""Email for a worker in another process: Django's file backend, in the folder the test names
(ASHYQKEN_TEST_MAIL_DIR), so the test can count what was handed to the "mail server".

With ASHYQKEN_TEST_MAIL_HANG_ONCE=<path>, the first message handed over (whichever process
sends it) never gets its answer: the backend writes it, then blocks, as an SMTP server that
took the message and went silent would, until the test kills the worker."""

import os
import threading

from django.core.mail.backends.filebased import EmailBackend


class FileBackend(EmailBackend):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, file_path=os.environ["ASHYQKEN_TEST_MAIL_DIR"], **kwargs)

    def send_messages(self, messages: list) -> int:
        sent = super().send_messages(messages)
        marker = os.environ.get("ASHYQKEN_TEST_MAIL_HANG_ONCE")
        if marker:
            try:
                os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return sent
            threading.Event().wait(120)  # until the test kills this process
        return sent


def delivery_ids(folder: str) -> list[int]:
    """The X-AshyqKen-Delivery of every message written to the folder, repeats included."""
    ids = []
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as file:
            ids += [int(line.split(":", 1)[1]) for line in file if line.startswith("X-AshyqKen-Delivery:")]
    return ids
