"""A dataset named in the question: found whatever its spelling ("loans_train", "Loans Train", "loans-train"), the
longest name first, and taken out of the question so its words are read as no column or value."""
from services.assistant_naming import named_dataset, without_name

NAMES = ["loans", "loans_train", "ai4i_new", "sales"]


def test_a_name_written_with_spaces_or_capitals_is_the_dataset_meant():
    assert named_dataset("How many rows does loans_train have?", NAMES) == "loans_train"
    assert named_dataset("how many rows in Loans Train?", NAMES) == "loans_train"
    assert named_dataset("average torque in the AI4I-new dataset", NAMES) == "ai4i_new"


def test_a_one_word_name_counts_only_where_the_question_points_at_a_dataset():
    assert named_dataset("total sales by region", NAMES) is None
    assert named_dataset("total amount in sales", NAMES) == "sales"
    assert named_dataset("how many loans are there", NAMES) is None


def test_the_name_and_the_words_pointing_at_it_are_taken_out():
    assert without_name("How many rows does loans_train have?", "loans_train") == "How many rows?"
    assert without_name("default rate by checking_status in loans_train", "loans_train") == \
        "default rate by checking_status"
    assert without_name("average torque in the ai4i_new dataset", "ai4i_new") == "average torque"
    assert without_name("total sales by region", "sales") == "total sales by region"


SAMPLES = ["telemetry_textsensor", "Sample: machine telemetry", "Sample: credit applicants", "unit3cycles",
           "Sample: engine histories"]


def test_a_bundled_sample_is_named_as_people_say_it():
    """"Sample: machine telemetry" had never matched (its label and colon), so an upload's columns won."""
    for question in ("How many machines failed in the machine telemetry sample?",
                     "How many machines failed in Sample: machine telemetry?",
                     "how many machines failed in the sample machine telemetry"):
        assert named_dataset(question, SAMPLES) == "Sample: machine telemetry"
        assert without_name(question, "Sample: machine telemetry").lower().rstrip("?") == "how many machines failed"
    assert named_dataset("How many rows does machine telemetry have?", SAMPLES) == "Sample: machine telemetry"
    assert named_dataset("default rate by purpose in credit applicants", SAMPLES) == "Sample: credit applicants"
    assert named_dataset("how many units in telemetry_textsensor?", SAMPLES) == "telemetry_textsensor"
    assert named_dataset("how many machines failed?", SAMPLES) is None
