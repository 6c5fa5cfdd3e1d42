"""A classification tree (CART, scikit-learn) of the outcome over the swept parameters.

A shallow tree complements PRIM: its leaves partition the whole space, so it also shows
where the outcome does not hold, and its splits read as rules. Value-list parameters that
are not numbers enter as one indicator column per level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeClassifier, export_text


@dataclass(frozen=True)
class TreeResult:
    """The fitted tree's rules, its leaves and its accuracy on the cases."""

    rules: str
    leaves: pd.DataFrame  # one row per leaf: conditions, runs, share with the outcome
    accuracy: float
    depth: int


def _conditions(tree: DecisionTreeClassifier, names: list[str]) -> dict[int, list[str]]:
    """The path of conditions from the root to every leaf."""
    t = tree.tree_
    out: dict[int, list[str]] = {}

    def walk(node: int, path: list[str]) -> None:
        if t.children_left[node] == t.children_right[node]:  # a leaf
            out[node] = path
            return
        name, cut = names[t.feature[node]], t.threshold[node]
        walk(int(t.children_left[node]), [*path, f"{name} <= {cut:.4g}"])
        walk(int(t.children_right[node]), [*path, f"{name} > {cut:.4g}"])

    walk(0, [])
    return out


def fit_tree(
    x: pd.DataFrame, y: np.ndarray, max_depth: int = 3, min_leaf_share: float = 0.02
) -> TreeResult:
    """Fit a CART tree; leaves hold at least ``min_leaf_share`` of the cases (and 5)."""
    features = pd.get_dummies(x, prefix_sep="=", dtype=float)
    names = [str(c) for c in features.columns]
    min_leaf = max(5, int(np.ceil(min_leaf_share * len(y))))
    tree = DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=min_leaf, random_state=0)
    labels = np.asarray(y, dtype=bool)
    tree.fit(features.to_numpy(), labels)
    leaf_of = tree.apply(features.to_numpy())
    paths = _conditions(tree, names)
    rows = []
    for leaf, conditions in paths.items():
        inside = leaf_of == leaf
        rows.append(
            {
                "leaf": leaf,
                "conditions": " and ".join(conditions) or "(all runs)",
                "runs": int(inside.sum()),
                "share_true": float(labels[inside].mean()) if inside.any() else float("nan"),
            }
        )
    leaves = pd.DataFrame(rows).sort_values("share_true", ascending=False, kind="stable")
    return TreeResult(
        export_text(tree, feature_names=names, decimals=4),
        leaves.reset_index(drop=True),
        float(tree.score(features.to_numpy(), labels)),
        int(tree.get_depth()),
    )
