"""Build the quiz as a static site: the same notebook and the same `assess` code as under Voilà,
with Python running in the visitor's browser (Voici and the Pyodide kernel of JupyterLite).

Everything comes from the package registries, pinned beside this file:

- Pyodide's core from npm (``package-lock.json``, installed by ``npm ci`` into
  ``sitebuild/node_modules``);
- the kernel's Python packages as pure-Python wheels from PyPI (``requirements-kernel.txt``,
  with their hashes), plus this project's own wheel, built from the working tree;
- the build tools in their own virtual environment (``requirements-build.txt``).

The site names no host but its own: ``pyodide-lock.json`` lists exactly the wheels in the site
(with their sha256), the kernel's PyPI fallback is off, and the page's two Font Awesome style
sheets on cdn.jsdelivr.net are removed, as the Voilà template does.

Usage (``make site`` does this)::

    build/site-venv/bin/python sitebuild/build.py [--output site]
"""

from __future__ import annotations

import argparse
import base64
import email.parser
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = ROOT / "build" / "site-work"
PYODIDE_NPM = HERE / "node_modules" / "pyodide"
KERNEL_REQUIREMENTS = HERE / "requirements-kernel.txt"

# Pyodide 0.29.0 runs CPython 3.13 on emscripten: the markers a wheel's dependencies are read with.
BROWSER_MARKERS = {
    "python_version": "3.13",
    "python_full_version": "3.13.2",
    "sys_platform": "emscripten",
    "platform_system": "Emscripten",
    "platform_machine": "wasm32",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "extra": "",
}

# Dependencies a wheel declares that the browser's kernel does without, and why.  Any other
# dependency missing from the site stops the build: Pyodide shows no error for one, its kernel
# simply never becomes ready.
NOT_IN_THE_BROWSER: Mapping[str, Mapping[str, str]] = {
    "ipywidgets": {
        "widgetsnbextension": "front-end only: the site carries the widgets' JavaScript",
        "jupyterlab-widgets": "front-end only: the site carries the widgets' JavaScript",
    },
    "assess": {
        # The quiz's kernel path imports none of these (tests/test_static_site.py checks it).
        "pyyaml": "the data files ship compiled to JSON in the wheel (datafiles/compiled.py)",
        "numpy": "cohort tables only, never the quiz",
        "pandas": "cohort tables only, never the quiz",
        "sqlalchemy": "the server-side results store, not offered in the browser",
        "psycopg": "the server-side results store, not offered in the browser",
    },
}

# What the kernel of jupyterlite-pyodide-kernel installs before it runs a cell, plus the quiz's
# own packages.  Loaded by Pyodide from the site's lock file at start, so the kernel's package
# manager (piplite) never looks anything up.
PRELOADED = (
    "micropip",
    "piplite",
    "sqlite3",
    "ipykernel",
    "comm",
    "pyodide_kernel",
    "jedi",
    "ipython",
    "ipywidgets",
    "assess",
)

# The kernel asks for Pyodide's `sqlite3` (CPython's module, compiled by Pyodide and published
# only on its CDN).  IPython runs without it (no history database); the quiz never uses it.  The
# site's lock names a wheel without contents under that name, so the kernel starts offline.
SQLITE3_PLACEHOLDER = "sqlite3"

FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)

PYODIDE_CORE_FILES = (
    "pyodide.js",
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "package.json",
)

# Voici's page template links Font Awesome on a CDN; the quiz shows no icon from it.
OUTSIDE_LINK = re.compile(r"<link[^>]*https?://[^>]*>\s*", re.IGNORECASE)
# and its Mermaid loader imports a module from cdnjs (diagrams only; the quiz has none).
OUTSIDE_IMPORT_SCRIPT = re.compile(
    r"<script[^>]*>(?:(?!</script>).)*?import\(\s*[\"']https?://.*?</script>\s*", re.DOTALL
)
OUTSIDE_URL_IN_PAGE = re.compile(
    r"""(?:src\s*=\s*|href\s*=\s*|import\(\s*)["']https?://""", re.IGNORECASE
)

