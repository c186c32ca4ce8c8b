"""The corpus citation graph, for network tools (Gephi, Cytoscape, networkx, igraph).

Nodes are the corpus documents and the directives they cite.  A directive that is itself a
corpus document (its own number, date and locality agree) *is* that document's node, so
chains of citations connect.  Edges:

- ``cites``: a document → a directive it mentions, with the document's own relation to it
  (strongest of its mentions), the citing document's ``date`` and the ``count`` of mentions;
- ``changes``: a directive → the directive it replaced, repealed or amended, as corpus
  documents state it (``evidence`` = their ids joined by "; ", ``date`` = the earliest of
  their dates, ``count`` = how many statements).

A directive's identity: its symbol (for a local symbol, with its locality); a symbol without
a year of its own (25-NQ/TW, 749/QĐ-TTg) cited in the corpus with dates of several years is
one directive per year (numbers restart); one without a symbol is its name.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from vanban.corpus.model import Directive, relation_strength
from vanban.corpus.store import Store
from vanban.ingest.extract.codes import is_local_issuer
from vanban.ingest.extract.symbols import parse_symbol
from vanban.ingest.normalize import match_key

__all__ = ["Edge", "Graph", "Node", "build_graph", "directive_keys", "key_year", "write_csv",
           "write_graphml"]

NODE_FIELDS = ("label", "kind", "doc_id", "symbol", "name", "type", "date", "issuer",
               "locality", "title", "year")
EDGE_FIELDS = ("kind", "relation", "date", "count", "evidence")
Record = tuple[str | None, str | None, str | None, str | None]  # symbol, name, locality, date


@dataclass
class Node:
    id: str
    attrs: dict[str, Any]


@dataclass
class Edge:
    source: str
    target: str
    kind: str
    relation: str
    date: str | None
    count: int = 1
    evidence: str | None = None


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)


def _parts(symbol: str) -> tuple[bool, bool]:
    """(has a year of its own, is local) of a symbol."""
    parsed = parse_symbol(symbol)
    if parsed is None:
        return False, False
    return parsed.year is not None, is_local_issuer(list(parsed.issuer_codes))


def _base(rec: Record) -> str:
    symbol, name, locality, _ = rec
    if not symbol:
        return "name:" + match_key(name or "?")
    _, local = _parts(symbol)
    return f"{symbol}@{locality}" if local and locality else symbol


def directive_keys(records: Sequence[Record]) -> list[str]:
    """The identity key of each cited directive (see the module doc).  A directive cited
    by name only ("Luật Tổ chức chính quyền địa phương") takes the symbol the corpus cites
    it with elsewhere ("… số 77/2015/QH13"), when that is one symbol."""
    named: dict[str, set[str]] = {}
    for symbol, name, _, _ in records:
        if symbol and name:
            named.setdefault(match_key(name), set()).add(symbol)
    records = [(next(iter(named[match_key(n)])), n, lo, dt)
               if not s and n and len(named.get(match_key(n), ())) == 1 else (s, n, lo, dt)
               for s, n, lo, dt in records]
    years: dict[str, set[str]] = {}
    for rec in records:
        if rec[0] and rec[3] and not _parts(rec[0])[0]:
            years.setdefault(_base(rec), set()).add(rec[3][:4])
    keys = []
    for rec in records:
        base = _base(rec)
        if len(years.get(base, ())) > 1:
            keys.append(f"{base}#{rec[3][:4] if rec[3] else '?'}")
        else:
            keys.append(base)
    return keys


def key_year(key: str) -> int | None:
    """The year an identity key tells twins apart by ("19-NQ/TW#2017" → 2017)."""
    tail = key.rsplit("#", 1)[1] if "#" in key else ""
    return int(tail) if tail.isdigit() else None


def _label(d: Directive, key: str) -> str:
    label = d.symbol or d.name or "?"
    if d.symbol and "@" in key and d.locality:
        label += f" ({d.locality})"
    if "#" in key:
        label += f" [{key.rsplit('#', 1)[1]}]"
    return label


def build_graph(store: Store) -> Graph:
    """The citation graph of the whole corpus."""
    from vanban.search.citations import iter_documents
    from vanban.search.lookup import document_for

    graph = Graph()
    for doc_id, title, date, symbol, dtype, issuer, locality in store.db.execute(
            "SELECT doc_id, title, date, symbol, type, issuer, locality FROM documents"
            " ORDER BY doc_id"):
        graph.nodes[f"doc:{doc_id}"] = Node(f"doc:{doc_id}", {
            "label": symbol or title or doc_id, "kind": "document", "doc_id": doc_id,
            "symbol": symbol, "type": dtype, "date": date, "issuer": issuer,
            "locality": locality, "title": title})
    docs = list(iter_documents(store))
    refs = [(doc, r) for doc in docs for r in doc.references]
    keys = directive_keys([(r.directive.symbol, r.directive.name, r.directive.locality,
                            r.directive.date) for _, r in refs])
    key_of = {(doc.rowid, r.start): k for (doc, r), k in zip(refs, keys, strict=True)}
    node_of: dict[str, str] = {}
    for (_, r), key in zip(refs, keys, strict=True):
        if key not in node_of:
            found = document_for(store, r.directive)
            node_of[key] = f"doc:{found}" if found else f"dir:{key}"
        _add_directive(graph, node_of[key], r.directive, key)
    cites: dict[tuple[str, str], Edge] = {}
    for doc, r in refs:
        source, target = f"doc:{doc.doc_id}", node_of[key_of[(doc.rowid, r.start)]]
        if source == target:
            continue
        edge = cites.get((source, target))
        if edge is None:
            cites[(source, target)] = Edge(source, target, "cites", r.relation, doc.date, 1)
        else:
            edge.count += 1
            edge.relation = min(edge.relation, r.relation, key=relation_strength)
    graph.edges.extend(cites.values())
    graph.edges.extend(_change_edges(docs, key_of, node_of))
    return graph


def _add_directive(graph: Graph, node_id: str, d: Directive, key: str) -> None:
    node = graph.nodes.get(node_id)
    if node is None:
        graph.nodes[node_id] = Node(node_id, {
            "label": _label(d, key), "kind": "directive", "doc_id": None, "symbol": d.symbol,
            "name": None if d.symbol else d.name, "type": d.type, "date": d.date,
            "issuer": d.issuer, "locality": d.locality, "title": d.title,
            "year": key_year(key) or d.year})
        return
    for k in ("type", "date", "issuer", "title", "year"):
        if node.attrs.get(k) is None:
            node.attrs[k] = getattr(d, k)


def _change_edges(docs: Iterable[Any], key_of: dict[tuple[int, int], str],
                  node_of: dict[str, str]) -> list[Edge]:
    edges: dict[tuple[str, str, str], Edge] = {}
    for doc in docs:
        for ch in doc.changes:
            if ch.by is None:
                continue
            source = node_of[key_of[(doc.rowid, ch.by.start)]]
            target = node_of[key_of[(doc.rowid, ch.target.start)]]
            if source == target:
                continue
            edge = edges.get((source, target, ch.relation))
            if edge is None:
                edges[(source, target, ch.relation)] = Edge(
                    source, target, "changes", ch.relation, doc.date, 1, doc.doc_id)
            else:
                edge.count += 1
                if doc.doc_id not in (edge.evidence or "").split("; "):
                    edge.evidence = f"{edge.evidence}; {doc.doc_id}"
                if doc.date and (edge.date is None or doc.date < edge.date):
                    edge.date = doc.date
    return list(edges.values())


# -- writers ------------------------------------------------------------------------------
def _write_text(path: str | None, text: str) -> None:
    if path in (None, "-"):
        import click

        click.echo(text, nl=False)
        return
    assert path is not None
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def _csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def write_csv(graph: Graph, edges_path: str | None, nodes_path: str | None) -> None:
    """Edges (source, target, …, labels) to ``edges_path`` (None = stdout); nodes (id,
    label, kind, …) to ``nodes_path`` when given."""
    label = {n.id: n.attrs["label"] for n in graph.nodes.values()}
    _write_text(edges_path, _csv_text(
        ["source", "target", *EDGE_FIELDS, "source_label", "target_label"],
        ([e.source, e.target, *(getattr(e, f) for f in EDGE_FIELDS), label[e.source],
          label[e.target]] for e in graph.edges)))
    if nodes_path is not None:
        _write_text(nodes_path, _csv_text(
            ["id", *NODE_FIELDS],
            ([n.id, *(n.attrs.get(f) for f in NODE_FIELDS)] for n in graph.nodes.values())))


def graphml(graph: Graph) -> str:
    """The graph as GraphML (directed; every attribute declared with its type)."""
    ns = "http://graphml.graphdrawing.org/xmlns"
    root = ET.Element("graphml", {"xmlns": ns})
    for name in NODE_FIELDS:
        ET.SubElement(root, "key", {"id": f"n_{name}", "for": "node", "attr.name": name,
                                    "attr.type": "string"})
    for name in EDGE_FIELDS:
        ET.SubElement(root, "key", {"id": f"e_{name}", "for": "edge", "attr.name": name,
                                    "attr.type": "int" if name == "count" else "string"})
    g = ET.SubElement(root, "graph", {"id": "vanban", "edgedefault": "directed"})
    for node in graph.nodes.values():
        el = ET.SubElement(g, "node", {"id": node.id})
        for name in NODE_FIELDS:
            if node.attrs.get(name) is not None:
                ET.SubElement(el, "data", {"key": f"n_{name}"}).text = str(node.attrs[name])
    for i, edge in enumerate(graph.edges):
        el = ET.SubElement(g, "edge", {"id": f"e{i}", "source": edge.source,
                                       "target": edge.target})
        for name in EDGE_FIELDS:
            value = getattr(edge, name)
            if value is not None:
                ET.SubElement(el, "data", {"key": f"e_{name}"}).text = str(value)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def write_graphml(graph: Graph, path: str | None) -> None:
    _write_text(path, graphml(graph))
