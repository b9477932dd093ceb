"""The pure paper-list parsers `parse_bibtex` and `parse_paper_csv`: table tests and property tests."""

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.imports import RowError
from papers.paper_import import PaperRecord, parse_bibtex, parse_paper_csv
from papers.years import EARLIEST_PAPER_YEAR, latest_paper_year

# The repository's copy of shared/data/deep-learning-theory.bib (the demo loads it; a test checks they match).
SHARED_BIB = Path(__file__).resolve().parents[2] / "demo" / "deep-learning-theory.bib"
SHARED_ORIGINAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "deep-learning-theory.bib"
TOPICS = {"generalization", "optimization", "hardness", "kernels", "robustness"}
ICLR = "International Conference on Learning Representations (ICLR)"
ICML = "International Conference on Machine Learning (ICML)"
NEURIPS = "Advances in Neural Information Processing Systems (NeurIPS)"
COLT = "Conference on Learning Theory (COLT)"


def bib_errors(text: str) -> list[tuple[int, str]]:
    records, errors = parse_bibtex(text.encode())
    assert errors, records
    return [(error.line, error.message) for error in errors]


def csv_errors(text: str) -> list[tuple[int, str]]:
    records, errors = parse_paper_csv(text.encode())
    assert errors, records
    return [(error.line, error.message) for error in errors]


def only_record(records_and_errors) -> PaperRecord:
    records, errors = records_and_errors
    assert errors == []
    assert len(records) == 1
    return records[0]


# The shared deep-learning-theory.bib ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_records() -> list[PaperRecord]:
    records, errors = parse_bibtex(SHARED_BIB.read_bytes())
    assert errors == []
    return records


@pytest.mark.skipif(not SHARED_ORIGINAL.exists(), reason="shared/ is not checked out beside the repository")
def test_demo_copy_of_the_shared_bibtex_file_is_unchanged():
    assert SHARED_BIB.read_bytes() == SHARED_ORIGINAL.read_bytes()


def test_parse_bibtex_of_the_shared_file_reads_26_papers_under_the_five_topics(shared_records):
    assert len(shared_records) == 26
    assert {record.topic for record in shared_records} == TOPICS
    assert len({record.key for record in shared_records}) == 26


def test_parse_bibtex_of_the_shared_file_decodes_latex_in_names(shared_records):
    authors = {record.key: record.authors for record in shared_records}

    assert authors["chizat2018global"] == "Lénaïc Chizat, Francis Bach"
    assert authors["chizat2019lazy"] == "Lénaïc Chizat, Edouard Oyallon, Francis Bach"
    assert "Bernhard Schölkopf" in authors["muandet2017kernel"]


DEMO_ENTRIES = [
    (4, "zhang2017rethinking", "Understanding Deep Learning Requires Rethinking Generalization", ICLR),
    (14, "bartlett2017spectrally", "Spectrally-normalized margin bounds for neural networks", NEURIPS),
    (24, "neyshabur2017exploring", "Exploring Generalization in Deep Learning", NEURIPS),
    (
        34,
        "arora2018compression",
        "Stronger Generalization Bounds for Deep Nets via a Compression Approach",
        ICML,
    ),
    (
        44,
        "belkin2019reconciling",
        "Reconciling modern machine-learning practice and the classical bias–variance trade-off",
        "Proceedings of the National Academy of Sciences",
    ),
    (56, "nakkiran2020double", "Deep Double Descent: Where Bigger Models and More Data Hurt", ICLR),
    (
        66,
        "dziugaite2017nonvacuous",
        "Computing Nonvacuous Generalization Bounds for Deep (Stochastic) Neural Networks with Many More "
        "Parameters than Training Data",
        "Conference on Uncertainty in Artificial Intelligence (UAI)",
    ),
    (76, "du2019gradient", "Gradient Descent Finds Global Minima of Deep Neural Networks", ICML),
    (86, "allenzhu2019convergence", "A Convergence Theory for Deep Learning via Over-Parameterization", ICML),
    (
        96,
        "chizat2018global",
        "On the Global Convergence of Gradient Descent for Over-parameterized Models using Optimal Transport",
        NEURIPS,
    ),
    (106, "kawaguchi2016deep", "Deep Learning without Poor Local Minima", NEURIPS),
    (116, "shalevshwartz2017failures", "Failures of Gradient-Based Deep Learning", ICML),
    (
        126,
        "shamir2018distribution",
        "Distribution-Specific Hardness of Learning Neural Networks",
        "Journal of Machine Learning Research",
    ),
    (139, "golowich2018size", "Size-Independent Sample Complexity of Neural Networks", COLT),
    (149, "goel2017reliably", "Reliably Learning the ReLU in Polynomial Time", COLT),
    (
        159,
        "jacot2018ntk",
        "Neural Tangent Kernel: Convergence and Generalization in Neural Networks",
        NEURIPS,
    ),
    (
        169,
        "lee2019wide",
        "Wide Neural Networks of Any Depth Evolve as Linear Models Under Gradient Descent",
        NEURIPS,
    ),
    (
        179,
        "arora2019finegrained",
        "Fine-Grained Analysis of Optimization and Generalization for Overparameterized Two-Layer Neural "
        "Networks",
        ICML,
    ),
    (189, "chizat2019lazy", "On Lazy Training in Differentiable Programming", NEURIPS),
    (199, "belkin2018kernel", "To Understand Deep Learning We Need to Understand Kernel Learning", ICML),
    (
        209,
        "muandet2017kernel",
        "Kernel Mean Embedding of Distributions: A Review and Beyond",
        "Foundations and Trends in Machine Learning",
    ),
    (222, "madry2018towards", "Towards Deep Learning Models Resistant to Adversarial Attacks", ICLR),
    (232, "schmidt2018adversarially", "Adversarially Robust Generalization Requires More Data", NEURIPS),
    (242, "cohen2019certified", "Certified Adversarial Robustness via Randomized Smoothing", ICML),
    (252, "tsipras2019robustness", "Robustness May Be at Odds with Accuracy", ICLR),
    (262, "yin2019rademacher", "Rademacher Complexity for Adversarially Robust Generalization", ICML),
]


