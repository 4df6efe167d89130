"""Loan books with Spanish, French, Portuguese or Italian column names (microfinance exports in Latin-1): the
protected grounds and the applicant's age are recognised by name, with or without their accents."""
import numpy as np
import pandas as pd
import pytest

from domain import fairness, loan_columns
from domain.loan_labels import infer_positive_label
from domain.loan_outcomes import group_outcomes, outcome_kind
from ml.credit_features import FeaturePlan
from services.finance_leakage import leakage_warnings


@pytest.mark.parametrize("column", ["género", "genero", "Sexo", "sexe", "genre", "sesso", "raza", "etnia", "ethnie",
                                    "nacionalidad", "nationalité", "estado_civil", "État civil", "stato_civile",
                                    "situación_familiar", "situation_familiale", "religión", "discapacidad"])
def test_protected_grounds_named_in_other_languages_are_recognised(column):
    assert loan_columns.is_protected(column)


@pytest.mark.parametrize("column", ["región", "generacion", "general_score", "tasa_interés", "monto_préstamo",
                                    "plazo_meses", "garantía", "actividad_económica", "genset_hours"])
def test_ordinary_columns_in_other_languages_are_not_protected(column):
    assert not loan_columns.is_protected(column)


def test_the_applicants_age_is_recognised_in_other_languages_but_a_things_age_is_not():
    assert all(loan_columns.is_age(c) for c in ("edad", "Edad del cliente", "âge", "idade", "edad_años"))
    assert not any(loan_columns.is_age(c) for c in ("edad_vehiculo", "edad_del_negocio", "antigüedad_laboral",
                                                    "idade_do_emprestimo", "estado"))


def test_a_spanish_gender_column_is_warned_and_edad_is_read_in_age_bands():
    rng = np.random.default_rng(3)
    bad = (rng.random(300) < 0.2).astype(int)
    X = pd.DataFrame({"género": rng.choice(["Mujer", "Hombre"], 300), "edad": rng.integers(18, 75, 300).astype(float),
                      "tasa_interés": rng.normal(30, 5, 300)})
    plan = FeaturePlan({"género": "categorical", "edad": "numeric", "tasa_interés": "numeric"})
    warnings = leakage_warnings(X, bad, plan)
    assert len(warnings) == 1 and warnings[0].startswith("Column(s) 'género' look like a protected ground")
    groups, order, note = fairness.sensitive_groups(list(X["edad"]), "edad")
    assert order[0] == "under 25" and order[-1] == "65 and over" and note.endswith("read in age bands.")


@pytest.mark.parametrize("counts, column, default", [
    ({"Sí": 100, "No": 900}, "incumplimiento", "Sí"),
    ({"Sí": 900, "No": 100}, "pagado", "No"),  # had read 'No' as a repaid loan: 90 % defaults
    ({"S": 910, "N": 90}, "al_corriente", "N"),  # a name that does not say: the minority is the default
    ({"S": 90, "N": 910}, "moroso", "S"),
    ({"oui": 920, "non": 80}, "remboursé", "non"),
    ({"sim": 50, "não": 950}, "inadimplente", "sim"),
    ({"Sí": 300, "No": 700}, "impagado", "Sí"),
])
def test_a_yes_no_outcome_in_other_languages_is_read_with_its_columns_name(counts, column, default):
    label, rule = infer_positive_label(counts, column)
    assert label == default and "named like a repaid loan" not in rule


def test_a_spanish_loan_status_with_four_values_is_grouped_by_its_words():
    groups = group_outcomes({"Pagado": 2400, "Impago": 180, "Castigado": 200, "Vigente": 300}, "situación")
    assert (groups.defaults, groups.repaid, groups.running) == (["Impago", "Castigado"], ["Pagado"], ["Vigente"])


@pytest.mark.parametrize("value, kind", [("Défaut", "default"), ("Remboursé", "repaid"), ("En cours", "running"),
                                         ("Al día", "running"), ("Cancelado", "repaid"), ("No pagado", "default"),
                                         ("En mora 90+ días", "default"), ("Charged Off", "default")])
def test_loan_statuses_in_other_languages_are_read_without_their_accents(value, kind):
    assert outcome_kind(value) == kind
