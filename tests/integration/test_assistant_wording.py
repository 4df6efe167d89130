"""The language model's wording is kept only when it keeps the template's names, labels and figures and ends a
sentence: a browser pass with the embedded SmolLM2 got "Average sales by family: 489.6, 324.9, …" (no families),
"The average of 12.45 is 12." (a rounding as a new figure) and a list cut after "80.32," through a check on
figures alone. These are its exact words, from a fake model."""
import pandas as pd
import pytest

from data.records import RunRecord
from services import assistant, datasets
from services.assistant_wording import problems
from tests.support import FixedLLM, make_runtime

FAMILIES = {"GROCERY I": 489.6, "BEVERAGES": 324.9, "PRODUCE": 131.22, "CLEANING": 97.56, "BOOKS": 0.07883}
RUN_2 = {"wape": 9.481892897078005, "smape": 18.148844010406393, "bias": 0.9350126052602348,
         "mase": 1.0279199291333978, "balance": 9.779837315102093, "balance_noise": 10.28001368960486,
         "coverage": 80.31746031746032, "lightgbm_wape": 7.396155420513211}
CUT_METRICS = ("The metrics of run 2 are: \nWAPE (%) = 9.48, SMAPE (%) = 18.15, Bias (%) = 0.94, MASE = 1.03, Periods "
               "over − under (points) = 9.78, Chance allows ± (points) = 10.28, Interval coverage (%) = 80.32,")


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    runtime = make_runtime(tmp_path_factory.mktemp("wording") / "var")
    sales = pd.DataFrame({"family": [f for f in FAMILIES for _ in range(2)],
                          "sales": [v for v in FAMILIES.values() for _ in range(2)]})
    loans = pd.DataFrame({"id": [1, 2], "int_rate": [12.0, 12.9], "grade": ["A", "B"]})
    for name, frame in (("favorita", sales), ("loans", loans)):
        datasets.import_dataset(runtime, frame.to_csv(index=False).encode(), filename=f"{name}.csv", name=name,
                                user="ana")
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("ana")
        uow.runs.add(RunRecord(desk="finance", task="credit_lightgbm", owner_id=owner.id, metrics={"oof_auc": 0.6}))
        uow.runs.add(RunRecord(desk="retail", task="global_lightgbm_forecast", owner_id=owner.id, metrics=RUN_2))
        uow.commit()
    return runtime


def _ask(rt, question, dataset, wording):
    return assistant.answer(rt, question, user="ana", dataset=dataset, llm=FixedLLM(wording))


@pytest.mark.parametrize("question, dataset, wording, template", [
    ("average sales by family", "favorita", "Average sales by family: 489.6, 324.9, 131.22, 97.56, 0.07883",
     "Average sales by family: GROCERY I (489.60), BEVERAGES (324.90), PRODUCE (131.22), CLEANING (97.56), "
     "BOOKS (0.07883)."),  # one number of decimals in the list (489.6 had stood beside 131.22)
    ("average int_rate", "loans", "The average of 12.45 is 12.", "The average of int_rate is 12.45."),
    ("What are the metrics of run 2?", None, CUT_METRICS,
     "Run 2 (retail, demand forecast): WAPE (%) = 9.48, sMAPE (%) = 18.15, Bias (%) = 0.94, MASE = 1.03, Periods "
     "over − under (points) = 9.78, Chance allows ± (points) = 10.28, Interval coverage (%) = 80.32; the other "
     "metrics are in the rows."),
])
def test_the_browser_passes_bad_wordings_fall_back_to_the_template(rt, question, dataset, wording, template):
    reply = _ask(rt, question, dataset, wording)
    assert reply.template == template, reply.template
    assert reply.answer == template and not reply.llm_used


def test_a_faithful_rewording_is_kept(rt):
    families = ("By family, average sales are GROCERY I 489.60, BEVERAGES 324.90, PRODUCE 131.22, CLEANING 97.56 "
                "and BOOKS 0.07883.")
    assert _ask(rt, "average sales by family", "favorita", families).answer == families
    rate = "The average int_rate is 12.45."
    kept = _ask(rt, "average int_rate", "loans", rate)
    assert kept.answer == rate and kept.llm_used


@pytest.mark.parametrize("wording, why", [
    ("By family, average sales are GROCERY I 324.9, BEVERAGES 489.6, PRODUCE 131.22, CLEANING 97.56 and BOOKS "
     "0.07883.", "'GROCERY I' is no longer written with 489.6"),  # figures swapped between labels
    ("Average sales: GROCERY I (489.6), BEVERAGES (324.9), PRODUCE (131.22), CLEANING (97.56), BOOKS (0.07883)",
     "the wording stops mid-sentence"),
    ("Average sales by family: GROCERY I (489.6), BEVERAGES (324.9), PRODUCE (131.22), CLEANING (97.56), and",
     "the wording stops mid-sentence"),
    ("Average sales by family: GROCERY I (490), BEVERAGES (324.9), PRODUCE (131.22), CLEANING (97.56), BOOKS "
     "(0.07883), GROCERY I exactly 489.6.", "number 490 is not in the answer"),  # a rounding beside the figure
    ("By family, average sales are Family Grocery I 489.6, BEVERAGES 324.9, PRODUCE 131.22, CLEANING 97.56 and BOOKS "
     "0.07883.", "name 'GROCERY I' went missing"),  # a stored value written in another case (browser pass 3)
])
def test_swapped_cut_or_rounded_wordings_are_refused(wording, why):
    template = ("Average sales by family: GROCERY I (489.6), BEVERAGES (324.9), PRODUCE (131.22), CLEANING (97.56), "
                "BOOKS (0.07883).")
    rows = [{"family": f, "average sales": v} for f, v in FAMILIES.items()]
    assert why in problems(wording, template, rows, "average sales by family")


def test_limits_and_negations_of_the_template_are_kept():
    template = "Run 3 (maintenance, remaining useful life) has no AUC; its metrics: RMSE = 6.23."
    rows = [{"run": 3, "desk": "maintenance", "metric": "rmse", "value": 6.23}]
    assert "'no' went missing" in problems("Run 3 (maintenance) has AUC; RMSE = 6.23.", template, rows, "AUC of run 3")
    assert problems("Run 3 (maintenance, remaining useful life) has no AUC, and its RMSE = 6.23.", template, rows,
                    "AUC of run 3") == []
