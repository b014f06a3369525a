"""What the export reads of a build comes from the exposure's yml, parsed once per content: a changed yml is read
again, and no caller can change what the next one reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from totango_feed import project

pytestmark = pytest.mark.edit_loop


def exposure_yml(usage_rows: str) -> str:
    return (
        f"exposures:\n  - name: {project.EXPORT_EXPOSURE}\n    config:\n      meta:\n"
        f"        files: {{usage.csv: marts.totango_usage}}\n        usage_rows: {usage_rows}\n"
        "        rows_read: {raw_app_users: intermediate.int_users_checked}\n"
    )


def test_a_changed_yml_is_read_again_and_each_caller_gets_its_own_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(project, "MODELS_DIR", tmp_path)
    (tmp_path / "other.yml").write_text("models: []\n", encoding="utf-8")
    (tmp_path / "_exposures.yml").write_text(exposure_yml("intermediate.first"), encoding="utf-8")
    first = project.export_relations()
    assert first["usage_rows"] == "intermediate.first"
    first["files"]["usage.csv"] = "changed by a caller"
    assert project.export_relations()["files"]["usage.csv"] == "marts.totango_usage"
    (tmp_path / "_exposures.yml").write_text(exposure_yml("intermediate.second"), encoding="utf-8")
    assert project.export_relations()["usage_rows"] == "intermediate.second"


def test_no_exposure_is_a_one_line_refusal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(project, "MODELS_DIR", tmp_path)
    (tmp_path / "models.yml").write_text("models: []\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="declares no exposure"):
        project.export_relations()
