"""Training: split, evaluate, log and register in MLflow, and the promotion gate."""
