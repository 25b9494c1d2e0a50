"""Releases (helseinfo/kernel/releases.py): the data release a build publishes for the assistant's actions."""

from __future__ import annotations

import json

from helseinfo.build import build_site
from helseinfo.kernel.releases import MANIFEST, data_release_beside, read_manifest, tree_hash, write_data_release
from tests.base import make_project


def test_tree_hash_changes_with_a_files_bytes_or_name_and_not_with_its_time(tmp_path):
    folder = tmp_path / "content"
    (folder / "nb").mkdir(parents=True)
    (folder / "nb" / "a.md").write_text("A", encoding="utf-8")
    first = tree_hash({"content": folder})
    (folder / "nb" / "a.md").touch()
    assert tree_hash({"content": folder}) == first
    (folder / "nb" / "a.md").write_text("B", encoding="utf-8")
    second = tree_hash({"content": folder})
    (folder / "nb" / "a.md").rename(folder / "nb" / "b.md")
    assert len({first, second, tree_hash({"content": folder})}) == 3


def test_a_data_release_holds_a_copy_and_names_its_hash_and_what_was_built_with_it(tmp_path):
    source = tmp_path / "content"
    source.mkdir()
    (source / "x.md").write_text("x", encoding="utf-8")
    manifest = write_data_release(tmp_path / "r1", {"content": source}, index="/idx/1")
    (source / "x.md").write_text("changed after the build", encoding="utf-8")
    assert (tmp_path / "r1" / "content" / "x.md").read_text(encoding="utf-8") == "x"
    assert read_manifest(tmp_path / "r1") == manifest
    assert manifest["content_hash"] == tree_hash({"content": tmp_path / "r1" / "content"}) and manifest["index"] == "/idx/1"
    assert read_manifest(tmp_path / "nothing") is None


def test_gitt_et_bygg_saa_publiseres_innholdet_med_hash_og_sin_egen_soekeindeks(tmp_path):
    config = make_project(tmp_path)
    site = tmp_path / "site"
    build_site(site, config_file=config, today="2026-11-25", verbose=False)
    link = data_release_beside(tmp_path / "var" / "search-index")
    manifest = json.loads((link / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["content_hash"] == tree_hash({"content": link / "content"})
    assert (link / "content" / "nb" / "hodepine.md").is_file()
    assert manifest["index"] == str((tmp_path / "var" / "search-index").resolve())
    first = link.resolve()
    (tmp_path / "content" / "nb" / "hodepine.md").write_text(
        (tmp_path / "content" / "nb" / "hodepine.md").read_text(encoding="utf-8").replace("Tekst.", "Ny tekst."), encoding="utf-8"
    )
    build_site(site, config_file=config, today="2026-11-25", verbose=False)
    assert link.resolve() != first
    assert read_manifest(link)["content_hash"] != manifest["content_hash"]


def test_a_build_that_fails_after_its_index_is_written_publishes_neither_site_nor_index(tmp_path, monkeypatch):
    """The site, its search index and the assistant's data go live together or not at all:
    a failure after the index is written leaves all three at the previous release."""
    import pytest

    import helseinfo.build
    from helseinfo.kernel.errors import HelseinfoError

    config = make_project(tmp_path)
    site, index = tmp_path / "site", tmp_path / "var" / "search-index"
    build_site(site, config_file=config, today="2026-11-25", verbose=False)
    before = site.resolve(), index.resolve(), data_release_beside(index).resolve()

    def disk_full(*args, **kwargs):
        raise OSError("disken er full")

    monkeypatch.setattr(helseinfo.build, "write_checked_data_release", disk_full)
    with pytest.raises(HelseinfoError, match="den forrige publiserte versjonen er urørt"):
        build_site(site, config_file=config, today="2026-11-25", verbose=False)
    assert (site.resolve(), index.resolve(), data_release_beside(index).resolve()) == before
    assert len(list(index.resolve().parent.iterdir())) == 1  # the unpublished index release was removed
