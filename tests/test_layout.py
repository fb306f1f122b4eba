"""The project's import layout: no import cycles, and imports only go down the layer order.

Why a test: the layout refactor (directory/ split into one package per capability, helpers in
momjobs/lib) only stays a layout while nothing imports "upwards" or in a circle. Such imports
often hide inside functions (to dodge a circular import at load time), where no import-time
error would ever show them, so this test reads the source instead of importing it: it parses
every module of the project's own packages with `ast` and builds the import graph statically.

Three checks, each naming the modules at fault:

1. no import cycle between modules (strongly connected components of the module graph);
2. no cycle between the capability packages of directory/ (the module graph with each
   `directory.<capability>.*` collapsed to `directory.<capability>`);
3. no import from a lower layer into a higher one (LAYERS below, lowest first).

The graph builder and the checks are plain functions taking the repository root, so they can be
pointed at another tree (an old commit, a copy with a deliberate cycle, the fake tree of the last
test). The module needs no database and imports nothing of Django or of the project.

What the graph does not see: imports by string (`importlib.import_module`, settings such as
MOMJOBS_SEEKER_DATA, INSTALLED_APPS, `include("...urls")`). Those are configuration, resolved
at run time, and are outside what a layout check can judge.
"""

import ast
from pathlib import Path

import pytest

# The project's own top-level packages; everything else (Django, third parties, tests, tools,
# bench) is outside the graph: only edges between project modules count.
PACKAGES = ("momjobs", "employers", "directory")

# Folders never walked: migrations are generated, frozen history (they may import anything at
# the time they were written) and __pycache__ holds no source.
SKIPPED_DIRS = {"migrations", "__pycache__"}

# The capability packages of directory/: check 2 collapses each to one node.
CAPABILITIES = (
    "outcomes",
    "search",
    "exports",
    "subscriptions",
    "moderation",
    "catalog",
    "imports",
    "verification",
    "dashboard",
    "demo",
)

# Lowest first. A module belongs to the layer of its LONGEST matching prefix (so
# momjobs.lib.cache is L0 although "momjobs" is L15), and may import only its own layer or
# lower ones. Within a layer anything goes: a circle there is check 1's business.
LAYERS = (
    ("momjobs.lib",),
    ("momjobs.regions",),
    ("momjobs.users",),
    ("employers",),
    (
        "directory.models",
        "directory.columns",
        "directory.audit",
        "directory.access",
        "directory.privacy",
        "directory.apps",
        # The package __init__ itself, and any other module directly in directory/ that is not
        # named here or below (the longest prefix is then just "directory").
        "directory",
    ),
    # Hires and retention: figures the catalog, verification and dashboard all show.
    ("directory.outcomes",),
    ("directory.search",),
    ("directory.exports",),
    ("directory.subscriptions",),
    ("directory.moderation",),
    ("directory.catalog",),
    ("directory.imports",),
    ("directory.verification",),
    ("directory.dashboard",),
    ("directory.demo",),
    (
        "directory.urls",
        "directory.admin",
        "directory.templatetags",
        "directory.management",
    ),
    # The project package itself (settings, urls, celery, health, wsgi, asgi,
    # context_processors and anything else directly in momjobs/): the top.
    ("momjobs",),
)

# module -> {imported module -> [line numbers in the importer]}. The line numbers only serve the
# failure messages: a reviewer goes straight to the import to move.
Graph = dict[str, dict[str, list[int]]]


# --- Building the graph ---------------------------------------------------------------------