def entry_lines(path: Path, skip: tuple[str, ...] = ()) -> list[int]:
    """The lines on which an entry starts, read without a BibTeX parser: those that begin with "@"."""
    lines = path.read_text().splitlines()
    return [
        number
        for number, text in enumerate(lines, start=1)
        if text.startswith("@") and not text.lower().startswith(skip)
    ]


def test_parse_bibtex_of_the_shared_file_gives_each_entry_its_line_title_and_venue(shared_records):
    assert [(r.line, r.key, r.title, r.venue) for r in shared_records] == DEMO_ENTRIES
    assert [record.line for record in shared_records] == entry_lines(SHARED_BIB)


def test_parse_bibtex_of_the_shared_file_gives_clean_titles_and_https_links(shared_records):
    for record in shared_records:
        assert record.title, record
        assert not set(record.title) & set("{}\\"), record
        assert record.link.startswith("https://"), record
        assert record.authors, record
        assert record.venue, record
        assert 2010 <= record.year <= 2025, record
    by_key = {record.key: record for record in shared_records}
    assert by_key["belkin2019reconciling"].link == "https://doi.org/10.1073/pnas.1903070116"
    assert by_key["zhang2017rethinking"].link == "https://arxiv.org/abs/1611.03530"


# A bibliography written for these tests: @string, @preamble, @comment, % comments, crossref, \\ at line ends
# inside quoted fields, and the TeX macros real files hold.
MACROS_BIB = Path(__file__).resolve().parent / "macros-and-crossref.bib"
MACROS_ENTRIES = [
    (17, "knuth1984texbook", "The TeXbook", "Addison-Wesley", 1984, "Donald E. Knuth"),
    (
        24,
        "lamport1986latex",
        "LaTeX: A Document Preparation System User's Guide and Reference Manual",
        "TUGboat (the TeX Users Group)",
        1986,
        "Leslie Lamport",
    ),
    (
        32,
        "jacot2018ntk",
        "Neural Tangent Kernel: Convergence and Generalization in Neural Networks",
        "Advances in Neural Information Processing Systems 31",
        2018,
        "Arthur Jacot, Franck Gabriel, Clément Hongler",
    ),
    (
        47,
        "schoelkopf2002kernels",
        "Learning with Kernels—Support Vector Machines, Regularization, Optimization, and Beyond",
        "Journal of Machine Learning Research",
        2002,
        "Bernhard Schölkopf, Alexander J. Smola",
    ),
    (
        55,
        "gauss1809",
        "Theoria motus corporum coelestium in sectionibus conicis solem ambientium",
        "Perthes & Besser",
        1809,
        "Carl Friedrich Gauß",
    ),
    (
        62,
        "arora2019finegrained",
        "Fine-Grained Analysis of Optimization and Generalization for Overparameterized Two-Layer Neural "
        "Networks… and Input/Output Regularity",
        ICML,
        2019,
        "Sanjeev Arora, Simon S. Du, Wei Hu, Zhiyuan Li, Ruosong Wang",
    ),
    (
        71,
        "du2019gradient",
        "Gradient Descent Finds Global Minima of Deep Neural Networks in O(n^2) Steps",
        ICML,
        2019,
        "Simon S. Du, Jason D. Lee, Haochuan Li, Liwei Wang, Xiyu Zhai",
    ),
    (
        85,
        "bias2020variance",
        "Bias–variance trade-offs–a tour de force of regularization — revisited",
        "",
        2020,
        "Wendy Writer",
    ),
]


