"""`fifthbranch serve` with the serving tests' stand-in model instead of the registry.

`python -m tests.cli.serve_with_stub --port P` is the real command (checks, uvicorn,
graceful shutdown) with only the model swapped, so the smoke test needs no training.
"""

from __future__ import annotations

import sys
from typing import Any

import serving.app
import serving.lifecycle
from tests.serving.stub_recommender import StubRecommender


def _stub_loader(settings: Any) -> Any:
    return StubRecommender


serving.lifecycle.registry_loader = _stub_loader
serving.app.registry_loader = _stub_loader

if __name__ == "__main__":
    from cli.app import main

    sys.argv = ["fifthbranch", "serve", *sys.argv[1:]]
    main()
