"""Error-injection benchmark of the number checker (issue 3; method in docs/checker-benchmark.md).

    .venv/bin/python evals/checker/run.py [--seed 7] [--n 1000]

Modules: `documents` builds the clean documents (template drafts of examples/*.yaml and the seed's own
report text), `inject` makes single-error documents from them (pure, deterministic from a seed),
`oracle` finds ledger figures in a text without the checker (for tests and dry runs), `run` checks
everything and prints recall per category, false alarms and throughput.
"""
