"""Build the quiz as a static site: the same notebook and the same `assess` code as under Voilà,
with Python running in the visitor's browser (Voici and the Pyodide kernel of JupyterLite).

Everything comes from the package registries, pinned beside this file:

- Pyodide's core from npm (``package-lock.json``, installed by ``npm ci`` into
  ``sitebuild/node_modules``);
- the kernel's Python packages as pure-Python wheels from PyPI (``requirements-kernel.txt``,
  with their hashes), plus this project's own wheel, built from the working tree;
- the build tools in their own virtual environment (``requirements-build.txt``).

The pages are rendered with the quiz's own template family (``assess``, the one Voilà serves),
with the site's settings from ``jupyter-lite.json`` and ``jupyter_lite_config.json`` beside this
file; the quiz's page gets its first page, readable before Python has started
(``assess.render.first_page``).  Every file that compresses well gets a gzip copy beside it
(``x.js.gz``), which ``serve.py`` (``make site-serve``) and nginx's ``gzip_static`` send.

The site names no host but its own: ``pyodide-lock.json`` lists exactly the wheels in the site
(with their sha256), the kernel's PyPI fallback is off, and the template family drops the Font
Awesome style sheets and the Mermaid loader that Voilà's and Voici's own pages take from CDNs;
the build stops if any page would still load something from another host.

Usage (``make site`` does this)::

    build/site-venv/bin/python sitebuild/build.py [--output site]
"""

from __future__ import annotations

import argparse
import base64
import email.parser
import gzip
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
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = ROOT / "build" / "site-work"
PYODIDE_NPM = HERE / "node_modules" / "pyodide"
PLOTLY_BASIC = HERE / "node_modules" / "plotly.js-basic-dist-min"
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

# JupyterLite's settings for the site (the kernel's Pyodide, no PyPI fallback, the packages it
# loads at start, the service worker's cache) and voici build's own options (the page template,
# no source maps): the site's two configuration files, copied into the build's work folder.
LITE_SETTINGS = HERE / "jupyter-lite.json"
BUILD_SETTINGS = HERE / "jupyter_lite_config.json"
KERNEL_SETTINGS = "@jupyterlite/pyodide-kernel-extension:kernel"


def preloaded() -> tuple[str, ...]:
    """What the kernel of jupyterlite-pyodide-kernel installs before it runs a cell, plus the
    quiz's own packages (jupyter-lite.json): loaded by Pyodide from the site's lock file at start,
    so the kernel's package manager (piplite) never looks anything up."""
    settings = json.loads(LITE_SETTINGS.read_text(encoding="utf-8"))
    kernel = settings["jupyter-config-data"]["litePluginSettings"][KERNEL_SETTINGS]
    return tuple(kernel["loadPyodideOptions"]["packages"])


# Packages the kernel asks for that the quiz does without, each stood in for by a wheel without
# contents, so that the kernel starts offline and the phone does not fetch them:
PLACEHOLDERS: Mapping[str, str] = {
    # CPython's module, compiled by Pyodide and published only on its CDN: IPython runs without
    # it (no history database); the quiz never uses it.
    "sqlite3": "Stands in for Pyodide's sqlite3 module, which the site does not carry.",
    # Code completion, which a page with no code cell never asks for: IPython runs without it
    # (its completer checks), and the phone saves jedi and parso, 1.4 MB compressed.
    "jedi": "Stands in for jedi: the quiz's page completes no code.",
}

# Pygments' lexers the kernel may use: IPython colours Python tracebacks (never shown on the quiz's
# page) and its own lexers (ipython_pygments_lexers) name these; the other ~550 lexers, ~1 MB
# compressed, are left out of the site's Pygments wheel.  Those the kept ones import are kept too.
PYGMENTS_LEXERS = ("python", "shell", "html", "javascript", "ruby", "perl", "markup")

