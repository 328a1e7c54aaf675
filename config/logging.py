"""Logging filters. A refused request (403, 404, 400) is the caller's mistake, not ours: Django logs
it as a warning with the exception's traceback, which buries real failures in an operator's log.
The filter keeps the one-line warning and drops the traceback; a 5xx keeps everything."""

import logging


class ClientErrorWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
