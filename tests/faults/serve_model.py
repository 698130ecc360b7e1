"""`fifthbranch serve` with the model taken from a folder instead of the MLflow registry.

`python -m tests.faults.serve_model --port P` runs the real command (its checks, uvicorn,
the lifespan, graceful shutdown); only where the champion comes from is swapped, so the
fault tests need no MLflow run per server. `FIFTHBRANCH_TEST_MODEL_DIR` names a folder
written by `Recommender.save` (loaded through the same `load` the registry uses, so a
corrupt or missing artifact fails the same way); without it the serving tests'
stand-in model answers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import serving.app
import serving.lifecycle

MODEL_DIR_ENV = "FIFTHBRANCH_TEST_MODEL_DIR"


def folder_loader(settings: Any) -> Any:
    """The registry loader's stand-in: the saved model of MODEL_DIR_ENV, or the stub."""
    folder = os.environ.get(MODEL_DIR_ENV)
    if not folder:
        from tests.serving.stub_recommender import StubRecommender

        return StubRecommender

    def load() -> Any:
        from model.recommender import Recommender

        if folder not in _loaded:
            _loaded[folder] = Recommender.load(Path(folder))
        return _loaded[folder].with_identity(model_name=settings.model_name,
                                             model_version="1", run_id="fault-test-run")

    return load


#: `fifthbranch serve` loads the champion twice in one process (its start-up check, then
#: the app). The fault tests start many servers, so the second load reuses the first;
#: a failed load is not kept, so a broken model fails both times, as it would.
_loaded: dict[str, Any] = {}


if __name__ == "__main__":
    from cli.app import main

    serving.lifecycle.registry_loader = folder_loader
    serving.app.registry_loader = folder_loader
    sys.argv = ["fifthbranch", "serve", *sys.argv[1:]]
    main()
