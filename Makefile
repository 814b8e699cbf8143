# Benchmarks (issue 5). See benchmarks/README.md for what each figure means.
#   make bench         macro benchmark: cat, rg, zhibiao -j1 / -jN on the same files
#   make bench-peers   the same, plus chinese2digits and JioNLP on a 2 MB slice (pip)
#   make bench-micro   per-stage micro benchmarks (ordo-one/benchmark, benchmarks/micro)
# BENCH_ARGS passes options to benchmarks/bench.sh, e.g. make bench BENCH_ARGS="--runs 9 --large".
#   make release       the binary to install: the Swift runtime and FoundationEssentials linked
#                      in (--static-swift-stdlib), so each start skips their dynamic linking

.PHONY: bench bench-peers bench-micro release

release:
	swift build -c release --static-swift-stdlib --scratch-path .build-static
	@echo "built .build-static/release/zhibiao"

bench:
	benchmarks/bench.sh $(BENCH_ARGS)

bench-peers:
	benchmarks/bench.sh --peers $(BENCH_ARGS)

bench-micro:
	cd benchmarks/micro && swift package --allow-writing-to-package-directory benchmark $(MICRO_ARGS)

# Fuzzing (issue 14): builds fuzz/ with address sanitizer and libFuzzer, seeds the corpus from
# patterns/*.examples.tsv and runs for FUZZ_SECONDS (default 600). See fuzz/README.md.
FUZZ_SECONDS ?= 600
.PHONY: fuzz
fuzz:
	fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_ARGS)
