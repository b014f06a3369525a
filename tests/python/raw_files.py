"""Raw exports written from a test's own text: one CSV file per raw export, as a customer's folder holds them."""

from __future__ import annotations

from pathlib import Path

from pipeline import RAW_EXPORTS


def write_raw_texts(folder: Path, *texts: str) -> Path:
    """The four raw exports' files in folder (made if missing), from their texts in the order of RAW_EXPORTS
    (accounts, subscriptions, users, events); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in zip(RAW_EXPORTS, texts, strict=True):
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder
