"""The app's own temporary folder, DATA_DIR/web-temp: gradio's uploads and cache live there (GRADIO_TEMP_DIR,
set before any component is made), it is emptied at every start, and gradio's sweep deletes what is left
in it within minutes. Nothing else of the user's is written anywhere (briefs download from the page)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from assistant.settings import Settings
from index.errors import DataDirError

SWEEP_S, KEEP_S = 60, 600  # gradio checks every minute and deletes what is older than ten minutes
NAME = "web-temp"


def temp_folder(settings: Settings) -> Path:
    return settings.index.data_dir / NAME


def own_temp_folder(settings: Settings) -> Path:
    """Empty (or make) the app's temp folder, private to the service user, and point gradio at it."""
    folder = temp_folder(settings)
    try:
        if folder.is_symlink() or folder.is_file():
            folder.unlink()
        elif folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(mode=0o700, parents=True)
    except OSError as e:
        raise DataDirError.about(folder, e) from e
    os.environ["GRADIO_TEMP_DIR"] = str(folder.resolve())
    return folder
