#!/usr/bin/env python3
"""Write the Unity .meta files of the package that are missing.

Unity ignores every file and folder without a .meta file in a package that
is installed from git (the package cache is read-only, so Unity cannot write
them itself). Each .meta carries a GUID that scenes and prefabs use to
reference the asset, so a GUID must never change once committed: this
script only adds missing files and never rewrites existing ones. New GUIDs
are the MD5 of the package name and the asset's path, which keeps reruns on
different machines identical.

Usage: python3 engine_clients/unity/Tools~/write_meta_files.py [--check]
--check lists missing and orphaned .meta files and exits 1 if there are any.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
PACKAGE_NAME = "com.vrperception.client"

# Importer per file suffix; anything else uses DefaultImporter.
IMPORTERS = {
    ".cs": "MonoImporter",
    ".asmdef": "AssemblyDefinitionImporter",
    ".md": "TextScriptImporter",
    ".txt": "TextScriptImporter",
    ".xml": "TextScriptImporter",
    ".json": "TextScriptImporter",
    ".yaml": "TextScriptImporter",
}
MONO_IMPORTER_BODY = """  externalObjects: {}
  serializedVersion: 2
  defaultReferences: []
  executionOrder: 0
  icon: {instanceID: 0}
"""
COMMON_BODY = """  userData:
  assetBundleName:
  assetBundleVariant:
"""


def is_hidden_from_unity(relative: Path) -> bool:
    """Tell whether Unity skips this path: names ending in '~' or starting with '.'."""
    return any(part.endswith("~") or part.startswith(".") for part in relative.parts)


def asset_paths() -> list[Path]:
    paths = []
    for path in sorted(PACKAGE_ROOT.rglob("*")):
        relative = path.relative_to(PACKAGE_ROOT)
        if is_hidden_from_unity(relative) or path.suffix == ".meta":
            continue
        paths.append(path)
    return paths


def guid_for(relative: Path) -> str:
    return hashlib.md5(f"{PACKAGE_NAME}/{relative.as_posix()}".encode("utf-8")).hexdigest()


def meta_text(path: Path) -> str:
    relative = path.relative_to(PACKAGE_ROOT)
    header = f"fileFormatVersion: 2\nguid: {guid_for(relative)}\n"
    if path.is_dir():
        return header + "folderAsset: yes\nDefaultImporter:\n  externalObjects: {}\n" + COMMON_BODY
    if relative.as_posix() == "package.json":
        return header + "PackageManifestImporter:\n  externalObjects: {}\n" + COMMON_BODY
    importer = IMPORTERS.get(path.suffix, "DefaultImporter")
    if importer == "MonoImporter":
        return header + "MonoImporter:\n" + MONO_IMPORTER_BODY + COMMON_BODY
    return header + f"{importer}:\n  externalObjects: {{}}\n" + COMMON_BODY


def orphaned_meta_files() -> list[Path]:
    orphans = []
    for meta in sorted(PACKAGE_ROOT.rglob("*.meta")):
        if is_hidden_from_unity(meta.relative_to(PACKAGE_ROOT)):
            continue
        if not meta.with_suffix("").exists():
            orphans.append(meta)
    return orphans


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report missing and orphaned .meta files")
    args = parser.parse_args()

    missing = [path for path in asset_paths() if not Path(f"{path}.meta").exists()]
    orphans = orphaned_meta_files()
    if args.check:
        for path in missing:
            print(f"missing: {path.relative_to(PACKAGE_ROOT)}.meta")
        for meta in orphans:
            print(f"orphaned: {meta.relative_to(PACKAGE_ROOT)}")
        return 1 if missing or orphans else 0

    for path in missing:
        Path(f"{path}.meta").write_text(meta_text(path), encoding="utf-8")
        print(f"wrote {path.relative_to(PACKAGE_ROOT)}.meta")
    for meta in orphans:
        print(f"orphaned (delete it if the asset is gone for good): {meta.relative_to(PACKAGE_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
