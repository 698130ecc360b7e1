"""The results as a Markdown table, written into README.md between the bench markers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.results import Figure

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
ORDER = ("generator", "train", "batch", "latency", "http")


class MarkersMissing(Exception):
    pass


def _short(machine: dict[str, Any]) -> str:
    return f"{machine['cores']} cores, {machine['memory_gb']} GB"


def _met(figure: Figure) -> str:
    return {True: "met", False: "**missed**", None: ""}[figure.met]


def render(data: dict[str, Any]) -> str:
    """The table (one row per figure, each with its machine) and the machine in full."""
    sections = data.get("sections", {})
    names = [name for name in ORDER if name in sections]
    names += [name for name in sections if name not in ORDER]
    lines = ["| bench | figure | measured | target | | machine |",
             "|---|---|---:|---|---|---|"]
    for name in names:
        section = sections[name]
        machine = section["machine"]
        for raw in section["figures"]:
            figure = Figure(**raw)
            shown = figure.display()
            if figure.note and figure.value is not None:
                shown += f" ({figure.note})"
            label = figure.label if section["mode"] == "full" else f"{figure.label} (quick)"
            shown = shown.replace("|", "\\|")
            lines.append(f"| {name} | {label} | {shown} | {figure.target or ''} | "
                         f"{_met(figure)} | {_short(machine)} |")
    return "\n".join([*lines, "", *_footer({name: sections[name] for name in names})])


def _footer(sections: dict[str, dict[str, Any]]) -> list[str]:
    """The machine in full, once per distinct machine, with commits and load per bench."""
    lines = []
    by_machine: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for name, section in sections.items():
        by_machine.setdefault(_hardware(section["machine"]), []).append((name, section))
    for hardware, group in by_machine.items():
        runs = "; ".join(
            f"{name} {s['measured_at'][:16].replace('T', ' ')} UTC at "
            f"{(s['machine'].get('git_commit') or 'unknown')[:10]}"
            f"{'+' if s['machine'].get('git_dirty') else ''}, load "
            f"{s['machine'].get('load_average_1m', '?')}-"
            f"{s['machine'].get('load_average_1m_end', '?')}" for name, s in group)
        lines.append(f"Machine: {hardware}. Runs: {runs} (commit, `+` = with uncommitted "
                     "changes; 1-minute load average at start and end, other work "
                     "included).")
    return lines


def _hardware(machine: dict[str, Any]) -> str:
    packages = machine.get("packages", {})
    return (f"{machine['cores']} cores, {machine['memory_gb']} GB RAM, {machine['cpu_model']}, "
            f"{machine.get('os', '')}, Python {machine['python']}, numpy "
            f"{packages.get('numpy')}, scikit-learn {packages.get('scikit-learn')}, MLflow "
            f"{packages.get('mlflow')}, FastAPI {packages.get('fastapi')}, uvicorn "
            f"{packages.get('uvicorn')}")


def update(data: dict[str, Any], path: Path = README) -> None:
    """Replace what lies between the markers; refuse if they are missing."""
    text = path.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise MarkersMissing(f"{path}: add {START} and {END} where the table should go")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{START}\n{render(data)}\n{END}{tail}", encoding="utf-8")
