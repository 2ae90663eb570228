"""The network's nodes, read from configuration so that a new member is a config change."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Role(StrEnum):
    MEMBER = "member"
    OBSERVER = "observer"
    DESK = "desk"


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    role: Role
    ports: tuple[str, ...] = ()


class NetworkError(ValueError):
    """The network file is missing or says something tracenet cannot use."""


@dataclass(frozen=True)
class Network:
    nodes: tuple[Node, ...]
    cugs: dict[str, frozenset[str]]

    @classmethod
    def load(cls, path: Path) -> Network:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise NetworkError(f"network file {path} not found") from exc
        except tomllib.TOMLDecodeError as exc:
            raise NetworkError(f"network file {path} is not valid TOML: {exc}") from exc
        nodes = []
        for entry in raw.get("node", []):
            try:
                code = str(entry["code"]).strip().upper()
                role = Role(entry.get("role", "member"))
            except (KeyError, ValueError) as exc:
                raise NetworkError(f"node entry {entry!r} in {path}: {exc}") from exc
            nodes.append(
                Node(code=code, name=entry.get("name", code), role=role,
                     ports=tuple(entry.get("ports", ())))
            )
        codes = [n.code for n in nodes]
        if len(set(codes)) != len(codes):
            raise NetworkError(f"network file {path} lists a node code twice: {codes}")
        if not nodes:
            raise NetworkError(f"network file {path} lists no node")
        cugs: dict[str, frozenset[str]] = {}
        for entry in raw.get("cug", []):
            members = frozenset(str(c).upper() for c in entry.get("nodes", []))
            unknown = members - set(codes)
            if unknown:
                raise NetworkError(f"closed user group {entry.get('name')!r} names unknown nodes "
                                   f"{sorted(unknown)}")
            cugs[str(entry["name"]).upper()] = members
        return cls(nodes=tuple(nodes), cugs=cugs)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(n.code for n in self.nodes)

    @property
    def members(self) -> tuple[Node, ...]:
        """Nodes that count in a member quorum (observers and desks never do)."""
        return tuple(n for n in self.nodes if n.role is Role.MEMBER)

    def node(self, code: str) -> Node:
        code = code.strip().upper()
        for n in self.nodes:
            if n.code == code:
                return n
        raise NetworkError(f"{code!r} is not a node of this network (known: {', '.join(self.codes)})")

    def node_of_port(self, locode: str) -> Node | None:
        for n in self.nodes:
            if locode in n.ports:
                return n
        return None
