# Two commands do everything: `make book` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: book test grader lab labs lint format serve clean postgres-server shared-space private-space rtc-screenshots
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

## make test: set up and run every test
test: $(STAMP) /usr/bin/chromium /usr/bin/bwrap postgres-server
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n 2 --dist loadfile

## make lab: open JupyterLab on the labs (a private space: collaboration off)
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --notebook-dir=labs --YDocExtension.disable_rtc=True

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