# Parts of Python's standard library that nothing in the quiz's kernel imports (IPython, the
# kernel, the widgets, the quiz: checked by running them), or that cannot work in a browser:
# left out of the site's python_stdlib.zip, ~0.2 MB compressed.
STDLIB_LEFT_OUT = frozenset(
    (
        "curses", "dbm", "doctest", "ensurepip", "ftplib", "idlelib", "imaplib", "lib2to3",
        "mailbox", "multiprocessing", "nntplib", "poplib", "smtplib", "telnetlib", "tkinter",
        "turtle", "turtledemo", "venv", "wsgiref", "xmlrpc",
    )
)  # fmt: skip
# (unittest stays: the kernel's piplite imports unittest.mock; _pyrepl too: pydoc imports it.)
# The single-byte code pages of `encodings` go too (~0.17 MB compressed): the quiz reads and
# writes UTF-8 only, and reads Shift JIS (a multi-byte codec, kept, as are UTF-16/32 and Latin-1);
# but cp437 stays, in which zipfile reads the names in a wheel (Pyodide unpacks them with it).
STDLIB_CODE_PAGE = re.compile(
    r"encodings/(?:cp(?!437|932|949|950)\d+|iso8859_\d+|mac_\w+|koi8_\w|kz1048|ptcp154"
    r"|tis_620|hp_roman8|palmos)\.py"
)

FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)

PYODIDE_CORE_FILES = (
    "pyodide.js",
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "package.json",
)

# Anything a page would load from another host.  A link the person may follow (<a href>: the help
# lines' official sites) loads nothing.
OUTSIDE_URL_IN_PAGE = re.compile(
    r"""(?:<link\b[^>]*\bhref\s*=\s*|\bsrc\s*=\s*|import\(\s*|url\(\s*)["']?https?://""",
    re.IGNORECASE,
)

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
    for package in (PYODIDE_NPM / "pyodide.asm.wasm", PLOTLY_BASIC / "plotly-basic.min.js"):
        if not package.exists():
            sys.exit(f"{package} is missing: run `npm ci` in {HERE} first (make site does)")
    if WORK.exists():
        shutil.rmtree(WORK)
    wheels = WORK / "lite" / "static" / "pyodide"
    wheels.mkdir(parents=True)
    download_kernel_wheels(wheels)
    build_project_wheel(wheels)
    copy_kernel_extension_wheels(wheels)
    for name, summary in PLACEHOLDERS.items():
        write_wheel(wheels, name=name, version="0", files={}, summary=summary)
    (pygments,) = wheels.glob("pygments-*.whl")
    slim_pygments(pygments)
    for wheel in wheels.glob("*.whl"):  # before the lock takes their hashes
        repack_stored(wheel)
    copy_pyodide_core(wheels)
    write_lock(wheels)
    write_lite_config(WORK / "lite")
    contents = WORK / "contents"
    contents.mkdir()
    shutil.copy2(ROOT / "notebooks" / "quiz.ipynb", contents / "quiz.ipynb")
    (contents / "floor.ipynb").write_text(json.dumps(FLOOR_NOTEBOOK, indent=1) + "\n")
    output = WORK / "output"
    voici_build(WORK / "lite", contents, output)
    partial_plotly(output / "extensions" / "jupyterlab-plotly")
    finish_pages(output)
    drop_source_maps(output)
    write_index(output)
    precompress(output)
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
    """This project's wheel, from the working tree (the same code Voilà runs), also installed
    (without its dependencies) in the build's environment, which writes the first page with it."""
    with tempfile.TemporaryDirectory() as scratch:
        run(
            [
                sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                "--wheel-dir", scratch, str(ROOT),
            ]
        )  # fmt: skip
        for wheel in Path(scratch).glob("assess-*.whl"):
            shutil.copy2(wheel, destination / wheel.name)
            run(
                [
                    sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--force-reinstall", str(wheel),
                ]
            )  # fmt: skip


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


def slim_pygments(wheel: Path) -> None:
    """The Pygments wheel with only the lexers in PYGMENTS_LEXERS and those they import (the
    lexers' index, _mapping.py, stays whole: asking for another lexer is a clear ImportError)."""
    with zipfile.ZipFile(wheel) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    lexer = re.compile(r"^pygments/lexers/(?!_mapping\.py$|__init__\.py$)(\w+)\.py$")
    kept: set[str] = set()
    waiting = list(PYGMENTS_LEXERS)
    while waiting:
        name = waiting.pop()
        if name in kept:
            continue
        kept.add(name)
        source = entries[f"pygments/lexers/{name}.py"].decode()
        waiting += re.findall(r"from pygments\.lexers\.(\w+) import", source)
    files = {
        path: data
        for path, data in entries.items()
        if ".dist-info/" not in path
        and not ((found := lexer.match(path)) and found.group(1) not in kept)
    }
    (metadata,) = [p for p in entries if p.endswith(".dist-info/METADATA")]
    version = re.search(r"^Version: (.+)$", entries[metadata].decode(), re.M)
    assert version is not None
    wheel.unlink()
    write_wheel(
        wheel.parent,
        name="Pygments",
        version=version.group(1),
        files=files,
        summary="Pygments, with only the lexers the quiz's kernel may use (sitebuild/build.py).",
    )