def test_parse_bibtex_of_a_bibliography_with_macros_strings_and_crossref_reads_each_entry_exactly():
    records, errors = parse_bibtex(MACROS_BIB.read_bytes())

    assert errors == []
    assert [(r.line, r.key, r.title, r.venue, r.year, r.authors) for r in records] == MACROS_ENTRIES
    assert [record.line for record in records] == entry_lines(
        MACROS_BIB, skip=("@string", "@preamble", "@comment", "@proceedings")
    )
    assert {record.key: record.topic for record in records if record.topic} == {
        "jacot2018ntk": "kernels",
        "arora2019finegrained": "optimization",
        "du2019gradient": "generalization",
    }


# BibTeX: good entries ---------------------------------------------------------------------------------------


def test_parse_bibtex_reads_every_field_of_an_entry():
    data = rb"""% a comment line
@inproceedings{jacot2018ntk,
  title     = {{Neural Tangent Kernel}: Convergence and Generalization},
  author    = {Jacot, Arthur and Gabriel, Franck and Hongler, Cl{\'e}ment},
  booktitle = {Advances in Neural Information Processing Systems},
  year      = 2018,
  eprint    = {1806.07572},
  archivePrefix = {arXiv},
  abstract  = {We show that   the {NTK} is 100% fixed.},
  keywords  = {kernels, optimization}
}
"""

    record = only_record(parse_bibtex(data))

    assert record == PaperRecord(
        line=2,
        key="jacot2018ntk",
        title="Neural Tangent Kernel: Convergence and Generalization",
        authors="Arthur Jacot, Franck Gabriel, Clément Hongler",
        venue="Advances in Neural Information Processing Systems",
        year=2018,
        link="https://arxiv.org/abs/1806.07572",
        abstract="We show that the NTK is 100% fixed.",
        topic="kernels",
        capacity=None,
        supervisor_email="",
    )


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"{\'e}t{\'e}", "été"),
        (r"\"{o}l", "öl"),
        (r"{\"o}l", "öl"),
        (r"na{\"\i}ve \'{\i}", "naïve í"),
        (r"bias--variance", "bias–variance"),
        (r"a---b", "a—b"),
        (r"Theorem~1", "Theorem 1"),
        (r"{{Nested {Braces}}}", "Nested Braces"),
        ("  many \n\t spaces  ", "many spaces"),
        (r"50\% of \emph{all}", "50% of all"),
        (r"\ss{}e", "ße"),
    ],
)
def test_parse_bibtex_decodes_latex_in_titles(latex, text):
    data = f"@article{{k, title={{{latex}}}, author={{A. Author}}}}".encode()

    assert only_record(parse_bibtex(data)).title == text


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"The {\TeX book}", "The TeXbook"),
        (r"The {\TeX}book", "The TeXbook"),
        (r"\LaTeX{} Companion", "LaTeX Companion"),
        (r"The \LaTeX\ Companion", "The LaTeX Companion"),
        (r"\LaTeXe", "LaTeX2e"),
        (r"\BibTeX{} styles", "BibTeX styles"),
        (r"Theory\emdash and practice", "Theory—and practice"),
        (r"Pages 3\endash 5", "Pages 3–5"),
        (r"Input\slash output", "Input/output"),
        (r"Re\-gu\-lar\-iza\-tion", "Regularization"),
        (r"An $O(n^2)$ algorithm", "An O(n^2) algorithm"),
        (r"$\mathcal{O}(n \log n)$ sorting", "O(n log n) sorting"),
        (r"Bits in $\{0,1\}^n$", "Bits in {0,1}^n"),
        (r"The $\|w\|_2$ norm", "The ‖w‖_2 norm"),
        (r"A \texttt{torch} library", "A torch library"),
        (r"\textsf{SGD} variants", "SGD variants"),
        (r"See \href{https://x.org}{the site}", "See the site <https://x.org>"),
    ],
)
def test_parse_bibtex_writes_tex_macros_as_a_person_reads_them(latex, text):
    data = f"@article{{k, title={{{latex}}}, author={{A. Author}}}}".encode()

    assert only_record(parse_bibtex(data)).title == text


def test_parse_bibtex_writes_tex_macros_in_authors_and_venues_as_a_person_reads_them():
    data = rb"""@inproceedings{k,
  title = {T},
  author = {{\TeX} Users Group and Knuth, Donald E.},
  booktitle = {Proc.\ of the \TeX\ Users Group\emdash Annual Meeting},
}
"""

    record = only_record(parse_bibtex(data))

    assert (record.authors, record.venue) == (
        "TeX Users Group, Donald E. Knuth",
        "Proc. of the TeX Users Group—Annual Meeting",
    )


