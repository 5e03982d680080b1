"""tasker-ctl's Python scaffold imports against tasker-py 0.1.8 and yields a handler
class."""

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent.parent


def test_the_generated_scaffold_imports_and_defines_handlers(tmp_path):
    if shutil.which("tasker-ctl") is None:
        pytest.fail(
            "tasker-ctl is not on PATH: run through scripts/test (it installs tasker-ctl)"
        )
    out = tmp_path / "scaffold.py"
    subprocess.run(
        [
            "tasker-ctl",
            "generate",
            "handler",
            "-l",
            "python",
            "-t",
            str(HERE / "templates/ecommerce_order_processing.yaml"),
            "-o",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    spec = importlib.util.spec_from_file_location("scaffold", out)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from tasker_core import StepHandler

    # The decorator leaves the function in place and attaches the generated class to it.
    handlers = [
        v._handler_class for v in vars(module).values() if hasattr(v, "_handler_class")
    ]
    assert all(issubclass(h, StepHandler) for h in handlers)
    names = sorted(h.handler_name for h in handlers)
    assert names == sorted(
        f"app.handlers.ecommerce.{c}Handler"
        for c in [
            "ValidateCart",
            "ProcessPayment",
            "UpdateInventory",
            "CreateOrder",
            "SendConfirmation",
        ]
    ), names
