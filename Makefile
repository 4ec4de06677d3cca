# Two commands for a fresh machine with Python 3.11+ (and its venv module) and make:
#   make quiz   create .venv, install the package with what the quiz needs (`.[app,store]`: the
#               quiz, and saving to a local SQLite file), start the quiz (`assess serve`: Voilà
#               on http://127.0.0.1:8866/)
#   make test   create .venv, install the package with every extra and the test tools (`.[test]`,
#               and, as root, Debian's chromium), run every check and test, the browser tests too
#   make check  the quick round while editing (about a minute): lint, and every test that needs no
#               browser, server or PostgreSQL, with fewer Hypothesis examples; no static site
# and one for exploring: make lab (JupyterLab on notebooks/, http://127.0.0.1:8888/).
# The quiz as a static site (Python in the visitor's browser, no server): make site builds it
# into site/, make site-serve shows it on http://127.0.0.1:8000/ (see README, "Workshops").
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
STAMP := $(VENV)/.installed
LAB_STAMP := $(VENV)/.lab-installed
E2E := tests/e2e
AXE := $(E2E)/node_modules/axe-core/axe.min.js
# The data files compiled to JSON beside the YAML (ignored by git), as the wheel carries them, so
# that the quiz's kernels read them without a YAML parser (src/assess/datafiles/compiled.py).  An
# edited YAML file is recompiled here; until then the kernels parse it (the JSON no longer matches).
DATA_JSON := $(patsubst %.yaml,%.json,$(wildcard data/*/*.yaml))
COMPILE_DATA := $(BIN)/python src/assess/datafiles/compiled.py
# The static site (make site, below); variables here so that `test` can depend on it.
SITE_VENV := build/site-venv
SITE_TOOLS := $(SITE_VENV)/.installed
PYODIDE_CORE := sitebuild/node_modules/pyodide/pyodide.asm.wasm
SITE_BUILT := site/.built
SITE_PORT ?= 8000
SITE_INPUTS := pyproject.toml setup.py notebooks/quiz.ipynb sitebuild/build.py \
	sitebuild/jupyter-lite.json sitebuild/jupyter_lite_config.json \
	$(wildcard src/assess/hosting/jupyter/voila/templates/assess/*.j2) \
	$(shell find src data -type f \( -name '*.py' -o -name '*.yaml' -o -name '*.typed' \) 2>/dev/null)

.PHONY: quiz lab test check lint bench clean browser-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# What the quiz needs, saving included, and no test tools (no pandas either: that is `group`).
$(APP_STAMP): pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[app,store]'
	$(COMPILE_DATA) data
	touch $@

# Everything: every extra and the test tools (so the quiz's stamp holds too).
$(STAMP): pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(COMPILE_DATA) data
	touch $(APP_STAMP) $@

data/%.json: data/%.yaml
	$(COMPILE_DATA) $<

# The quiz as an installed package serves it (the notebook, voila.json and the page template ship
# in src/assess/hosting/; notebooks/quiz.ipynb links to the same notebook).
quiz: $(APP_STAMP) $(DATA_JSON)
	$(BIN)/assess serve

# JupyterLab is for exploring only, so it is not in the package's extras: installed on first use.
$(LAB_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet 'jupyterlab>=4.2'
	touch $@

lab: $(LAB_STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks --ServerApp.ip=127.0.0.1 --no-browser \
		$$([ "$$(id -u)" = 0 ] && echo --allow-root)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# What the browser tests (tests/e2e) need from the system: Debian's chromium, a Japanese font
# for readable screenshots, npm for axe-core, and poppler-utils (pdftotext, pdftoppm) to read
# the printed result.  As root (CI) whatever is missing is installed
# with apt-get; elsewhere this only warns, and the browser tests then fail saying what to install.
browser-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	fc-list :lang=ja 2>/dev/null | grep -q . || missing="$$missing fonts-ipafont-gothic"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "apt-get install$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing \
			|| echo "warning: could not install$$missing; the browser tests will fail" >&2; \
	else \
		echo "warning: missing$$missing (install as root: apt-get install$$missing);" \
			"the browser tests will fail" >&2; \
	fi

# axe-core, pinned by tests/e2e/package-lock.json.
$(AXE): $(E2E)/package.json $(E2E)/package-lock.json | browser-deps
	cd $(E2E) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

test: lint browser-deps $(AXE) $(DATA_JSON) $(SITE_BUILT)
	$(BIN)/pytest

# What `make test` leaves to the slower run: the markers of pyproject.toml (slow, browser, server,
# database), and Hypothesis's full example counts (the `dev` profile of tests/conftest.py tries a
# tenth; ASSESS_HYPOTHESIS_PROFILE=ci make check tries them all).
QUICK_TESTS := not slow and not browser and not server and not database
ASSESS_HYPOTHESIS_PROFILE ?= dev
# Bytecode is written even where PYTHONDONTWRITEBYTECODE is set: collecting the tests from cached
# bytecode saves about 3 s of every check.
check: lint $(DATA_JSON)
	PYTHONDONTWRITEBYTECODE= ASSESS_HYPOTHESIS_PROFILE=$(ASSESS_HYPOTHESIS_PROFILE) \
		$(BIN)/pytest -q -m "$(QUICK_TESTS)"

bench: $(STAMP)
	$(BIN)/python benchmarks/cohort_scoring.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis $(E2E)/node_modules artifacts \
		$(DATA_JSON)

# The facilitator's view (facilitator/cohort.ipynb) on a Voilà of its own, never the quiz's: on
# this machine only (127.0.0.1:8867), and only with a token.  The token is $JUPYTER_TOKEN when set
# (JUPYTER_TOKEN=$(openssl rand -hex 24) make facilitator), else a new random one; the link to open,
# with the token, is printed once to the terminal (never to the log, which drops query strings).
# The result store is $ASSESS_DATABASE_URL, else the local SQLite file.  Run through
# assess.hosting.guard: the login slows down after failed tokens, the Host header is checked.
# The page template's scripts say their words (data/i18n/page.yaml) through assess_page_texts.
# The notebook's one cell is given 30 s (it takes 1-15 s, on a busy machine too): now and then
# Voilà misses the kernel's reply and would wait for it for ever, and a bounded wait looks again
# (and finds it) when the time is up, so the page comes within those 30 s instead of never.
FACILITATOR_PORT ?= 8867
FACILITATOR_CELL_TIMEOUT ?= 30
.PHONY: facilitator
facilitator: $(STAMP)
	JUPYTER_PATH=$(CURDIR)/src/assess/hosting/jupyter $(BIN)/python -m assess.app.facilitator_server \
		facilitator/cohort.ipynb --token --AssessGuard.kernel_memory_mb=4000 \
		--VoilaConfiguration.template=assess --VoilaConfiguration.strip_sources=True \
		--VoilaConfiguration.show_tracebacks=False --VoilaExecutor.iopub_timeout=60 \
		--VoilaExporter.filters=assess_page_texts=assess.hosting.page_texts.assess_page_texts \
		--VoilaExecutor.timeout=$(FACILITATOR_CELL_TIMEOUT) \
		--Voila.ip=127.0.0.1 --port=$(FACILITATOR_PORT) --Voila.port_retries=0 --no-browser

# The static quiz (README, "Workshops: one link, no server"): the same notebook and code, run by
# Pyodide in the visitor's browser.  Built from the registries only, with its own pinned tools
# (sitebuild/requirements-build.txt) and Pyodide's core from npm (sitebuild/package-lock.json);
# rebuilt when the code, the data or the build changes.  site-serve sends the gzip copies the
# build writes beside the files to browsers that accept them (sitebuild/serve.py), on 127.0.0.1.
.PHONY: site site-serve

$(SITE_TOOLS): sitebuild/requirements-build.txt
	$(PYTHON) -m venv $(SITE_VENV)
	$(SITE_VENV)/bin/python -m pip install --quiet -r sitebuild/requirements-build.txt
	touch $@

$(PYODIDE_CORE): sitebuild/package.json sitebuild/package-lock.json | browser-deps
	cd sitebuild && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(SITE_BUILT): $(SITE_TOOLS) $(PYODIDE_CORE) sitebuild/requirements-kernel.txt $(SITE_INPUTS)
	$(SITE_VENV)/bin/python sitebuild/build.py --output site
	touch $@

site: $(SITE_BUILT)

site-serve: $(SITE_BUILT)
	@echo "The quiz: http://127.0.0.1:$(SITE_PORT)/ (English: http://127.0.0.1:$(SITE_PORT)/?lang=en)"
	$(PYTHON) sitebuild/serve.py --directory site --port $(SITE_PORT)