# Read by the page before JupyterLite reads its settings: the page's own query string (?lang=en)
# becomes the kernel's QUERY_STRING, which is where Voilà puts it too, so the quiz's code does
# not know which engine runs it.  Only the parameters the quiz reads are passed on.
QUERY_TO_KERNEL = """<script>
(function () {
  var element = document.getElementById("jupyter-config-data");
  if (!element) return;
  var config = JSON.parse(element.textContent);
  var key = "@jupyterlite/pyodide-kernel-extension:kernel";
  var settings = (config.litePluginSettings = config.litePluginSettings || {});
  var kernel = (settings[key] = settings[key] || {});
  var options = (kernel.loadPyodideOptions = kernel.loadPyodideOptions || {});
  var env = (options.env = options.env || {});
  var asked = new URLSearchParams(window.location.search);
  var passed = new URLSearchParams();
  ["lang", "cohort"].forEach(function (name) {
    if (asked.has(name)) passed.set(name, asked.get(name).slice(0, 64));
  });
  env.QUERY_STRING = passed.toString();
  element.textContent = JSON.stringify(config);
})();
</script>
"""

# Offline from the first visit on: JupyterLite's service worker caches what passes through it,
# but the page and its first scripts load before it controls the page.  Once it does, they are
# fetched again through it (from the browser's HTTP cache where it still holds them).
KEEP_FOR_OFFLINE = """<script>
(function () {
  if (!("serviceWorker" in navigator)) return;
  function keep() {
    var own = location.origin + "/";
    var urls = [location.href].concat(
      performance.getEntriesByType("resource").map(function (entry) { return entry.name; })
    );
    urls.forEach(function (url) {
      if (url.indexOf(own) === 0 && url.indexOf("/api/") < 0) fetch(url).catch(function () {});
    });
  }
  window.addEventListener("load", function () {
    if (navigator.serviceWorker.controller) return keep();
    navigator.serviceWorker.addEventListener("controllerchange", keep, { once: true });
  });
})();
</script>
"""

FLOOR_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "floor",
            "metadata": {},
            "outputs": [],
            "source": [
                "# The benchmarks' floor: one button, no app code (benchmarks/static_site.py).\n",
                "import ipywidgets as widgets\n",
                "\n",
                "button = widgets.Button(description='floor')\n",
                "button",
            ],
        }
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "site")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if not (PYODIDE_NPM / "pyodide.asm.wasm").exists():
        sys.exit(f"{PYODIDE_NPM} is missing: run `npm ci` in {HERE} first (make site does)")
    if WORK.exists():
        shutil.rmtree(WORK)
    wheels = WORK / "lite" / "static" / "pyodide"
    wheels.mkdir(parents=True)
    download_kernel_wheels(wheels)
    build_project_wheel(wheels)
    copy_kernel_extension_wheels(wheels)
    write_wheel(
        wheels,
        name=SQLITE3_PLACEHOLDER,
        version="0",
        files={},
        summary="Stands in for Pyodide's sqlite3 module, which the site does not carry.",
    )
    copy_pyodide_core(wheels)
    write_lock(wheels)
    write_lite_config(WORK / "lite")
    contents = WORK / "contents"
    contents.mkdir()
    shutil.copy2(ROOT / "notebooks" / "quiz.ipynb", contents / "quiz.ipynb")
    (contents / "floor.ipynb").write_text(json.dumps(FLOOR_NOTEBOOK, indent=1) + "\n")
    output = WORK / "output"
    voici_build(WORK / "lite", contents, output)
    finish_pages(output)
    drop_source_maps(output)
    write_index(output)
    replace_directory(output, args.output)
    size = sum(p.stat().st_size for p in args.output.rglob("*") if p.is_file())
    print(
        f"site built in {time.monotonic() - started:.0f} s: {args.output} "
        f"({size / 1e6:.1f} MB); open /voici/render/quiz.html (?lang=en for English)"
    )
    return 0


def run(command: list[str], **kwargs: object) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run(command, check=True, **kwargs)  # type: ignore[call-overload]


def download_kernel_wheels(destination: Path) -> None:
    """Every wheel in requirements-kernel.txt, checked against its pinned hash."""
    run(
        [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
            "--only-binary=:all:", "--platform", "any", "--python-version", "3.13",
            "--implementation", "py", "--abi", "none", "--require-hashes",
            "-r", str(KERNEL_REQUIREMENTS), "-d", str(destination),
        ]
    )  # fmt: skip


