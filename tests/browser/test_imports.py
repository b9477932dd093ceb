"""The instructor's two upload flows: a student list (CSV) and papers (BibTeX), each with a bad file first."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from demo.seminar import DEMO_LOGINS, demo_load
from papers.models import Paper
from seminars.models import Membership

pytestmark = pytest.mark.browser

INSTRUCTOR = next(login for login in DEMO_LOGINS if login.role == "instructor")
BIBTEX = Path(__file__).resolve().parents[2] / "demo" / "deep-learning-theory.bib"


def test_instructor_imports_a_student_list_after_fixing_a_bad_line(page, log_in, tmp_path, mailoutbox):
    seminar = demo_load()
    bad = tmp_path / "students.csv"
    bad.write_text(
        "email,name,matriculation number\nada@uni.example,Ada Lovelace,03712345\nnot-an-address,Bob,\n"
    )
    good = tmp_path / "students-fixed.csv"
    good.write_text(
        "email,name,matriculation number\nada@uni.example,Ada Lovelace,03712345\nbob@uni.example,Bob,\n"
    )
    log_in(page, INSTRUCTOR.email, INSTRUCTOR.password)

    page.goto(f"/seminars/{seminar.slug}/manage/students/")
    page.get_by_role("link", name="Import a student list").click()
    page.get_by_label("Student list (CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("alert")).to_contain_text("Line 3")
    assert not User.objects.filter(email="ada@uni.example").exists()

    page.get_by_label("Student list (CSV)").set_input_files(str(good))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status")).to_contain_text("2 students added")
    expect(page.get_by_role("cell", name="Ada Lovelace")).to_be_visible()
    assert Membership.objects.filter(seminar=seminar, role=Membership.Role.STUDENT).count() == 2
    assert sorted(message.to[0] for message in mailoutbox) == ["ada@uni.example", "bob@uni.example"]


def test_instructor_imports_papers_from_bibtex_after_a_broken_file(page, log_in, tmp_path):
    seminar = demo_load()
    broken = tmp_path / "broken.bib"
    broken.write_text(
        "@article{good2020, title={Good}, author={A, B}, year={2020}}\n@article{bad2021, title={Bad\n"
    )
    log_in(page, INSTRUCTOR.email, INSTRUCTOR.password)

    page.goto(f"/seminars/{seminar.slug}/papers/")
    page.get_by_role("link", name="Import papers").click()
    page.get_by_label("BibTeX or CSV file").set_input_files(str(broken))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("alert")).to_contain_text("bad2021")
    assert not Paper.objects.filter(seminar=seminar).exists()

    page.get_by_label("BibTeX or CSV file").set_input_files(str(BIBTEX))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status")).to_contain_text("26 papers added")
    expect(page.get_by_role("heading", name="Robustness of neural networks")).to_be_visible()
    assert Paper.objects.filter(seminar=seminar).count() == 26