def find_modules(root):
    """{dotted module name: path} for every .py file of PACKAGES under `root`."""
    root = Path(root)
    modules = {}
    for package in PACKAGES:
        if not (root / package).is_dir():
            # A partial tree (the fake one of the self-test) need not have all three packages.
            continue
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if SKIPPED_DIRS & set(relative.parts[:-1]):
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                # A package's __init__ is the package itself: `import directory` runs it.
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _package_of(module, path):
    """The package a module's relative imports are resolved against."""
    # For a package's __init__ the module *is* the package; for a plain module it is its parent.
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _known(name, modules):
    """The longest prefix of `name` that is a project module, or None (not ours)."""
    # `import directory.models` or `from directory.models import Post`: the target module is the
    # longest dotted prefix that exists in the tree (Post is a class, not a module).
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _imported(node, module, path, modules):
    """The project modules one Import/ImportFrom node imports (possibly none)."""
    if isinstance(node, ast.Import):
        return [_known(alias.name, modules) for alias in node.names]
    # ast.ImportFrom: first the module part, resolving `.`/`..` against the module's package.
    if node.level:
        base = _package_of(module, path)
        for _ in range(node.level - 1):
            base = base.rpartition(".")[0]
        base = f"{base}.{node.module}" if node.module else base
    else:
        base = node.module or ""
    targets = []
    for alias in node.names:
        # `from pkg import name` imports the submodule pkg.name when pkg/name.py or
        # pkg/name/__init__.py exists (it is then the module that is used), otherwise it takes
        # a name out of pkg itself.
        submodule = f"{base}.{alias.name}"
        targets.append(submodule if submodule in modules else _known(base, modules))
    return targets


def build_graph(root):
    """The import graph of the project's modules under `root` (see Graph).

    Every module of PACKAGES is a node, even one that imports nothing, so that a module no
    check mentions is still known to have been read.
    """
    modules = find_modules(root)
    graph: Graph = {module: {} for module in modules}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        # ast.walk, not tree.body: an import inside a function, a method or an `if
        # TYPE_CHECKING:` block is still a dependency of the module, and function-level imports
        # are exactly how a circular dependency gets hidden from the import machinery.
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in _imported(node, module, path, modules):
                # Only edges between project modules; a module importing itself (`from . import
                # name` in a package __init__ where name is not a submodule) is no dependency.
                if target is None or target == module:
                    continue
                lines = graph[module].setdefault(target, [])
                # `from .models import A, B` is one import of one module: one line number.
                if node.lineno not in lines:
                    lines.append(node.lineno)
        # ast.walk goes breadth first (module level before function bodies): sort for messages.
        for lines in graph[module].values():
            lines.sort()
    return graph


# --- Check 1 and 2: cycles ------------------------------------------------------------------


