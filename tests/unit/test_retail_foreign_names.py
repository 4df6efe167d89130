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
