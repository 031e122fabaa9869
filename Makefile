# Two entry points: `make demo` runs tde on the shipped example, `make test` runs every check.
# Each sets up what it needs in .venv first, so both work on a fresh clone.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   ?= $(CURDIR)/build/demo

.PHONY: demo test lint typecheck pytest bench bench-find bench-feedback clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Editable install with the test tools; redone when pyproject.toml changes. Dependencies come
# at the newest release pyproject.toml allows (typer included), so `make test` runs the suite on
# them; `make test-min` runs it on the oldest.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[test]'
	touch $@

# The demo runs on a day of the example's story (its revised plan is out for comment until
# 2026-09-25), so that validate is as clean as the example is; set SOURCE_DATE_EPOCH to see another.
demo: export SOURCE_DATE_EPOCH ?= 1790000000  # tests/conftest.py STORY_DAY
demo: $(VENV)/.installed
	@rm -rf "$(DEMO)"
	$(BIN)/tde init "$(DEMO)" --example --no-git
	cd "$(DEMO)" && git init --quiet && git add -A \
	  && git -c user.name="Riverton Open Data" -c user.email=opendata@example.org commit --quiet -m "Example project"
	$(BIN)/tde --project "$(DEMO)" list
	$(BIN)/tde --project "$(DEMO)" find
	$(BIN)/tde --project "$(DEMO)" validate
	$(BIN)/tde --project "$(DEMO)" score
	$(BIN)/tde --project "$(DEMO)" status
	$(BIN)/tde --project "$(DEMO)" render plan --format html -o "$(DEMO)/plan.html"
	$(BIN)/tde --project "$(DEMO)" render plan eviction-filings-release-plan-es --format html \
	  -o "$(DEMO)/eviction-filings-release-plan-es.html"
	cp "$(DEMO)/plan.html" "$(DEMO)/eviction-filings-release-plan.html"
	$(BIN)/tde --project "$(DEMO)" render plan --format docx -o "$(DEMO)/plan.docx"
	@# The PDF needs a Chromium or Chrome; tde looks for one as it would to print.
	@if $(BIN)/python -c 'import sys; from tdekit.publish.printing import find_browser; sys.exit(find_browser() is None)'; then \
	  echo '$(BIN)/tde --project "$(DEMO)" render plan --format pdf -o "$(DEMO)/plan.pdf"'; \
	  $(BIN)/tde --project "$(DEMO)" render plan --format pdf -o "$(DEMO)/plan.pdf"; \
	else echo "No Chromium or Chrome found: no plan.pdf (see docs/pdf-and-word.md)"; fi
	$(BIN)/tde --project "$(DEMO)" render cards -o "$(DEMO)/cards.html"
	$(BIN)/tde --project "$(DEMO)" render report building-violation-history --format html -o "$(DEMO)/report.html"
	@echo
	@echo "The rendered plan is at $(DEMO)/plan.html (and plan.docx$$(test -f "$(DEMO)/plan.pdf" && echo ', plan.pdf') beside it); the workshop cards at $(DEMO)/cards.html"
	@echo "The plan in Spanish is at $(DEMO)/eviction-filings-release-plan-es.html"
	@echo "The report of the implemented cycle is at $(DEMO)/report.html"

# The message catalogs (src/tdekit/locale/*/LC_MESSAGES/tdekit.po) brought up to date with the
# words the templates and the code use; new messages come in untranslated (docs/translating.md).
messages: $(VENV)/.installed
	$(BIN)/python -m tdekit.catalogs

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests benchmarks

typecheck: $(VENV)/.installed
	$(BIN)/mypy

# axe-core and the Nu Html Checker for tests/test_accessibility.py, from the npm registry at the
# versions package-lock.json pins (and Java to run the checker); redone when either file changes.
node_modules/.installed: package.json package-lock.json
	bash scripts/ensure-checkers

pytest: $(VENV)/.installed node_modules/.installed
	bash scripts/ensure-chromium
	$(BIN)/pytest

test: lint typecheck pytest

# The tests against the lowest versions pyproject.toml allows, in a throwaway venv; with
# PYTHON=python3.10 on the oldest Python it allows too.
.PHONY: test-min
test-min:
	PYTHON="$(PYTHON)" bash scripts/check-minimum-versions

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py

# tde find requests on a generated 1,000,000-row 311 log, against csv merely reading it.
bench-find: $(VENV)/.installed
	$(BIN)/python benchmarks/find_requests.py

# tde feedback import of a generated 1,000-row form export (goal: under 2 s).
bench-feedback: $(VENV)/.installed
	$(BIN)/python benchmarks/feedback_import.py

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache test-artifacts