def _urlsafe_digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def copy_pyodide_core(destination: Path) -> None:
    for name in PYODIDE_CORE_FILES:
        shutil.copy2(PYODIDE_NPM / name, destination / name)
    repack_stdlib(destination / "python_stdlib.zip")


def repack_stdlib(archive: Path) -> None:
    """Python's standard library without STDLIB_LEFT_OUT and the code pages, stored."""
    repack_stored(
        archive,
        keep=lambda name: (
            name.split("/")[0].removesuffix(".py") not in STDLIB_LEFT_OUT
            and not STDLIB_CODE_PAGE.fullmatch(name)
        ),
    )


def repack_stored(archive: Path, keep: Callable[[str], bool] = lambda name: True) -> None:
    """The archive (a wheel, the standard library) with its files stored rather than each
    deflated: compressed whole by the host (its .gz copy), it is 10-20 % smaller on the way."""
    with zipfile.ZipFile(archive) as original:
        entries = [
            (info, original.read(info)) for info in original.infolist() if keep(info.filename)
        ]
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as repacked:
        for info, data in entries:
            info.compress_type = zipfile.ZIP_STORED
            repacked.writestr(info, data)


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
    for name in preloaded():
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
    """The site's settings, read by `voici build` into every page it renders."""
    shutil.copy2(LITE_SETTINGS, lite / LITE_SETTINGS.name)
    shutil.copy2(BUILD_SETTINGS, lite / BUILD_SETTINGS.name)


def voici_build(lite: Path, contents: Path, output: Path) -> None:
    """The pages, rendered with the quiz's own template family (`assess`, found through
    JUPYTER_PATH as under Voilà; jupyter_lite_config.json names it)."""
    voici = Path(sys.executable).with_name("voici")
    environment = {
        **os.environ,
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYTHONHASHSEED": "0",
        "JUPYTER_PATH": str(TEMPLATE_DATA),
    }
    run(
        [
            str(voici), "build", "--lite-dir", str(lite), "--output-dir", str(output),
            "--contents", str(contents),
        ],
        cwd=lite,
        env=environment,
    )  # fmt: skip


# jupyterlab-plotly's renderer (plotly's wheel) carries the whole of plotly.js, every chart type,
# inside its one chunk: ~1.45 MB compressed, a seventh of the first visit.  The quiz draws bars and
# scatter marks only (ui/charts.py), which plotly.js's "basic" partial bundle holds (~0.4 MB).
# The chunk wraps plotly.js's own bundle, unchanged but minified again, in a CommonJS-style
# function `(exports, module) => {…}` that the renderer calls when it draws its first chart; the
# build puts the partial bundle in that function instead.  Its start and its end, as written there:
PLOTLY_BUNDLE_START = re.compile(
    r"\w+=\w+\(\((?P<exports>\w+),(?P<module>\w+)\)=>\{"
    r"(?=var \w+,\w+;\w+=\"u\">typeof self\?self:\w+,\w+=\(\)=>\{)"
)
PLOTLY_BUNDLE_END = re.compile(
    r"return window\.Plotly=(\w+),\1\},\"object\"==typeof (\w+)&&\2\.exports\?"
    r"\2\.exports=(\w+)\(\):\w+\.moduleName=\3\(\)(?=\}\))"
)


