# Two commands do everything: `make book` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: book test grader lab labs lint format serve clean postgres-server shared-space private-space \
        rtc-screenshots hub hub-setup hub-screenshots
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

## make book: set up and build the website into _build/html
book: $(STAMP)
	$(BIN)/jupyter-book build . --warningiserror --keep-going
	@echo "Open _build/html/index.html"

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads one)
/usr/bin/chromium:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

# bubblewrap: the operating-system sandbox every kernel the grader runs goes into
/usr/bin/bwrap:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq bubblewrap

## make grader: set up for grading a class (the environment and the sandbox)
grader: $(STAMP) /usr/bin/bwrap
	@echo "Ready: .venv/bin/python -m autograder grade SUBMISSIONS --out OUT"

# A PostgreSQL server for the gradebook test (the tests start their own, on 127.0.0.1)
postgres-server:
	@ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql; }

# The class hub's tools: bubblewrap (the learners' sandbox) from Debian, and JupyterHub's
# proxy from npm (with Debian's Node.js if there is none); each only when missing
hub-setup:
	@command -v bwrap >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq bubblewrap; }
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }
	@command -v configurable-http-proxy >/dev/null || \
	  $(SUDO) npm install --global --no-fund --no-audit configurable-http-proxy@$(CHP_VERSION)

## make hub: a JupyterHub for the class on http://127.0.0.1:8000 (root: it makes accounts)
ROSTER ?= class_hub/example-roster.csv
CHP_VERSION := 5.3.0
hub: $(STAMP) hub-setup
	$(SUDO) $(BIN)/python -m class_hub start --roster $(ROSTER)

## make hub-screenshots: retake the book's class-hub screenshots
hub-screenshots: $(STAMP) /usr/bin/chromium hub-setup
	UPDATE_BOOK_SCREENSHOTS=1 $(BIN)/python -m pytest -p no:xdist tests/test_hub_class.py

## make test: set up and run every test
test: $(STAMP) /usr/bin/chromium /usr/bin/bwrap postgres-server hub-setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n 3 --dist loadscope --no-loadscope-reorder --durations=25

## make lab: open JupyterLab on your own copy of the labs, my-labs/ (a private space)
lab: $(STAMP)
	$(BIN)/python -m labkit.workspace

## make shared-space / make private-space: real-time collaboration on this machine
shared-space: $(STAMP)
	$(BIN)/python -m shared_space

private-space: $(STAMP)
	$(BIN)/python -m shared_space --private

## make rtc-screenshots: retake the book's collaboration screenshots
rtc-screenshots: $(STAMP) /usr/bin/chromium
	UPDATE_BOOK_SCREENSHOTS=1 $(BIN)/python -m pytest -p no:xdist tests/test_shared_space.py

## make serve: one local Studio (moto server + extension) for several notebooks
serve: $(STAMP)
	$(BIN)/python -m studio_mock serve

## make labs: regenerate labs/ (the learners' release) from solutions/
labs: $(STAMP)
	$(BIN)/python -m autograder release

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf _build .pytest_cache