def build_project_wheel(destination: Path) -> None:
    """This project's wheel, from the working tree (the same code Voilà runs)."""
    with tempfile.TemporaryDirectory() as scratch:
        run(
            [
                sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                "--wheel-dir", scratch, str(ROOT),
            ]
        )  # fmt: skip
        for wheel in Path(scratch).glob("assess-*.whl"):
            shutil.copy2(wheel, destination / wheel.name)


def copy_kernel_extension_wheels(destination: Path) -> None:
    """The kernel's own packages, shipped inside jupyterlite-pyodide-kernel (PyPI)."""
    pypi = (
        Path(sys.prefix)
        / "share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension/static/pypi"
    )
    for prefix in ("piplite-", "pyodide_kernel-", "ipykernel-"):
        (wheel,) = pypi.glob(prefix + "*.whl")
        shutil.copy2(wheel, destination / wheel.name)


def write_wheel(
    destination: Path, *, name: str, version: str, files: Mapping[str, bytes], summary: str
) -> Path:
    """A pure-Python wheel made here, byte for byte the same for the same files."""
    stem = f"{name.replace('-', '_')}-{version}"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: {summary}\n"
    wheel = (
        "Wheel-Version: 1.0\nGenerator: assess-sitebuild\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n"
    )
    entries = {
        **files,
        f"{stem}.dist-info/METADATA": metadata.encode(),
        f"{stem}.dist-info/WHEEL": wheel.encode(),
    }
    record = [
        f"{path},sha256={_urlsafe_digest(data)},{len(data)}" for path, data in entries.items()
    ]
    record.append(f"{stem}.dist-info/RECORD,,")
    entries[f"{stem}.dist-info/RECORD"] = ("\n".join(record) + "\n").encode()
    target = destination / f"{stem}-py3-none-any.whl"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in entries.items():
            info = zipfile.ZipInfo(path, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return target


def _urlsafe_digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def copy_pyodide_core(destination: Path) -> None:
    for name in PYODIDE_CORE_FILES:
        shutil.copy2(PYODIDE_NPM / name, destination / name)


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        (path,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return email.parser.Parser().parsestr(archive.read(path).decode())


def wheel_imports(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        tops = {
            name.split("/")[0].removesuffix(".py")
            for name in archive.namelist()
            if not name.split("/")[0].endswith((".dist-info", ".data"))
        }
    return sorted(top for top in tops if top.isidentifier())


def browser_dependencies(metadata: email.message.Message) -> list[str]:
    from packaging.requirements import Requirement

    names = []
    for line in metadata.get_all("Requires-Dist") or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(dict(BROWSER_MARKERS)):
            names.append(normalise(requirement.name))
    return names


def write_lock(folder: Path) -> None:
    """pyodide-lock.json naming exactly the wheels in `folder`, each with its sha256 and its
    dependencies by the lock's own keys."""
    core = json.loads((PYODIDE_NPM / "pyodide-lock.json").read_text())
    packages: dict[str, dict[str, object]] = {}
    declared: dict[str, list[str]] = {}
    for wheel in sorted(folder.glob("*.whl")):
        metadata = wheel_metadata(wheel)
        key = normalise(metadata["Name"])
        declared[key] = browser_dependencies(metadata)
        packages[key] = {
            "name": metadata["Name"],
            "version": metadata["Version"],
            "file_name": wheel.name,
            "install_dir": "site",
            "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
            "package_type": "package",
            "imports": wheel_imports(wheel),
            "depends": [],
            "unvendored_tests": False,
            "shared_library": False,
        }
    problems = []
    for key, names in declared.items():
        excused = NOT_IN_THE_BROWSER.get(key, {})
        depends = []
        for name in names:
            if name in packages:
                depends.append(name)
            elif name not in excused:
                problems.append(f"{key} needs {name}, which the site does not carry")
        packages[key]["depends"] = sorted(set(depends))
    for name in PRELOADED:
        if normalise(name) not in packages:
            problems.append(f"the kernel loads {name}, which the site does not carry")
    if problems:
        sys.exit(
            "pyodide-lock.json would be incomplete:\n  "
            + "\n  ".join(problems)
            + "\nadd the wheel to sitebuild/requirements-kernel.txt (with its hash)"
        )
    lock = {"info": core["info"], "packages": dict(sorted(packages.items()))}
    (folder / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")


def write_lite_config(lite: Path) -> None:
    """The kernel's settings, read by `voici build` into every page it renders."""
    kernel = {
        "pyodideUrl": "./static/pyodide/pyodide.js",
        "disablePyPIFallback": True,
        "pipliteUrls": [],
        "loadPyodideOptions": {
            "packages": list(PRELOADED),
        },
    }
    config = {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "assess",
            # JupyterLite's service worker keeps what a visit fetched (served from the cache
            # next time, refreshed in the background): the ground for a visit without network.
            "enableServiceWorkerCache": True,
            "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": kernel},
        },
    }
    (lite / "jupyter-lite.json").write_text(json.dumps(config, indent=1) + "\n")


def voici_build(lite: Path, contents: Path, output: Path) -> None:
    voici = Path(sys.executable).with_name("voici")
    environment = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1", "PYTHONHASHSEED": "0"}
    environment.pop("JUPYTER_PATH", None)
    run(
        [
            str(voici), "build", "--lite-dir", str(lite), "--output-dir", str(output),
            "--contents", str(contents), "--no-sourcemaps", "--no-unused-shared-packages",
        ],
        cwd=lite,
        env=environment,
    )  # fmt: skip


def pages(output: Path) -> Iterable[Path]:
    return (p for p in output.rglob("*.html") if p.is_file())


TEMPLATES = ROOT / "src/assess/hosting/jupyter/voila/templates/assess"
# The Voilà page's scripts the static page gets too: its own (html lang, the tab's title, named
# radio groups, Back in the browser's history...) and keeping the answers on this device when
# the person chose to.  (kernel_lost.html.j2 watches a server's kernel: none here.)
PAGE_SCRIPTS = ("index.html.j2", "keep_on_device.html.j2")


def quiz_page_script() -> str:
    """The Voilà page template's scripts for the quiz, taken from that template, so both
    engines' pages behave alike from one source."""
    scripts = []
    for name in PAGE_SCRIPTS:
        template = TEMPLATES / name
        # Without the template's comments, which may name a <script> in passing.
        text = re.sub(r"\{#.*?#\}", "", template.read_text(encoding="utf-8"), flags=re.S)
        (script,) = re.findall(r"<script>.*?</script>", text, re.S)
        if "{{" in script or "{%" in script:
            sys.exit(f"{template}: the page script has template code; it must be plain JavaScript")
        scripts.append(script + "\n")
    return "".join(scripts)


def finish_pages(output: Path) -> None:
    """No link to another host; the page's query string reaches the kernel; the quiz's page
    gets the Voilà page's script."""
    quiz_script = quiz_page_script()
    for page in pages(output):
        text = page.read_text(encoding="utf-8")
        if page.name == "quiz.html":
            text = text.replace("</head>", quiz_script + "</head>", 1)
        text = OUTSIDE_LINK.sub("", text)
        text = OUTSIDE_IMPORT_SCRIPT.sub("", text)
        if 'id="jupyter-config-data"' in text:
            text = re.sub(
                r'(<script[^>]*id="jupyter-config-data"[^>]*>.*?</script>)',
                lambda match: match.group(1) + "\n" + QUERY_TO_KERNEL + KEEP_FOR_OFFLINE,
                text,
                count=1,
                flags=re.DOTALL,
            )
        if OUTSIDE_URL_IN_PAGE.search(text):
            sys.exit(f"{page} still loads something from another host")
        page.write_text(text, encoding="utf-8")


def drop_source_maps(output: Path) -> None:
    for path in output.rglob("*.map"):
        path.unlink()


def write_index(output: Path) -> None:
    """The site's front door leads to the quiz, keeping ?lang=."""
    (output / "index.html").write_text(
        '<!doctype html>\n<html lang="ja"><head><meta charset="utf-8">'
        "<title>assess</title>\n"
        "<script>location.replace('voici/render/quiz.html' + location.search);</script>\n"
        '</head><body><p><a href="voici/render/quiz.html">quiz / 診断</a></p></body></html>\n',
        encoding="utf-8",
    )


def replace_directory(new: Path, old: Path) -> None:
    if old.exists():
        shutil.rmtree(old)
    shutil.move(str(new), str(old))


if __name__ == "__main__":
    raise SystemExit(main())
