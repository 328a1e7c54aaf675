"""Build the open-data files now, in this process (the worker does it after changes and nightly)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from licensing.licences.publication import open_data_build


class Command(BaseCommand):
    help = "Build the open-data files (/open-data/…) into OPEN_DATA_ROOT from the register as it stands."

    def handle(self, *args: Any, **options: Any) -> None:
        built = open_data_build()
        files, licences = len(built["files"]), built["licences"]
        message = f"Built {files} open-data files ({licences} licences) in {settings.OPEN_DATA_ROOT}."
        self.stdout.write(self.style.SUCCESS(message))
