"""Run every benchmark and print its figures."""

from benchmarks import vault_bench

if __name__ == "__main__":
    vault_bench.main()
