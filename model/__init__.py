"""The Recommender: features, classifier, rules override layer and explanations."""