def strongly_connected(graph):
    """Tarjan's strongly connected components with more than one node, each sorted."""
    # Iterative, so that a deep import chain can never hit the recursion limit.
    index = {}
    lowlink = {}
    on_stack = set()
    stack = []
    components = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        # Each frame: (node, iterator over its successors).
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = lowlink[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = lowlink[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph.get(successor, ())))))
                    break
                if successor in on_stack:
                    lowlink[node] = min(lowlink[node], index[successor])
            else:
                # All successors seen: pop the frame, pass the lowlink up, close a component.
                work.pop()
                if work:
                    parent = work[-1][0]
                    lowlink[parent] = min(lowlink[parent], lowlink[node])
                if lowlink[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    # Self-edges were dropped when building, so a lone node is no cycle.
                    if len(component) > 1:
                        components.append(sorted(component))
    return sorted(components)


def cycles(graph):
    """Check 1: [(sorted modules of one cycle, [(importer, imported, lines)])]."""
    found = []
    for component in strongly_connected(graph):
        members = set(component)
        # The edges inside the component are the imports to look at: removing the right one of
        # them breaks the circle.
        edges = [
            (importer, imported, graph[importer][imported])
            for importer in component
            for imported in sorted(graph[importer])
            if imported in members
        ]
        found.append((component, edges))
    return found


def capability_of(module):
    """The node of `module` in check 2's collapsed graph."""
    # directory.<capability>.* -> directory.<capability>; everything else (directory.models,
    # directory.templatetags.catalog, employers.models...) stays itself, so that a circle going
    # through a module outside the capabilities is still seen.
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "directory" and parts[1] in CAPABILITIES:
        return ".".join(parts[:2])
    return module


def collapse(graph):
    """The graph with directory's capability packages collapsed (check 2), same shape."""
    collapsed: Graph = {}
    for importer, targets in graph.items():
        node = collapsed.setdefault(capability_of(importer), {})
        for imported, lines in targets.items():
            target = capability_of(imported)
            # Imports within one capability package are its own affair (check 1 still sees a
            # circle among its modules).
            if target != capability_of(importer):
                node.setdefault(target, []).extend(lines)
    return collapsed


def package_cycles(graph):
    """Check 2: cycles between the capability packages of directory/, with the module imports
    making up each edge between packages."""
    found = []
    for component, _ in cycles(collapse(graph)):
        members = set(component)
        # Report the module-level imports behind each package edge, not the collapsed names:
        # "directory.subscriptions -> directory.catalog" alone does not say which import to move.
        edges = [
            (importer, imported, lines)
            for importer in sorted(graph)
            for imported, lines in sorted(graph[importer].items())
            if capability_of(importer) in members
            and capability_of(imported) in members
            and capability_of(importer) != capability_of(imported)
        ]
        found.append((component, edges))
    return found


# --- Check 3: layers ------------------------------------------------------------------------


def layer_of(module):
    """(layer number, matching prefix) of `module`: its longest matching prefix wins."""
    best = None
    for number, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            # Whole dotted components only: "directory.search" must not claim a
            # "directory.searching" module.
            if (module == prefix or module.startswith(prefix + ".")) and (
                best is None or len(prefix) > len(best[1])
            ):
                best = (number, prefix)
    return best


def layer_violations(graph):
    """Check 3: [(importer, imported, importer's layer, imported's layer, lines)], sorted."""
    found = []
    for importer in sorted(graph):
        for imported, lines in sorted(graph[importer].items()):
            low, high = layer_of(importer), layer_of(imported)
            # A module outside every layer cannot exist for PACKAGES (each package name is a
            # prefix of LAYERS); should one appear, it is reported rather than silently allowed.
            if low is None or high is None or high[0] > low[0]:
                found.append((importer, imported, low, high, lines))
    return found


# --- Messages -------------------------------------------------------------------------------


def _where(lines):
    return ("line " if len(lines) == 1 else "lines ") + ", ".join(str(n) for n in lines)


def format_cycles(found, title):
    out = [f"{len(found)} {title}:"]
    for component, edges in found:
        out.append("  cycle: " + ", ".join(component))
        for importer, imported, lines in edges:
            out.append(f"    {importer} -> {imported}  ({_where(lines)})")
    return "\n".join(out)


def _layer_name(layer):
    return "no layer" if layer is None else f"L{layer[0]} {layer[1]}"


def format_violations(found):
    out = [
        f"{len(found)} imports against the layer order (a module imports only its layer or lower):"
    ]
    for importer, imported, low, high, lines in found:
        out.append(
            f"  {importer} [{_layer_name(low)}] -> {imported} [{_layer_name(high)}]"
            f"  ({_where(lines)})"
        )
    return "\n".join(out)


# --- The tests ------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def graph():
    return build_graph(ROOT)


def test_graph_sees_the_project(graph):
    # A builder that found nothing would pass every check: make sure it read the real tree and
    # resolved both absolute and relative imports.
    assert {module.split(".")[0] for module in graph} == set(PACKAGES)
    assert "directory.models" in graph
    assert "momjobs.lib.cache" in graph
    assert not any(".migrations" in module for module in graph)
    assert "employers.models" in graph["employers.views"]
    assert "momjobs.users.models" in graph["momjobs.users.admin"]  # `from .models import ...`


def test_no_import_cycles(graph):
    found = cycles(graph)
    if found:
        # pytrace=False: the message names every module and line; a traceback adds nothing.
        pytest.fail(format_cycles(found, "import cycles between modules"), pytrace=False)


def test_no_cycles_between_directory_capabilities(graph):
    found = package_cycles(graph)
    if found:
        title = "cycles between directory's capability packages"
        pytest.fail(format_cycles(found, title), pytrace=False)


def test_imports_follow_layer_order(graph):
    found = layer_violations(graph)
    if found:
        pytest.fail(format_violations(found), pytrace=False)


def write(root, relative, text=""):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_checker_reports_a_hidden_cycle_and_an_upward_import(tmp_path):
    # The checks above pass on a clean tree; this proves they can fail. A tiny tree with the two
    # kinds of mistake the layout forbids, both hidden inside functions.
    write(tmp_path, "directory/__init__.py")
    write(tmp_path, "directory/models.py")
    write(tmp_path, "directory/a.py", "def f():\n    from . import b\n")
    write(tmp_path, "directory/b.py", "def g():\n    from directory.a import f\n")
    write(tmp_path, "directory/search/__init__.py")
    write(tmp_path, "directory/search/views.py", "def h():\n    from ..catalog import services\n")
    write(tmp_path, "directory/catalog/__init__.py")
    # No module circle here (catalog.services -> search.filters, search.views ->
    # catalog.services), but a circle between the two capability packages: only check 2 sees it.
    write(tmp_path, "directory/search/filters.py")
    write(tmp_path, "directory/catalog/services.py", "from directory.search import filters\n")
    write(tmp_path, "employers/__init__.py")
    write(tmp_path, "employers/x.py", "def f():\n    import directory.models\n")
    # Migrations are not read: this upward import must not be reported.
    write(tmp_path, "employers/migrations/0001_initial.py", "import directory.models\n")

    graph = build_graph(tmp_path)

    found = cycles(graph)
    assert [component for component, _ in found] == [["directory.a", "directory.b"]]
    message = format_cycles(found, "import cycles")
    assert "directory.a -> directory.b  (line 2)" in message
    assert "directory.b -> directory.a  (line 2)" in message

    # directory.a and directory.b are no capability packages: they stay themselves in the
    # collapsed graph, so their circle shows there too.
    found = package_cycles(graph)
    assert [component for component, _ in found] == [
        ["directory.a", "directory.b"],
        ["directory.catalog", "directory.search"],
    ]
    message = format_cycles(found, "package cycles")
    assert "directory.catalog.services -> directory.search.filters  (line 1)" in message
    assert "directory.search.views -> directory.catalog.services  (line 2)" in message

    violations = [(importer, imported) for importer, imported, *_ in layer_violations(graph)]
    # employers (L3) -> directory.models (L4) is upward; so is search (L5) -> catalog (L9);
    # catalog -> search is downward and allowed (the package circle is check 2's to report).
    assert violations == [
        ("directory.search.views", "directory.catalog.services"),
        ("employers.x", "directory.models"),
    ]
    assert "employers.x [L3 employers] -> directory.models [L4 directory.models]" in (
        format_violations(layer_violations(graph))
    )


def test_resolution_of_relative_and_from_imports(tmp_path):
    # The rules of the brief, one by one: `from pkg import name` is pkg.name when that is a
    # module, otherwise pkg; relative imports climb from the module's package (or from the
    # package itself for an __init__).
    write(tmp_path, "directory/__init__.py", "from . import models\n")
    write(tmp_path, "directory/models.py")
    write(tmp_path, "directory/columns.py")
    write(tmp_path, "directory/search/__init__.py", "from .filters import F\n")
    write(tmp_path, "directory/search/filters.py", "from ..models import Post\nF = 1\n")
    write(
        tmp_path,
        "directory/search/views.py",
        "from directory import columns, helper_name\nfrom . import filters\nimport json\n",
    )

    graph = build_graph(tmp_path)

    assert graph["directory"] == {"directory.models": [1]}
    assert graph["directory.search"] == {"directory.search.filters": [1]}
    assert graph["directory.search.filters"] == {"directory.models": [1]}
    # helper_name is not a module: the import is of directory (its __init__) itself.
    assert graph["directory.search.views"] == {
        "directory.columns": [1],
        "directory": [1],
        "directory.search.filters": [2],
    }
