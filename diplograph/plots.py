"""Charts of query results, written to PNG, SVG or PDF files (matplotlib, no display needed).

Each function takes the rows a query returned (``diplograph.analytics``) and a path;
the suffix picks the format. Figures are built with the object API (``Figure``), not
pyplot, so nothing global is kept between calls and no window is ever opened.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Sequence

import matplotlib

matplotlib.use("Agg")  # files only, even where a display exists

from matplotlib.figure import Figure  # noqa: E402  (after the backend is chosen)
from matplotlib.ticker import MaxNLocator  # noqa: E402

from diplograph.errors import DiplographError  # noqa: E402

FORMATS = (".png", ".svg", ".pdf")

# Quad classes from most cooperative to most hostile, with the colours the bars use.
QUAD_STYLE = (
    ("material_cooperation", "material cooperation", "#1a9850"),
    ("verbal_cooperation", "verbal cooperation", "#a6d96a"),
    ("verbal_conflict", "verbal conflict", "#fdae61"),
    ("material_conflict", "material conflict", "#d73027"),
)
CONTRADICTION_COLOUR = "#d62728"
MAX_SERIES = 6  # figure panels drawn at most; the rest would be unreadable
MAX_NODES = 60  # network nodes drawn at most, the most active


class PlotError(DiplographError):
    """A chart cannot be written: unknown format, nothing to draw, unwritable path."""


def plot_dyad(rows: Sequence[dict], path: str | Path, title: str = "") -> Path:
    """Stacked bars of events per quad class per period, and the net cooperation index as a line.

    rows (Sequence[dict]): ``dyad_series`` rows.
    RETURNS (Path): the file written.
    """
    path = _checked_path(path)
    if not rows:
        raise PlotError(f"{path}: nothing to draw (no dated events between these actors)")
    decade = str(rows[0]["period"]).endswith("s")
    width = 8 if decade else 0.8
    starts = [row["start"] for row in rows]
    figure = Figure(figsize=(10, 5), layout="constrained")
    axes = figure.add_subplot()
    bottom = [0] * len(rows)
    for key, label, colour in QUAD_STYLE:
        heights = [row.get(key, 0) for row in rows]
        axes.bar(starts, heights, width=width, bottom=bottom, label=label, color=colour, align="edge")
        bottom = [b + h for b, h in zip(bottom, heights)]
    axes.set_ylabel("events")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("decade" if decade else "year")
    net = figure.add_subplot(sharex=axes, frameon=False)
    net.yaxis.tick_right()
    net.yaxis.set_label_position("right")
    xs, ys = _broken_line(starts, [row["net_cooperation"] for row in rows], step=10 if decade else 1)
    net.plot([x + width / 2 for x in xs], ys, color="black", marker="o", linewidth=1.5, label="net cooperation")
    net.axhline(0, color="grey", linewidth=0.6, linestyle=":")
    net.set_ylim(-1.05, 1.05)
    net.set_ylabel("net cooperation (cooperation - conflict) / events")
    net.xaxis.set_visible(False)
    handles, labels = axes.get_legend_handles_labels()
    more_handles, more_labels = net.get_legend_handles_labels()
    axes.legend(handles + more_handles, labels + more_labels, loc="upper left", fontsize="small")
    axes.set_title(title)
    return _save(figure, path)


def plot_figures(points: Sequence[dict], path: str | Path, title: str = "") -> Path:
    """Each measure's values over time, one panel per measure and unit; contradictions in red.

    points (Sequence[dict]): ``figure_series`` points; undated ones cannot be placed and are skipped.
    RETURNS (Path): the file written.
    """
    path = _checked_path(path)
    series: dict[tuple, list] = defaultdict(list)
    for point in points:
        day = _day(point)
        if day is not None:
            series[(point["measure"] or "(no measure)", point["unit"])].append((day, point))
    if not series:
        raise PlotError(f"{path}: nothing to draw (no dated figures match)")
    keys = sorted(series, key=lambda key: -len(series[key]))[:MAX_SERIES]
    figure = Figure(figsize=(10, 3.2 * len(keys)), layout="constrained")
    for index, key in enumerate(keys):
        axes = figure.add_subplot(len(keys), 1, index + 1)
        _draw_series(axes, key, sorted(series[key], key=lambda item: item[0]))
    if title:
        figure.suptitle(title)
    return _save(figure, path)


def _draw_series(axes, key: tuple, items: list) -> None:
    measure, unit = key
    days = [day for day, _ in items]
    values = [point["value"] for _, point in items]
    axes.plot(days, values, color="#4c72b0", linewidth=1, marker="o", markersize=5, label="value")
    disputed = [(day, point) for day, point in items if point.get("contradiction")]
    if disputed:
        axes.scatter([day for day, _ in disputed], [point["value"] for _, point in disputed],
                     color=CONTRADICTION_COLOUR, s=60, zorder=3, label="sources disagree")
        for day, point in disputed:
            documents = ", ".join(dict.fromkeys(source["document"] for source in point.get("sources", [])))
            axes.annotate(f"{_short(point['value'])} ({documents})", (day, point["value"]),
                          textcoords="offset points", xytext=(6, 6), fontsize="x-small",
                          color=CONTRADICTION_COLOUR)
        axes.legend(loc="best", fontsize="small")
    axes.set_title(measure, fontsize="medium")
    axes.set_ylabel(unit)


def plot_network(network, path: str | Path, title: str = "") -> Path:
    """The actor graph: node size by events, edges coloured red (conflict) to green (cooperation).

    network (Network): what ``diplograph.analytics.network`` returned.
    RETURNS (Path): the file written.
    """
    import networkx as nx
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    path = _checked_path(path)
    if not network.edges:
        raise PlotError(f"{path}: nothing to draw (no events between two actors)")
    keep = {node["id"] for node in network.nodes[:MAX_NODES]}
    graph = network.to_networkx().subgraph(keep).copy()
    graph.remove_nodes_from([node for node in list(graph) if graph.degree(node) == 0])
    layout = nx.spring_layout(graph, seed=7, weight="weight")
    figure = Figure(figsize=(11, 9), layout="constrained")
    axes = figure.add_subplot()
    cmap, scale = colormaps["RdYlGn"], Normalize(vmin=-1, vmax=1)
    edges = list(graph.edges(data=True))
    nx.draw_networkx_edges(graph, layout, ax=axes, edgelist=[(a, b) for a, b, _ in edges],
                           edge_color=[cmap(scale(data["net_cooperation"])) for _, _, data in edges],
                           width=[0.8 + min(data["weight"], 20) * 0.3 for _, _, data in edges],
                           arrows=True, arrowsize=10, connectionstyle="arc3,rad=0.08")
    sizes = [120 + 40 * min(graph.nodes[node].get("events", 1), 60) for node in graph]
    nx.draw_networkx_nodes(graph, layout, ax=axes, node_size=sizes, node_color="#dddddd", edgecolors="#555555")
    nx.draw_networkx_labels(graph, layout, ax=axes, font_size=8,
                            labels={node: graph.nodes[node].get("name") or node for node in graph})
    colourbar = figure.colorbar(matplotlib.cm.ScalarMappable(norm=scale, cmap=cmap), ax=axes, shrink=0.6)
    colourbar.set_label("net cooperation (cooperation - conflict) / events")
    axes.set_axis_off()
    axes.set_title(title)
    return _save(figure, path)


def _broken_line(starts: list[int], values: list[float], step: int) -> tuple[list[float], list[float]]:
    """The points with a gap (NaN) between periods that are not adjacent: no line across silent years."""
    xs: list[float] = []
    ys: list[float] = []
    for index, (start, value) in enumerate(zip(starts, values)):
        if index and start - starts[index - 1] > step:
            xs.append(float("nan"))
            ys.append(float("nan"))
        xs.append(start)
        ys.append(value)
    return xs, ys


def _checked_path(path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise PlotError(f"{path}: a plot file ends in {', '.join(FORMATS)}")
    return path


def _save(figure: Figure, path: Path) -> Path:
    try:
        figure.savefig(path, dpi=120)
    except OSError as err:
        raise PlotError(f"{path}: cannot write the plot ({err.strerror or err})") from None
    return path


def _day(point: dict) -> dt.date | None:
    """Where a figure sits on the time axis: the middle of its date interval."""
    first, last = point.get("date_from"), point.get("date_to")
    if first and last:
        a, b = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
        return a + (b - a) / 2
    return dt.date.fromisoformat(first or last) if (first or last) else None


def _short(value: float) -> str:
    """6860000000 -> 6.86e+09 reads badly on a chart: 6.86 bn."""
    for size, suffix in ((1e12, " tn"), (1e9, " bn"), (1e6, " m")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.4g}"
