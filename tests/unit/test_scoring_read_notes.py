"""Lines the reader leaves out around a table (a title above it, totals under it) are said when a file is scored:
its output is shorter than the file by them (a LoanStats export's prospectus line and 'Total amount funded' lines
were left out of a scored file without a word), and a gzip file's name reads as the table inside."""
import gzip

from services import datasets


def _notes(text: str) -> list[str]:
    from data import ingest

    result = ingest.read_table(text.encode(), filename="loans.csv")
    return datasets.scoring_read_notes(result.problems)


def test_a_title_line_and_total_lines_are_named_for_a_scored_file():
    body = "".join(f"{i},{1000 + i},36 months\n" for i in range(120))
    text = "Notes offered by Prospectus (https://example.org)\nid,loan_amnt,term\n" + body \
        + "\nTotal amount funded in policy code 1: 1234567\nTotal amount funded in policy code 2: 7654\n"
    notes = _notes(text)
    assert any("The first 1 line(s) are not part of the table" in n for n in notes)
    assert any("at the end are not part of the table" in n and "Total amount funded" in n for n in notes)


def test_a_plain_file_scored_gets_no_such_note():
    assert _notes("id,loan_amnt\n" + "".join(f"{i},{i * 10}\n" for i in range(20))) == []


def test_a_gzip_table_is_named_after_the_table_inside(settings_env):
    from commands.common import runtime

    data = gzip.compress(b"id,amount\n1,10\n2,20\n3,30\n")
    info = datasets.import_dataset(runtime(), data, filename="loans.csv.gz", user="t")
    assert info.name == "loans" and info.rows == 3  # before: 'loans.csv'


def test_a_packed_tables_suggested_name_drops_both_suffixes():
    assert [datasets.suggested_name(n) for n in ("loans.csv", "loans.csv.gz", "Loans.CSV.ZIP", ".gz")] == [
        "loans", "loans", "Loans", "dataset"]
