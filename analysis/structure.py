"""Reply-graph structure of a thread: size, depth, width, branching, reciprocity, h-index, virality."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from analysis.schemas import METRICS_SCHEMA, POST_STRUCTURE_SCHEMA, REPAIRS_SCHEMA
from threads.model import Thread

EDGE_KINDS = ("quote", "reply", "inferred")
# The first parent is the one the tree follows: a declared reply beats a quote, a quote beats a
# guess, because the reader's own markup is the strongest evidence of what a post answers.
_KIND_PRIORITY = {"reply": 0, "quote": 1, "inferred": 2}

# Exact definitions, one per metric; they fill the `definition` column and are the docs' source.
DEFINITIONS: dict[str, str] = {
    "size": "number of posts in the thread",
    "participants": "distinct non-empty author names (exact string match); posts without an author "
    "are not counted here but in anonymous_posts",
    "anonymous_posts": "posts whose author is missing or empty",
    "links": "distinct (post, earlier post) pairs joined by at least one edge of the selected kinds "
    "(edges to missing posts, to the post itself or to a later post are dropped; see repair_report)",
    "roots": "posts with no link to an earlier post (the first post, plus every orphan)",
    "depth_max": "largest depth; a post's depth is the number of first-parent steps to its root "
    "(roots are 0); the first parent is the linked earlier post of the best kind "
    "(reply, then quote, then inferred), the latest such post on ties",
    "depth_mean": "mean depth over all posts",
    "width_max": "largest number of posts at one depth (roots included, at depth 0)",
    "branching_mean": "mean number of children over posts with at least one child; a post's children "
    "are the distinct later posts linking to it",
    "branching_max": "largest number of children of one post",
    "multi_parent_posts": "posts linking to two or more distinct earlier posts",
    "leaves": "posts that no later post links to",
    "root_dominance": "share of posts after the first that link directly to the first post "
    "(null when the thread has one post)",
    "reciprocity": "share of directed author pairs (A, B), A != B, where a post by A links to a post by "
    "B, for which B also links to A (null when no such pair exists)",
    # Checked (2026-11-22): a thread-metrics data description from the same research line
    # (Kaltenbrunner et al., Wikipedia talk-page threads) defines tree_hindex as "maximum number h
    # such that there are at least h comments at depth h": per level, exactly h, not h or deeper.
    # The paper itself (WWW 2008, radial trees by nesting level) was found in the search corpus,
    # but not the passage with its formula.
    "h_index": "Gómez, Kaltenbrunner & López (WWW 2008): the largest h >= 1 such that at least h posts "
    "sit at depth exactly h (each depth counted on its own, not h or deeper: a chain of three "
    "replies has h-index 1); 0 when no post has a parent",
    "structural_virality": "Goel, Anderson, Hofman & Watts (Management Science 62(1), 2016): mean "
    "shortest-path distance over all pairs of distinct posts of the first-parent tree that holds the "
    "first post, computed as sum over its edges of s*(n-s) / (n*(n-1)/2), s the subtree size below the edge "
    "(null when that tree has fewer than 2 posts)",
    "quoted_posts": "posts that at least one other post quotes (a quote edge to it)",
    "max_quoted_by": "largest number of distinct posts quoting one post",
    "first_reply_seconds": "seconds from the first post to the earliest dated post linking to it "
    "(null without dates or replies)",
    "median_first_reply_seconds": "median over posts with at least one dated child of the seconds from "
    "the post to its earliest child (null without dates)",
}


@dataclass(frozen=True, slots=True)
class _Graph:
    """The repaired reply graph: indices are 0-based positions, every link points to an earlier post."""

    parents: list[list[int]]  # distinct, first parent first
    children: list[list[int]]
    quoted_by: list[int]


def structure_metrics(thread: Thread, *, kinds: Sequence[str] = EDGE_KINDS) -> pl.DataFrame:
    """Summarize the reply graph of a thread, one row per metric with its exact definition.

    Links are the thread's edges of the selected kinds, repaired: edges whose ends are missing, that
    point to the post itself, or that point to a later post are dropped (`repair_report` lists them),
    so the graph is acyclic and every depth is well defined. `DEFINITIONS` states what each metric
    counts: size, participants, anonymous_posts, links, roots, depth_max, depth_mean, width_max,
    branching_mean, branching_max, multi_parent_posts, leaves, root_dominance, reciprocity,
    h_index, structural_virality, quoted_posts, max_quoted_by, first_reply_seconds,
    median_first_reply_seconds. Linear in posts plus edges.

    Args:
        thread: the thread.
        kinds: edge kinds that count as links (any of "quote", "reply", "inferred").

    Returns:
        A frame with `METRICS_SCHEMA`, rows in the order of `DEFINITIONS`; undefined values are null.

    Raises:
        ValueError: a kind is not one of `EDGE_KINDS`.
    """
    graph = _graph(thread, kinds)
    size = len(thread.posts)
    authors = [post.author.strip() if post.author else "" for post in thread.posts]
    depths = _depths(graph)
    per_depth = Counter(depths)
    child_counts = [len(children) for children in graph.children]
    branching = [count for count in child_counts if count]
    values: dict[str, float | None] = {
        "size": size,
        "participants": len({author for author in authors if author}),
        "anonymous_posts": sum(1 for author in authors if not author),
        "links": sum(child_counts),
        "roots": sum(1 for parents in graph.parents if not parents),
        "depth_max": max(depths, default=None),
        "depth_mean": statistics.fmean(depths) if depths else None,
        "width_max": max(per_depth.values(), default=None),
        "branching_mean": statistics.fmean(branching) if branching else None,
        "branching_max": max(child_counts, default=None),
        "multi_parent_posts": sum(1 for parents in graph.parents if len(parents) > 1),
        "leaves": sum(1 for count in child_counts if count == 0),
        "root_dominance": len(graph.children[0]) / (size - 1) if size > 1 else None,
        "reciprocity": _reciprocity(graph, authors),
        "h_index": max(
            (depth for depth, count in per_depth.items() if depth >= 1 and count >= depth), default=0
        ),
        "structural_virality": _structural_virality(graph),
        "quoted_posts": sum(1 for count in graph.quoted_by if count),
        "max_quoted_by": max(graph.quoted_by, default=None),
        **_reply_times(thread, graph),
    }
    rows = [
        (name, None if values[name] is None else float(values[name] or 0), definition)
        for name, definition in DEFINITIONS.items()
    ]
    return pl.DataFrame(rows, schema=METRICS_SCHEMA, orient="row")


def post_structure(thread: Thread, *, kinds: Sequence[str] = EDGE_KINDS) -> pl.DataFrame:
    """Place every post in the reply graph: depth, parents, children, and how many posts quote it.

    `depth` counts first-parent steps to a root (see `DEFINITIONS["depth_max"]`); `parents` and
    `children` count distinct linked earlier / later posts over edges of the selected kinds (repaired
    as in `structure_metrics`); `quoted_by` counts distinct other posts with a quote edge to it,
    whatever `kinds` selects.

    Args:
        thread: the thread.
        kinds: edge kinds that count as links.

    Returns:
        One row per post in thread order, with `POST_STRUCTURE_SCHEMA`.

    Raises:
        ValueError: a kind is not one of `EDGE_KINDS`.
    """
    graph = _graph(thread, kinds)
    depths = _depths(graph)
    return pl.DataFrame(
        {
            "post_id": [post.id for post in thread.posts],
            "position": [post.position for post in thread.posts],
            "author": [post.author for post in thread.posts],
            "depth": depths,
            "parents": [len(parents) for parents in graph.parents],
            "children": [len(children) for children in graph.children],
            "quoted_by": graph.quoted_by,
        },
        schema=POST_STRUCTURE_SCHEMA,
    )


def most_quoted(thread: Thread, *, top: int = 10, kinds: Sequence[str] = EDGE_KINDS) -> pl.DataFrame:
    """The posts quoted by the most distinct other posts, most quoted first.

    Args:
        thread: the thread.
        top: how many posts to return at most.
        kinds: edge kinds that count as links for the depth, parents and children columns.

    Returns:
        Up to `top` rows of `post_structure` with `quoted_by >= 1`, by `quoted_by` descending, then
        thread order.

    Raises:
        ValueError: a kind is not one of `EDGE_KINDS`, or `top` is negative.
    """
    if top < 0:
        raise ValueError(f"top must be >= 0, got {top}")
    frame = post_structure(thread, kinds=kinds)
    return (
        frame.filter(pl.col("quoted_by") > 0)
        .sort(["quoted_by", "position"], descending=[True, False])
        .head(top)
    )


def repair_report(thread: Thread) -> pl.DataFrame:
    """List what had to be repaired or could not be linked in the thread's reply graph; never raises.

    Problems, one row each:
    - `missing_post`: an edge, or a quote's source, names a post id that is not in the thread;
    - `self_quote`: an edge from a post to itself, or a quote whose source is the quoting post;
    - `later_target`: an edge from a post to a later post (dropped: links must point back in time);
    - `cycle`: posts that edges join into a directed cycle (one row per cycle, at its earliest post;
      the detail lists up to 10 members); such cycles always contain a `later_target` edge;
    - `orphan`: a post after the first that no edge links to an earlier post (it becomes a root);
    - `unattributed_quote`: a quote whose source post was not found (the detail names the author
      the source declared, if any);
    - `time_order`: a post dated before a post it links to.

    Args:
        thread: the thread, possibly built by hand with inconsistent edges.

    Returns:
        A frame with `REPAIRS_SCHEMA`, grouped by problem in the order above, then thread order.
    """
    index = {post.id: position for position, post in enumerate(thread.posts)}
    found: dict[str, list[tuple[str | None, str]]] = {
        name: [] for name in ("missing_post", "self_quote", "later_target", "cycle", "orphan")
    }
    found |= {"unattributed_quote": [], "time_order": []}
    successors: list[list[int]] = [[] for _ in thread.posts]
    linked_back = [False] * len(thread.posts)
    for edge in thread.edges:
        label = f"{edge.kind} edge {edge.src} -> {edge.dst}"
        src, dst = index.get(edge.src), index.get(edge.dst)
        if src is None or dst is None:
            missing = " and ".join(repr(name) for name in (edge.src, edge.dst) if name not in index)
            found["missing_post"].append(
                (edge.src if src is not None else None, f"{label}: {missing} not in the thread")
            )
            continue
        if src == dst:
            found["self_quote"].append((edge.src, f"{label}: a post linked to itself"))
            continue
        successors[src].append(dst)
        if dst > src:
            found["later_target"].append((edge.src, f"{label}: target is later in the thread; dropped"))
            continue
        linked_back[src] = True
        before, after = thread.posts[dst].created_at, thread.posts[src].created_at
        if before is not None and after is not None and after < before:
            found["time_order"].append((edge.src, f"{label}: dated {after.isoformat()}, before its target"))
    for quote in thread.quotes:
        source = quote.source_post_id
        if source is None:
            author = f" (declared author {quote.quoted_author!r})" if quote.quoted_author else ""
            detail = f"quote at {quote.start}-{quote.end} has no source post{author}"
            found["unattributed_quote"].append((quote.post_id, detail))
        elif source == quote.post_id:
            found["self_quote"].append(
                (quote.post_id, f"quote at {quote.start}-{quote.end} quotes its own post")
            )
        elif source not in index:
            found["missing_post"].append((quote.post_id, f"quote source {source!r} not in the thread"))
    for members in _cycles(successors) if found["later_target"] else []:
        names = [thread.posts[member].id for member in members]
        shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
        found["cycle"].append((names[0], f"{len(names)} posts link in a cycle: {shown}"))
    for position, post in enumerate(thread.posts[1:], start=1):
        if not linked_back[position]:
            found["orphan"].append((post.id, "links to no earlier post; counted as a root"))
    rows = [(problem, post_id, detail) for problem, items in found.items() for post_id, detail in items]
    return pl.DataFrame(rows, schema=REPAIRS_SCHEMA, orient="row")


def _cycles(successors: Sequence[Sequence[int]]) -> list[list[int]]:
    """Strongly connected components with two or more members (Tarjan, iterative: no recursion limit)."""
    count = len(successors)
    order = [-1] * count
    low = [0] * count
    on_stack = [False] * count
    stack: list[int] = []
    components: list[list[int]] = []
    counter = 0
    for start in range(count):
        if order[start] != -1:
            continue
        order[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack[start] = True
        work = [(start, 0)]
        while work:
            node, next_edge = work[-1]
            if next_edge < len(successors[node]):
                work[-1] = (node, next_edge + 1)
                target = successors[node][next_edge]
                if order[target] == -1:
                    order[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack[target] = True
                    work.append((target, 0))
                elif on_stack[target]:
                    low[node] = min(low[node], order[target])
                continue
            work.pop()
            if work:
                caller = work[-1][0]
                low[caller] = min(low[caller], low[node])
            if low[node] == order[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return sorted(components)


def _graph(thread: Thread, kinds: Iterable[str]) -> _Graph:
    selected = set(kinds)
    unknown = selected - set(EDGE_KINDS)
    if unknown:
        raise ValueError(f"unknown edge kind {sorted(unknown)[0]!r}; choose from {', '.join(EDGE_KINDS)}")
    index = {post.id: position for position, post in enumerate(thread.posts)}
    best_kind: dict[int, dict[int, int]] = {}
    quoters: dict[int, set[int]] = {}
    for edge in thread.edges:
        src, dst = index.get(edge.src), index.get(edge.dst)
        if src is None or dst is None or src == dst:
            continue
        if edge.kind == "quote":
            quoters.setdefault(dst, set()).add(src)
        if edge.kind not in selected or dst > src:
            continue
        priority = _KIND_PRIORITY.get(edge.kind, len(_KIND_PRIORITY))
        linked = best_kind.setdefault(src, {})
        linked[dst] = min(priority, linked.get(dst, priority))
    count = len(thread.posts)
    parents: list[list[int]] = [[] for _ in range(count)]
    children: list[list[int]] = [[] for _ in range(count)]
    for src, linked in best_kind.items():
        parents[src] = _first_parent_first(linked)
        for dst in linked:
            children[dst].append(src)
    quoted_by = [0] * count
    for dst, found in quoters.items():
        quoted_by[dst] = len(found)
    return _Graph(parents=parents, children=children, quoted_by=quoted_by)


def _first_parent_first(kinds_by_parent: dict[int, int]) -> list[int]:
    if len(kinds_by_parent) == 1:
        return list(kinds_by_parent)
    return sorted(kinds_by_parent, key=lambda dst: (kinds_by_parent[dst], -dst))


def _depths(graph: _Graph) -> list[int]:
    depths: list[int] = []
    # Every first parent is an earlier post, so one pass in thread order sees it before its children.
    for parents in graph.parents:
        depths.append(depths[parents[0]] + 1 if parents else 0)
    return depths


def _reciprocity(graph: _Graph, authors: Sequence[str]) -> float | None:
    pairs = {
        (authors[src], authors[dst])
        for src, parents in enumerate(graph.parents)
        for dst in parents
        if authors[src] and authors[dst] and authors[src] != authors[dst]
    }
    if not pairs:
        return None
    return sum(1 for a, b in pairs if (b, a) in pairs) / len(pairs)


def _structural_virality(graph: _Graph) -> float | None:
    count = len(graph.parents)
    if count == 0:
        return None
    in_main_tree = [False] * count
    in_main_tree[0] = True
    for post, parents in enumerate(graph.parents[1:], start=1):
        in_main_tree[post] = bool(parents) and in_main_tree[parents[0]]
    size = sum(in_main_tree)
    if size < 2:
        return None
    subtree = [1] * count
    for post in range(count - 1, 0, -1):
        if in_main_tree[post]:
            subtree[graph.parents[post][0]] += subtree[post]
    # Each tree edge lies on the path of exactly s*(n-s) pairs: the Wiener index without all pairs.
    total = sum(subtree[post] * (size - subtree[post]) for post in range(1, count) if in_main_tree[post])
    return total / (size * (size - 1) / 2)


def _reply_times(thread: Thread, graph: _Graph) -> dict[str, float | None]:
    times = [post.created_at for post in thread.posts]
    gaps: list[float] = []
    first_reply: float | None = None
    for post, children in enumerate(graph.children):
        moment = times[post]
        dated = [stamp for child in children if (stamp := times[child]) is not None]
        if moment is None or not dated:
            continue
        gap = (min(dated) - moment).total_seconds()
        gaps.append(gap)
        if post == 0:
            first_reply = gap
    return {
        "first_reply_seconds": first_reply,
        "median_first_reply_seconds": statistics.median(gaps) if gaps else None,
    }