@pytest.mark.parametrize(
    ("author", "authors"),
    [
        ("Bach, Francis", "Francis Bach"),
        ("Francis Bach", "Francis Bach"),
        ("Chizat, L{\\'e}na{\\\"\\i}c and Bach, Francis", "Lénaïc Chizat, Francis Bach"),
        ('Sch{\\"o}lkopf, Bernhard AND Smola, Alexander J.', "Bernhard Schölkopf, Alexander J. Smola"),
        ("van der Vaart, Aad", "Aad van der Vaart"),
        ("King, Jr, Martin Luther", "Martin Luther King Jr"),
        ("{Barnes and Noble, Inc.}", "Barnes and Noble, Inc."),
        ("Bach, Francis and others", "Francis Bach, et al."),
        ("Plato", "Plato"),
    ],
)
def test_parse_bibtex_writes_authors_first_name_first(author, authors):
    data = f"@misc{{k, title={{T}}, author={{{author}}}}}".encode()

    assert only_record(parse_bibtex(data)).authors == authors


@pytest.mark.parametrize(
    ("fields", "link"),
    [
        (
            "doi={10.1073/pnas.1903070116}, eprint={1806.07572}, archivePrefix={arXiv}, url={https://x.org}",
            "https://doi.org/10.1073/pnas.1903070116",
        ),
        ("doi={https://doi.org/10.1145/3446776}", "https://doi.org/10.1145/3446776"),
        ("doi={doi:10.1145/3446776}", "https://doi.org/10.1145/3446776"),
        (
            "eprint={1806.07572}, archivePrefix={arXiv}, url={https://x.org}",
            "https://arxiv.org/abs/1806.07572",
        ),
        ("eprint={arXiv:1806.07572v2}", "https://arxiv.org/abs/1806.07572v2"),
        ("eprint={hep-th/9901001}", "https://arxiv.org/abs/hep-th/9901001"),
        ("url={https://proceedings.mlr.press/v80/x.html}", "https://proceedings.mlr.press/v80/x.html"),
        ("doi={not a doi}, url={https://x.org/paper}", "https://x.org/paper"),
        ("url={javascript:alert(1)}", ""),
        ("url={ftp://x.org/paper.pdf}", ""),
        ("", ""),
    ],
)
def test_parse_bibtex_makes_the_link_from_doi_then_arxiv_then_url(fields, link):
    data = f"@misc{{k, title={{T}}, author={{A. Author}}, {fields}}}".encode()

    assert only_record(parse_bibtex(data)).link == link


@pytest.mark.parametrize(
    ("entry_type", "venue_field"),
    [
        ("article", "journal"),
        ("inproceedings", "booktitle"),
        ("incollection", "booktitle"),
        ("book", "publisher"),
        ("phdthesis", "school"),
        ("techreport", "institution"),
        ("misc", "howpublished"),
        ("ARTICLE", "journal"),
    ],
)
def test_parse_bibtex_takes_every_kind_of_publication_as_a_paper(entry_type, venue_field):
    data = (
        f"@{entry_type}{{k, title={{T}}, author={{A. Author}}, {venue_field}={{V}}, year={{2001}}}}".encode()
    )

    record = only_record(parse_bibtex(data))

    assert (record.key, record.title, record.year) == ("k", "T", 2001)
    assert record.venue == ("" if venue_field == "howpublished" else "V")


def test_parse_bibtex_ignores_string_preamble_and_comment_blocks_and_resolves_strings():
    data = b"""@string{neurips = {Advances in Neural Information Processing Systems}}
@preamble{"\\newcommand{\\noop}[1]{}"}
@comment{jabref-meta: databaseType:bibtex;}

@inproceedings{k,
  title = {T},
  author = {A. Author},
  booktitle = neurips,
}
"""

    record = only_record(parse_bibtex(data))

    assert (record.line, record.venue) == (5, "Advances in Neural Information Processing Systems")


def test_parse_bibtex_joins_strings_and_pieces_with_hash_as_bibtex_does():
    data = b"""@string{proc = "Proceedings of the "}
@String{NeurIPS = proc # {Conference on Neural Information Processing Systems}}

@inproceedings{k,
  title = "Part one, " # {part two} # ", part " # 3,
  author = {A. Author},
  booktitle = neurips # " (" # dec # " 2018)",
}
@article{unknown, title = {T}, author = {B. Author}, journal = notastring # { 2019}}
"""

    records, errors = parse_bibtex(data)

    venue = "Proceedings of the Conference on Neural Information Processing Systems (December 2018)"
    assert errors == []
    assert [(record.line, record.title, record.venue) for record in records] == [
        (4, "Part one, part two, part 3", venue),
        (9, "T", "notastring 2019"),
    ]


