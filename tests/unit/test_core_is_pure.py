import subprocess
import sys


def test_the_core_imports_no_platform_storage_or_scheduler_library() -> None:
    code = (
        "import sys, pkgutil, importlib, pairing_core\n"
        "for m in pkgutil.walk_packages(pairing_core.__path__, 'pairing_core.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [n for n in ('slack_bolt', 'slack_sdk', 'discord', 'sqlalchemy', 'apscheduler', 'typer')"
        " if n in sys.modules]\n"
        "print(bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_core_needs_nothing_beyond_the_standard_library_but_the_matching_library() -> None:
    code = (
        "import sys, pkgutil, importlib, pairing_core\n"
        "for m in pkgutil.walk_packages(pairing_core.__path__, 'pairing_core.'):\n"
        "    importlib.import_module(m.name)\n"
        "top = {n.split('.')[0] for n in sys.modules}\n"
        "print(sorted(t for t in top if t not in sys.stdlib_module_names"
        " and not t.startswith('_')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "['pairing_core', 'rustworkx']"
