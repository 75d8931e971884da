"""Zappa's "zip" callback: put compiled bytecode into the Lambda package.

Lambda's /var/task is read-only, so without .pyc files every cold start compiles every
module it imports (measured: 0.93 s vs 0.48 s for the API handler). The bytecode is
compiled here, at package time, as unchecked-hash .pyc files: the package never changes
after it is built, so Python need not compare them with the sources (the zip's
timestamps would not match a timestamp-based .pyc anyway). The venv's own __pycache__
stays excluded in zappa_settings.json, so nothing stale or built elsewhere is shipped.
"""

from __future__ import annotations

import compileall
import os
import py_compile
import shutil
import sys
import tempfile
import zipfile

LAMBDA_ROOT = "/var/task"  # where Lambda unpacks the package: the paths tracebacks show


def compile_bytecode(cli) -> None:
    runtime = cli.stage_config.get("runtime", "")
    here = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if runtime != here:
        # The .pyc format is per minor version: bytecode from another Python would be ignored.
        raise SystemExit(
            f"package with {runtime} (this is {here}): the bytecode must match the runtime"
        )
    add_bytecode(cli.zip_path)


def add_bytecode(zip_path: str) -> int:
    """Rewrite the zip with a .pyc beside every .py; returns how many were compiled."""
    work = tempfile.mkdtemp(prefix="tanpuhui-pyc-")
    try:
        tree = os.path.join(work, "tree")
        with zipfile.ZipFile(zip_path) as z:
            infos = z.infolist()
            z.extractall(tree)
        compileall.compile_dir(
            tree,
            quiet=2,
            ddir=LAMBDA_ROOT,
            workers=1,
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        )
        rebuilt = os.path.join(work, "package.zip")
        count = 0
        with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as out:
            for info in infos:  # the original entries, with their modes
                if "__pycache__/" in info.filename:
                    continue  # excluded in zappa_settings.json; never ship a stale one
                with open(os.path.join(tree, info.filename), "rb") as f:
                    out.writestr(info, f.read(), zipfile.ZIP_DEFLATED)
            for root, _dirs, files in os.walk(tree):
                if os.path.basename(root) != "__pycache__":
                    continue
                for name in files:
                    path = os.path.join(root, name)
                    info = zipfile.ZipInfo(os.path.relpath(path, tree))
                    info.external_attr = 0o644 << 16
                    with open(path, "rb") as f:
                        out.writestr(info, f.read(), zipfile.ZIP_DEFLATED)
                    count += 1
        shutil.move(rebuilt, zip_path)
        return count
    finally:
        shutil.rmtree(work, ignore_errors=True)
