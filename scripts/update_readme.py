"""Rewrite the README's "Accuracy" and "Speed" sections from the JSON that the eval and benchmark commands wrote.

The sections live between ``<!-- accuracy:start -->``/``<!-- accuracy:end -->`` and ``<!-- speed:start -->``/
``<!-- speed:end -->``; everything else in the README is left as it is. Each section states the date, the machine
and the exact command its figures came from, so they cannot drift from what the code does.

    marsad eval ../shared/examples/ --format json > eval-examples.json
    marsad eval ../shared/data/up-arabic-gsr/dev.jsonl --format json > eval-gsr.json
    python benchmarks/throughput.py --json benchmarks/results/throughput.json
    python scripts/update_readme.py --eval eval-examples.json --eval eval-gsr.json \\
        --speed benchmarks/results/throughput.json
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SECTIONS = ("accuracy", "speed")


class UpdateError(RuntimeError):
    pass


def _num(x: Any, digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _metric_text(name: str, m: dict[str, Any]) -> str:
    if "f1" in m:
        return (f"{name} P {_num(m['precision'])} R {_num(m['recall'])} F1 {_num(m['f1'])} "
                f"({m['gold_found']}/{m['gold']})")
    return f"{name} {_num(m['value'])} ({m['hits']}/{m['total']})"


def _gold_name(path: str) -> str:
    # Developer data sits beside the repository: show it as ../shared/… whatever the absolute path was.
    p = path.replace("\\", "/")
    i = p.find("/shared/")
    return "../" + p[i + 1:] if i >= 0 else p


def _command(command: str) -> str:
    return re.sub(r"\S*/shared/", "../shared/", command)


def accuracy_section(runs: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for run in runs:
        for key in ("date", "command", "reports"):
            if key not in run:
                raise UpdateError(f"eval JSON lacks {key!r}: write it with `marsad eval … --format json`")
        m = run.get("machine") or {}
        stages = " → ".join(run.get("pipeline") or {}) or "unknown"
        lines.append(f"`{_command(run['command'])}` — {run['date'][:10]}, {m.get('cores', '?')} cores, {m.get('cpu', '?')}; "
                     f"pipeline: {stages}")
        lines.append("")
        lines.append("| gold | layer | score | details |")
        lines.append("|---|---|---|---|")
        for report in run["reports"]:
            notes = [n for n in report.get("notes", []) if not n.startswith("skipped")]
            what = [f"{report['documents']} {report['format']}", *notes]
            gold = f"{_gold_name(report['gold'])} ({'; '.join(what)})"
            for layer, result in report["layers"].items():
                primary = result["primary"]
                score = _num(result["score"])
                if result["status"] != "ok":
                    score += " (not produced)"
                details = "; ".join(_metric_text(n, mm) for n, mm in result["metrics"].items() if n != primary and "/" not in n)
                lines.append(f"| {gold} | {layer} | {primary} {score} | {details} |")
                gold = ""
        lines.append("")
    lines.append("Scores are defined in [`docs/evaluation.md`](docs/evaluation.md); `--errors` lists every mismatch.")
    return "\n".join(lines)


def speed_section(f: dict[str, Any]) -> str:
    for key in ("date", "command", "machine", "single_process", "multi_process", "goals"):
        if key not in f:
            raise UpdateError(f"benchmark JSON lacks {key!r}: write it with `python benchmarks/throughput.py --json OUT`")
    m, one = f["machine"], f["single_process"]
    lines = [
        f"`{_command(f['command'])}` — {f['date'][:10]}, {m['cores']} cores, {m['cpu']}, Python {m['python']}; "
        f"{f['articles']:,} articles, {f['words']:,} words ({', '.join(f['corpora'])}); "
        f"pipeline: {' → '.join(f['stages'])}",
        "",
        "| figure | value | goal | verdict |",
        "|---|---|---|---|",
    ]
    g = f["goals"]
    lines.append(f"| words/s per core (1 process) | {one['words_per_s']:,} | ≥ {g['words_per_s_per_core']['goal']:,} | "
                 f"{g['words_per_s_per_core']['verdict']} |")
    lines.append(f"| full pipeline / bare clean+sentences+tokens | {f['full_over_bare']} | ≤ {g['full_over_bare']['goal']} | "
                 f"{g['full_over_bare']['verdict']} |")
    lines.append(f"| peak resident memory per worker | {f['peak_rss_worker_mb']} MB | ≤ {g['peak_rss_mb']['goal']:.0f} MB | "
                 f"{g['peak_rss_mb']['verdict']} |")
    for run in f["multi_process"]:
        lines.append(f"| {run['processes']} process(es): articles/s per core · words/s per core | "
                     f"{run['articles_per_s_per_core']} · {run['words_per_s_per_core']:,} | | "
                     f"peak RSS {run['peak_rss_total_mb']} MB in all |")
    lines += ["", "| stage | seconds (1 process) | share |", "|---|---|---|"]
    total = one["full_seconds"] or 1.0
    for stage, seconds in sorted(one["stage_seconds"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| {stage} | {seconds:.2f} | {100 * seconds / total:.1f} % |")
    return "\n".join(lines)


def replace_section(readme: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if len(pattern.findall(readme)) != 1:
        raise UpdateError(f"the README must hold exactly one {start} … {end} pair")
    return pattern.sub(lambda _: f"{start}\n{body.strip()}\n{end}", readme)


def _load(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UpdateError(f"{path}: {exc}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval", dest="evals", action="append", type=Path, default=[],
                        help="JSON written by `marsad eval … --format json` (repeatable)")
    parser.add_argument("--speed", type=Path, help="JSON written by `benchmarks/throughput.py --json`")
    parser.add_argument("--readme", type=Path, default=REPO / "README.md")
    parser.add_argument("--check", action="store_true", help="only say whether the README is up to date (exit 1 if not)")
    args = parser.parse_args(argv)
    if not args.evals and not args.speed:
        parser.error("give --eval and/or --speed")
    try:
        readme = args.readme.read_text(encoding="utf-8")
        updated = readme
        if args.evals:
            updated = replace_section(updated, "accuracy", accuracy_section([_load(p) for p in args.evals]))
        if args.speed:
            updated = replace_section(updated, "speed", speed_section(_load(args.speed)))
    except UpdateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        print("README is up to date" if updated == readme else "README differs from the JSON figures")
        return 0 if updated == readme else 1
    if updated != readme:
        args.readme.write_text(updated, encoding="utf-8")
    print(f"{args.readme}: {'updated' if updated != readme else 'already up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