def partial_plotly(extension: Path) -> None:
    """jupyterlab-plotly's chunk with plotly.js's basic bundle in place of the whole of plotly.js
    (the same version: the renderer is written against it)."""
    wanted = json.loads((extension / "package.json").read_text())["dependencies"]["plotly.js"]
    basic = json.loads((PLOTLY_BASIC / "package.json").read_text())["version"]
    if basic != wanted:
        sys.exit(
            f"jupyterlab-plotly bundles plotly.js {wanted}, sitebuild/package.json names "
            f"plotly.js-basic-dist-min {basic}: pin the same version (npm install --save-exact)"
        )
    replaced = []
    for chunk in (extension / "static").glob("*.js"):
        text = chunk.read_text(encoding="utf-8")
        starts = list(PLOTLY_BUNDLE_START.finditer(text))
        ends = list(PLOTLY_BUNDLE_END.finditer(text))
        if not starts and not ends:
            continue
        if len(starts) != 1 or len(ends) != 1 or ends[0].start() < starts[0].end():
            sys.exit(f"{chunk}: plotly.js is not where sitebuild/build.py expects it")
        start, end = starts[0], ends[0]
        bundle = (PLOTLY_BASIC / "plotly-basic.min.js").read_text(encoding="utf-8")
        # The bundle's UMD wrapper exports through `module` when there is one: the chunk's.
        body = f"var module={start['module']},exports={start['exports']};\n{bundle}\n"
        chunk.write_text(text[: start.end()] + body + text[end.end() :], encoding="utf-8")
        replaced.append(chunk)
    if len(replaced) != 1:
        sys.exit(f"{extension}: found plotly.js in {len(replaced)} chunks, not 1")
    run(["node", "--check", str(replaced[0])])


def pages(output: Path) -> Iterable[Path]:
    return (p for p in output.rglob("*.html") if p.is_file())


TEMPLATE_DATA = ROOT / "src/assess/hosting/jupyter"
# Where the page template leaves the static site's first page (first_page.html.j2).
FIRST_PAGE_MARKER = "<!-- assess:first-page -->"


def static_first_page() -> str:
    """The quiz's first page as the static site shows it, from the project's wheel installed in
    the build's environment (the same data files and code the browser's kernel gets)."""
    from assess.hosting.first_page import assess_first_page

    return assess_first_page("static")


def finish_pages(output: Path) -> None:
    """The quiz's page gets its first page, every page its scripts' words (page_texts.html.j2);
    no page may load anything from another host."""
    from assess.hosting.page_texts import PAGE_TEXTS_MARKER, assess_page_texts

    first_page = static_first_page()
    for page in pages(output):
        text = page.read_text(encoding="utf-8").replace(PAGE_TEXTS_MARKER, assess_page_texts())
        if page.name == "quiz.html":
            if text.count(FIRST_PAGE_MARKER) != 1:
                sys.exit(f"{page}: the page template left no place for the first page")
            text = text.replace(FIRST_PAGE_MARKER, first_page)
        if OUTSIDE_URL_IN_PAGE.search(text):
            sys.exit(f"{page} still loads something from another host")
        page.write_text(text, encoding="utf-8")


def drop_source_maps(output: Path) -> None:
    for path in output.rglob("*.map"):
        path.unlink()


# Already compressed: a gzip copy would not be smaller.
NOT_COMPRESSED = (".gz", ".woff", ".woff2", ".png", ".ico")


def precompress(output: Path) -> None:
    """A gzip copy (level 9, no time stamp: the same bytes for the same file) beside each file
    that it makes at least a tenth smaller."""
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        if path.name.endswith(NOT_COMPRESSED):
            continue
        data = path.read_bytes()
        packed = gzip.compress(data, compresslevel=9, mtime=0)
        if len(packed) <= 0.9 * len(data):
            path.with_name(path.name + ".gz").write_bytes(packed)


def write_index(output: Path) -> None:
    """The site's front door leads to the quiz, keeping ?lang=."""
    from html import escape

    from assess.hosting.page_texts import server_page_texts

    texts = server_page_texts()
    (output / "index.html").write_text(
        f'<!doctype html>\n<html lang="{texts.lang}"><head><meta charset="utf-8">'
        "<title>assess</title>\n"
        "<script>location.replace('voici/render/quiz.html' + location.search);</script>\n"
        '</head><body><p><a href="voici/render/quiz.html">'
        f"{escape(texts.joined('server.title'))}</a></p></body></html>\n",
        encoding="utf-8",
    )


def replace_directory(new: Path, old: Path) -> None:
    if old.exists():
        shutil.rmtree(old)
    shutil.move(str(new), str(old))


if __name__ == "__main__":
    raise SystemExit(main())
