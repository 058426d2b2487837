"""Files shipped to boards: the board agent, the launcher and the systemd unit template.

The agent and the launcher are standalone scripts (the agent needs only the standard library
and `cryptography`; the launcher only the standard library) so they run on a board before any
Starling environment exists there. The agent is kept as three modules, one job each
(`bundle_verify`, `board_state`, `agent`), and shipped as one script: `agent_program`.
"""

import ast
from importlib.resources import files
from importlib.resources.abc import Traversable

__all__ = ["AGENT_MODULES", "agent_program", "asset"]

# In dependency order: each may import only from those before it (and the standard library).
AGENT_MODULES = ("bundle_verify.py", "board_state.py", "agent.py")


def asset(name: str) -> Traversable:
    """Return the shipped file `name` (e.g. ``"launcher.py"``, ``"starling.service.in"``)."""
    return files(__name__).joinpath(name)


def agent_program() -> str:
    """The board agent as the one script a board runs: `AGENT_MODULES` in order, each without
    its imports of the ones before it (their names are already defined above it)."""
    parts = []
    for name in AGENT_MODULES:
        source = asset(name).read_text()
        lines = source.splitlines(keepends=True)
        for node in reversed(ast.parse(source).body):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(__name__):
                del lines[node.lineno - 1 : node.end_lineno]
        parts.append("".join(lines))
    return "\n\n".join(parts)
