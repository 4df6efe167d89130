"""A sales export with German (or French, Spanish …) names: the quantity and the series keys are guessed, never
the price (a 'Datum;Filiale;Artikel;Menge;Preis' export had Preis as the quantity and no series key)."""
import polars as pl

from data.profile import infer_roles
from services.retail_form import guess_quantity, never_quantity


def test_the_quantity_is_menge_and_never_the_price():
    assert guess_quantity(["Menge", "Preis"], {}) == "Menge"
    assert guess_quantity(["Preis", "Verkaufspreis"], {}) is None
    assert never_quantity("prix_unitaire") and never_quantity("Precio") and not never_quantity("Quantité vendue")
    assert guess_quantity(["prix", "Quantité vendue"], {}) == "Quantité vendue"


def test_filiale_and_artikel_are_series_keys_beside_a_date():
    weeks = pl.date_range(pl.date(2024, 1, 1), pl.date(2024, 12, 23), "1w", eager=True)
    frame = pl.DataFrame({"Datum": pl.concat([weeks] * 4), "Filiale": ["Nord", "Süd"] * (2 * len(weeks)),
                          "Artikel": ["A1"] * (2 * len(weeks)) + ["B2"] * (2 * len(weeks)),
                          "Menge": [float(i % 7) for i in range(4 * len(weeks))]})
    roles = infer_roles(frame, {"Datum": "datetime", "Filiale": "categorical", "Artikel": "categorical",
                                "Menge": "numeric"})
    assert roles["Filiale"] == roles["Artikel"] == "series"


def test_store_and_item_are_series_keys_beside_weeks_written_as_text():
    """An ERP export whose only date is a 'Week' column of 'Wk 7 2023' labels: its keys had no series role."""
    labels = [f"Wk {w} 2023" for w in range(1, 41)]
    frame = pl.DataFrame({"Week": labels * 4, "Store": ["S1", "S2"] * 80, "Item": ["A"] * 80 + ["B"] * 80,
                          "Qty Sold": [float(i % 9) for i in range(160)]})
    roles = infer_roles(frame, {"Week": "categorical", "Store": "categorical", "Item": "categorical",
                                "Qty Sold": "numeric"})
    assert roles["Store"] == roles["Item"] == "series"
    weekday = infer_roles(frame.rename({"Week": "Weekday"}), {"Weekday": "categorical", "Store": "categorical",
                                                             "Item": "categorical", "Qty Sold": "numeric"})
    assert weekday["Store"] != "series"  # a weekday's name dates nothing
