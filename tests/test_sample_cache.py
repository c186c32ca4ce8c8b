"""The bundled sample corpus is built once per install, in the cache directory."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_each_install_builds_its_own_sample(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample corpus stores its files' paths: a copy built by another install (another
    checkout, another venv) would print that install's paths, gone when it is removed."""
    import shutil

    from vanban.search import sample

    copies = []
    for name in ("install-a", "install-b"):
        folder = tmp_path / name / "sample"
        shutil.copytree(sample.sample_dir(), folder)
        copies.append(folder)
    monkeypatch.setattr(sample, "sample_dir", lambda: copies[0])
    first = sample.sample_fingerprint()
    assert sample.sample_fingerprint() == first  # stable
    monkeypatch.setattr(sample, "sample_dir", lambda: copies[1])
    assert sample.sample_fingerprint() != first
