"""What each element costs per file: analysis time with only that element enabled, minus the
time with none, on the benchmark's 5,000-line Python, TypeScript and Java files.

    python benchmarks/element_costs.py [--lines 5000] [--top 20] [--repeat 3]

Every element runs on every file of a scan and on every keystroke in the editor, so an
element's cost is paid everywhere; this names the expensive ones.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from lsp import java_source, python_source, typescript_source  # noqa: E402

from cpt.engine.analysis import Analyzer  # noqa: E402
from cpt.engine.catalog import builtin_catalog  # noqa: E402
from cpt.engine.config import Settings  # noqa: E402
from cpt.engine.languages import LANGUAGES  # noqa: E402


def timed(analyzer: Analyzer, data: bytes, language: str, settings: Settings, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        analyzer.analyze(data, "bench", LANGUAGES[language], settings)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    catalog = builtin_catalog()
    analyzer = Analyzer(catalog)
    sources = {"python": python_source(args.lines), "typescript": typescript_source(args.lines),
               "java": java_source(args.lines)}
    costs: dict[str, dict[str, float]] = {element.id: {} for element in catalog}
    for language, text in sources.items():
        data = text.encode()
        analyzer.analyze(data, "bench", LANGUAGES[language], Settings())  # warm caches
        base = timed(analyzer, data, language, Settings(select=[]), args.repeat)
        full = timed(analyzer, data, language, Settings(), args.repeat)
        print(f"{language:<11} {args.lines} lines: no element {base * 1000:7.1f} ms, "
              f"all {len(catalog.elements)} elements {full * 1000:7.1f} ms "
              f"({full / base:.1f}x)")
        for element in catalog:
            alone = timed(analyzer, data, language, Settings(select=[element.id]), args.repeat)
            costs[element.id][language] = max(alone - base, 0.0)
    ranked = sorted(costs.items(), key=lambda item: -sum(item[1].values()))
    print(f"\n{'element':<28}" + "".join(f"{language:>12}" for language in sources))
    for element_id, by_language in ranked[:args.top]:
        print(f"{element_id:<28}" + "".join(f"{by_language.get(language, 0) * 1000:10.1f}ms"
                                             for language in sources))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