def test_parse_bibtex_follows_crossref_to_the_proceedings_and_does_not_import_them():
    data = rb"""@inproceedings{jacot2018ntk,
  title = {Neural Tangent Kernel},
  author = {Jacot, Arthur},
  crossref = {NeurIPS2018},
}

@inproceedings{own2019,
  title = {Own fields win},
  author = {Own, Olga},
  booktitle = {Its own booktitle},
  year = {2019},
  crossref = {neurips2018},
}

@proceedings{NeurIPS2018,
  title = {Advances in Neural Information Processing Systems 31},
  editor = {Bengio, Samy},
  publisher = {Curran Associates},
  year = {2018},
  keywords = {kernels},
}
"""

    records, errors = parse_bibtex(data)

    neurips = "Advances in Neural Information Processing Systems 31"
    assert errors == []
    assert [(r.line, r.key, r.title, r.venue, r.year, r.topic) for r in records] == [
        (1, "jacot2018ntk", "Neural Tangent Kernel", neurips, 2018, "kernels"),
        (7, "own2019", "Own fields win", "Its own booktitle", 2019, "kernels"),
    ]


def test_parse_bibtex_takes_the_booktitle_of_a_parent_that_has_one_over_its_title():
    data = rb"""@incollection{chapter,
  title = {A chapter},
  author = {Writer, Wendy},
  crossref = {book},
}
@book{book,
  title = {The Book},
  booktitle = {The Book: Collected Chapters},
  author = {Editor, Ed},
}
"""

    record = only_record(parse_bibtex(data))

    assert (record.key, record.venue, record.authors) == (
        "chapter",
        "The Book: Collected Chapters",
        "Wendy Writer",
    )


def test_parse_bibtex_does_not_import_a_proceedings_volume():
    data = b"@proceedings{icml2020, title = {Proceedings of ICML 2020}, year = {2020}}\n"

    assert bib_errors(data.decode()) == [(1, "The file has no entries.")]


def test_parse_bibtex_reports_a_crossref_to_an_entry_not_in_the_file():
    data = after_good("@inproceedings{k,\n  title = {T},\n  author = {A},\n  crossref = {NeurIPS2018}\n}\n")

    assert bib_errors(data) == [
        (7, "Entry “k”: the cross-referenced entry “NeurIPS2018” is not in the file.")
    ]


def test_parse_bibtex_reads_cp1252_and_a_utf8_bom():
    text = "@article{k, title={Schöne Grüße}, author={Müller, Jörg}, year={2001}}"

    for data in (text.encode("cp1252"), text.encode("utf-8-sig")):
        record = only_record(parse_bibtex(data))
        assert (record.title, record.authors) == ("Schöne Grüße", "Jörg Müller")


# BibTeX: errors ---------------------------------------------------------------------------------------------

GOOD = "@article{good2020,\n  title = {A good paper},\n  author = {Good, Ann},\n  year = {2020}\n}\n\n"
UNREADABLE = "cannot be read (a brace or quote is missing?)."


def after_good(entry: str) -> str:
    """A file whose first entry is fine and whose second entry, on line 7, is `entry`."""
    return GOOD + entry


# The latest year is next year by the server's clock; these tests run in 2026.
NOT_A_YEAR = "is not a year from 1000 to next year (2027)."


@pytest.fixture
def in_2026(time_machine):
    time_machine.move_to(datetime(2026, 10, 15, 12, 0, tzinfo=UTC), tick=False)


def with_year(year: str) -> str:
    return after_good(f"@article{{k, title = {{T}}, author = {{A}}, year = {{{year}}}}}")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", (1, "The file has no entries.")),
        ("  \n% nothing but a comment\n", (1, "The file has no entries.")),
        ("@string{a = {b}}\n@comment{c}\n", (1, "The file has no entries.")),
        (after_good("@article{k,\n  author = {A. Author}\n}\n"), (7, "Entry “k”: the title is missing.")),
        (after_good("@article{k, title = {{}}, author = {A}}"), (7, "Entry “k”: the title is missing.")),
        (after_good("@article{k,\n  title = {T}\n}\n"), (7, "Entry “k”: the authors are missing.")),
        (after_good("@article{k, title = {T}, author = { }}"), (7, "Entry “k”: the authors are missing.")),
        (with_year("999"), (7, f"Entry “k”: “999” {NOT_A_YEAR}")),
        (with_year("2028"), (7, f"Entry “k”: “2028” {NOT_A_YEAR}")),
        (with_year("twenty"), (7, f"Entry “k”: “twenty” {NOT_A_YEAR}")),
        (with_year("99"), (7, f"Entry “k”: “99” {NOT_A_YEAR}")),
        (with_year("2020a"), (7, f"Entry “k”: “2020a” {NOT_A_YEAR}")),
        (with_year("٢٠٢٠"), (7, f"Entry “k”: “٢٠٢٠” {NOT_A_YEAR}")),
        (after_good("@article{good2020, title = {T}, author = {A}}"),
         (7, "Entry “good2020”: this key is used twice in the file.")),
        (after_good("@article{GOOD2020, title = {T}, author = {A}}"),
         (7, "Entry “GOOD2020”: this key is used twice in the file.")),
        (after_good("@article{k, title = {T}, title = {U}, author = {A}}"),
         (7, "Entry “k”: the field “title” is given twice.")),
        (after_good("@article{k,\n  title = {T\n}\n"), (7, f"Entry “k” {UNREADABLE}")),
        (after_good("@article{k\n  title = {T}\n}\n"), (7, f"Entry “k” {UNREADABLE}")),
        (after_good("@article{, title = {T}, author = {A}}"), (7, f"An entry {UNREADABLE}")),
        (after_good("@{ }"), (7, f"An entry {UNREADABLE}")),
    ],
)  # fmt: skip
def test_parse_bibtex_reports_the_line_and_key_of_a_bad_entry(text, error, in_2026):
    assert bib_errors(text) == [error]


@pytest.mark.parametrize("year", [1000, 1687, 1899, 2026, 2027])
def test_parse_bibtex_and_csv_accept_a_year_from_1000_to_next_year(year, in_2026):
    bibtex = f"@book{{newton, title = {{Principia}}, author = {{Newton, Isaac}}, year = {{{year}}}}}"
    csv_text = f"title,authors,year\nPrincipia,Isaac Newton,{year}\n"

    assert only_record(parse_bibtex(bibtex.encode())).year == year
    assert only_record(parse_paper_csv(csv_text.encode())).year == year


def test_parse_bibtex_with_one_broken_entry_still_reads_the_good_ones():
    data = (
        b"@article{first2019, title = {First}, author = {One, A}, year = {2019}}\n"  # line 1
        b"\n"
        b'@article{broken2021,\n  title = "never closed,\n  author = {Two, B}\n}\n'  # line 3
        b"\n"
        b"@article{last2022,\n  title = {Last},\n  author = {Three, C},\n  year = {2022}\n}\n"  # line 8
    )

    records, errors = parse_bibtex(data)

    assert [(record.line, record.key, record.title) for record in records] == [
        (1, "first2019", "First"),
        (8, "last2022", "Last"),
    ]
    assert errors == [RowError(3, "Entry “broken2021” cannot be read (a brace or quote is missing?).")]


def test_parse_bibtex_reports_every_problem_of_an_entry_in_line_order(in_2026):
    data = (
        b"@article{b, year = {892}}\n"
        b"@article{a, title = {T}, author = {A}, year = {3000}}\n"
        b"@article{b, title = {T}, author = {A}}\n"
    )

    records, errors = parse_bibtex(data)

    assert records == []
    assert [(error.line, error.message) for error in errors] == [
        (1, "Entry “b”: the title is missing."),
        (1, "Entry “b”: the authors are missing."),
        (1, f"Entry “b”: “892” {NOT_A_YEAR}"),
        (2, f"Entry “a”: “3000” {NOT_A_YEAR}"),
        (3, "Entry “b”: this key is used twice in the file."),
    ]


def test_parse_bibtex_counts_the_lines_after_latex_line_breaks_at_line_ends():
    data = rb"""@article{quoted,
  title = "Line one \\
  line two \\
  line three",
  author = {A}
}

@article{braced,
  title = {Line one \\
  line two},
  author = {B}
}
@article{control,
  title = {Control \
  space},
  author = {C}
}
@article{last, title = {Last}, author = {D}}
@article{broken, author = {E}}
"""

    records, errors = parse_bibtex(data)

    assert [(record.line, record.key, record.title) for record in records] == [
        (1, "quoted", "Line one line two line three"),
        (8, "braced", "Line one line two"),
        (13, "control", "Control space"),
        (18, "last", "Last"),
    ]
    assert errors == [RowError(19, "Entry “broken”: the title is missing.")]


def test_parse_bibtex_ends_a_field_after_a_latex_line_break_before_its_closing_brace():
    data = rb"""@article{k,
  title = {Ends in a break\\},
  author = "Writes, Ann\\",
  year = {2020}
}
"""

    record = only_record(parse_bibtex(data))

    assert (record.title, record.authors, record.year) == ("Ends in a break", "Ann Writes", 2020)


# CSV: good rows ---------------------------------------------------------------------------------------------


def test_parse_paper_csv_reads_every_column():
    data = (
        b"Title,Authors,Venue,Year,Link,Abstract,Topic,Capacity,Supervisor email\n"
        b'Neural Tangent Kernel,"Arthur Jacot, Franck Gabriel",NeurIPS,2018,1806.07572,'
        b"An  abstract.,kernels,2,Sup@Uni.Example\n"
    )

    record = only_record(parse_paper_csv(data))

    assert record == PaperRecord(
        line=2,
        key="",
        title="Neural Tangent Kernel",
        authors="Arthur Jacot, Franck Gabriel",
        venue="NeurIPS",
        year=2018,
        link="https://arxiv.org/abs/1806.07572",
        abstract="An abstract.",
        topic="kernels",
        capacity=2,
        supervisor_email="sup@uni.example",
    )


def test_parse_paper_csv_reads_german_columns_semicolons_and_cp1252():
    data = (
        "Titel;Autoren;Jahr;Thema;Plätze;Betreuer\n"
        "Über Kerne;Jörg Müller;2020;kernels;3;betreuer@tum.de\n"
        ";;;;;\n"
        "Zweites Paper;Anna Schmidt;;;;\n"
    ).encode("cp1252")

    records, errors = parse_paper_csv(data)

    assert errors == []
    assert [
        (r.line, r.title, r.authors, r.year, r.topic, r.capacity, r.supervisor_email) for r in records
    ] == [
        (2, "Über Kerne", "Jörg Müller", 2020, "kernels", 3, "betreuer@tum.de"),
        (4, "Zweites Paper", "Anna Schmidt", None, "", None, ""),
    ]


@pytest.mark.parametrize(
    ("cell", "link"),
    [
        ("10.1234/abc", "https://doi.org/10.1234/abc"),
        ("doi:10.1234/abc", "https://doi.org/10.1234/abc"),
        ("https://doi.org/10.1234/abc", "https://doi.org/10.1234/abc"),
        ("10.1234/a#b?c", "https://doi.org/10.1234/a%23b%3Fc"),
        ("1806.07572", "https://arxiv.org/abs/1806.07572"),
        ("arXiv:1806.07572v3", "https://arxiv.org/abs/1806.07572v3"),
        ("https://arxiv.org/abs/1806.07572", "https://arxiv.org/abs/1806.07572"),
        ("http://example.org/paper.pdf", "http://example.org/paper.pdf"),
        ("", ""),
    ],
)
def test_parse_paper_csv_turns_a_doi_or_arxiv_id_into_a_link(cell, link):
    data = f'title,authors,link\nT,A,"{cell}"\n'.encode()

    assert only_record(parse_paper_csv(data)).link == link


# CSV: errors ------------------------------------------------------------------------------------------------


BAD_CAPACITY = "The capacity must be a whole number from 1 to 50."


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        ("", [(1, "The file is empty.")]),
        ("title,authors\n", [(2, "The file has no entries.")]),
        ("name,email\nT,A\n", [(1, "The first line must name the columns; title and authors are required.")]),
        ("title,authors\nT,A\n,B\n", [(3, "The title is missing.")]),
        ("title,authors\nT,A\nU, \n", [(3, "The authors are missing.")]),
        ("title,authors,year\nT,A,2020\nU,B,850\n", [(3, f"“850” {NOT_A_YEAR}")]),
        ("title,authors,year\nT,A,2020\nU,B,2028\n", [(3, f"“2028” {NOT_A_YEAR}")]),
        ("title,authors,year\nT,A,2020\nU,B,20.5\n", [(3, f"“20.5” {NOT_A_YEAR}")]),
        ("title,authors,capacity\nT,A,1\nU,B,0\n", [(3, BAD_CAPACITY)]),
        ("title,authors,capacity\nT,A,50\nU,B,51\n", [(3, BAD_CAPACITY)]),
        ("title,authors,capacity\nT,A,2\nU,B,1.5\n", [(3, BAD_CAPACITY)]),
        ("title,authors,supervisor\nT,A,a@b.de\nU,B,nobody\n", [(3, "“nobody” is not an e-mail address.")]),
        ("title,authors,link\nT,A,\nU,B,ftp://x.org/p\n",
         [(3, "“ftp://x.org/p” is not a DOI, an arXiv id or a web address.")]),
        ("title,authors,link\nT,A,\nU,B,javascript:alert(1)\n",
         [(3, "“javascript:alert(1)” is not a DOI, an arXiv id or a web address.")]),
        ("title,authors\nDeep  Nets,A\ndeep nets ,B\n", [(3, "The same title is on line 2.")]),
        ('title,authors\nT,A\n"U\nV",B\nW,' + "x" * 200_000 + "\n",
         [(5, "This line cannot be read (field larger than field limit (131072)).")]),
    ],
)  # fmt: skip
def test_parse_paper_csv_reports_the_line_of_a_bad_row(text, errors, in_2026):
    assert csv_errors(text) == errors


def test_parse_paper_csv_reports_every_problem_of_a_row(in_2026):
    data = "title,authors,year,capacity,supervisor\n,,x,0,y\nT,A,2020,1,a@b.de\n"

    assert csv_errors(data) == [
        (2, "The title is missing."),
        (2, "The authors are missing."),
        (2, f"“x” {NOT_A_YEAR}"),
        (2, "The capacity must be a whole number from 1 to 50."),
        (2, "“y” is not an e-mail address."),
    ]


# Property tests ---------------------------------------------------------------------------------------------

BIBTEX_ALPHABET = st.sampled_from(list("@{}(),=\"#%\\ \n\tabkeyrtiluoé0123456789-~$^_'`")) | st.text(
    max_size=2
)


def _assert_well_formed(records, errors):
    assert records or errors
    for record in records:
        assert record.title
        assert record.authors
        assert record.line >= 1
        assert record.year is None or EARLIEST_PAPER_YEAR <= record.year <= latest_paper_year()
        assert record.link == "" or record.link.startswith(("http://", "https://"))
    for error in errors:
        assert error.line >= 1
        assert error.message


@given(st.binary(max_size=2000))
def test_parsers_never_raise_on_arbitrary_bytes(data):
    _assert_well_formed(*parse_bibtex(data))
    _assert_well_formed(*parse_paper_csv(data))


@given(st.lists(BIBTEX_ALPHABET, max_size=300).map("".join))
@settings(max_examples=500)
def test_parse_bibtex_never_raises_on_bibtex_like_text(text):
    _assert_well_formed(*parse_bibtex(text.encode()))
    _assert_well_formed(*parse_bibtex(("@article{k, title={" + text + "}, author={" + text + "}}").encode()))


@given(st.text(max_size=500))
def test_parse_paper_csv_never_raises_on_arbitrary_text(text):
    _assert_well_formed(*parse_paper_csv(("title;authors;year;link;capacity;supervisor\n" + text).encode()))


WORDS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Zs")),
    min_size=1,
    max_size=12,
)
PHRASE = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)
RECORDS = st.lists(
    st.builds(
        dict,
        title=PHRASE,
        authors=PHRASE,
        venue=PHRASE | st.just(""),
        year=st.none() | st.integers(EARLIEST_PAPER_YEAR, latest_paper_year()),
        link=st.sampled_from(["", "https://doi.org/10.1234/abc", "https://arxiv.org/abs/1806.07572"]),
        abstract=PHRASE | st.just(""),
        topic=PHRASE | st.just(""),
        capacity=st.none() | st.integers(1, 50),
        supervisor_email=st.sampled_from(["", "ada@tum.de", "alan.turing@uni.example"]),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda row: " ".join(row["title"].casefold().split()),
)


@given(rows=RECORDS, delimiter=st.sampled_from([",", ";"]))
@settings(max_examples=200)
def test_parse_paper_csv_round_trips_what_csv_writer_wrote(rows, delimiter):
    columns = list(rows[0])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row[column] is None else row[column] for column in columns])

    records, errors = parse_paper_csv(out.getvalue().encode())

    assert errors == []
    assert [{column: getattr(record, column) for column in columns} for record in records] == rows


TITLE_LINES = st.lists(
    st.sampled_from(["Deep nets", "and kernels", "of \\TeX{}", "in $O(n)$"]), min_size=1, max_size=4
)
LINE_ENDS = st.sampled_from(["\n", " \\\\\n", "\\\\\n", " \\\n"])


@st.composite
def bibliographies(draw) -> tuple[str, list[int]]:
    """A bibliography whose titles run over several lines, ending in a LaTeX line break or not, and the
    line each entry starts on."""
    text, starts = "% generated\n", []
    for number in range(draw(st.integers(1, 12))):
        opening, closing = draw(st.sampled_from(['""', "{}"]))
        lines = draw(TITLE_LINES)
        title = "".join(line + draw(LINE_ENDS) for line in lines[:-1]) + lines[-1]
        starts.append(text.count("\n") + 1)
        text += f"@article{{k{number},\n  title = {opening}{title}{closing},\n  author = {{A. Author}},\n}}\n"
        text += draw(st.sampled_from(["", "\n", "% a comment \\\\\n"]))
    return text, starts


@given(bibliographies())
@settings(max_examples=200)
def test_parse_bibtex_gives_each_entry_the_line_it_starts_on(bibliography):
    text, starts = bibliography

    records, errors = parse_bibtex(text.encode())

    assert errors == []
    assert [record.line for record in records] == starts
