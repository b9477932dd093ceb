"""The permission matrix: every URL pattern of the portal (its own, allauth's and the Django admin's), asked
by every kind of person with GET and with POST, and the answer the portal gives today.

It pins today's behaviour so that the access checks can move into one policy without anyone noticing.
A pattern without a row fails `test_matrix_has_a_row_for_every_url_pattern`, a row without a pattern
fails `test_matrix_has_no_row_without_a_url_pattern`; a changed answer fails
`test_url_patterns_answer_each_person_as_the_matrix_says` with one line per difference.

The people (the columns), all seen from seminar A (tests/permission_world.py):
  anon   not logged in
  owner  a student of A, the owner of the object where the URL names one (submission, extension, ...)
  other  another student of A
  sup    the supervisor of the owner's paper
  osup   another supervisor of A (supervises the other student's paper)
  inst   an instructor of A, with the site permission to create and copy seminars
  finst  an instructor of seminar B (a member of no other seminar), with the same site permission
  staff  site staff (is_staff, no model permissions, a member of no seminar)
  super  a superuser (is_staff and is_superuser, a member of no seminar)

The answers: 200, 400, 401 (allauth's SSO error page), 403, 404, 405; L is a redirect (302, or 301 for
allauth's old addresses) to a login page (the portal's or the admin's), R a redirect anywhere else. A POST
sends an empty form, so a page that may be used answers it like a form with errors (200, or 302 for
buttons without fields). A request that is refused (L, 403, 404, 405) must write nothing to the database,
register no task, send no mail and store no file. Each request runs in a transaction that is rolled back,
so no request changes what the next one sees.

A row's key is a pattern's qualified name ("submissions:download", "account_login"), its route when it
has no name ("admin/(?P<url>.*)$"), or a glob (fnmatch) for a family of admin pages ("admin:*_add"). A
pattern's own row wins over a glob; a pattern matching two globs and no row of its own fails the test.
"""

import fnmatch
import itertools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from seminars.models import Seminar
from tests.permission_world import NOW, SeminarWorld, World, build_world
from tests.submissions.helpers import stored_files, submission_storage  # noqa: F401 - the fixture

GET, POST = "GET", "POST"
L, R = "login", "redirect"
WHO = (
    "anonymous",
    "owner",
    "other_student",
    "supervisor",
    "other_supervisor",
    "instructor",
    "foreign_instructor",
    "staff",
    "superuser",
)

# The table is aligned by hand so that its columns can be read; the formatter would undo that.
# fmt: off
MATRIX: dict[str, dict[str, tuple]] = {
    #                                                   anon  owner other sup   osup  inst  finst staff super
    # The site: the health check, the language switch, the own profile.
    "healthz":                                  {GET:  (200,  200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (405,  405,  405,  405,  405,  405,  405,  405,  405)},
    "branding_css":                             {GET:  (200,  200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (405,  405,  405,  405,  405,  405,  405,  405,  405)},
    "set_language":                             {GET:  (405,  405,  405,  405,  405,  405,  405,  405,  405),
                                                 POST: (R,    R,    R,    R,    R,    R,    R,    R,    R)},
    "accounts:profile":                         {GET:  (L,    200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (L,    200,  200,  200,  200,  200,  200,  200,  200)},
    # Seminars. A is open: its page and the list are public; the manage pages are its instructors'
    # (403 for everyone else, staff and superusers included: they use the admin).
    "seminars:list":                            {GET:  (200,  200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (405,  405,  405,  405,  405,  405,  405,  405,  405)},
    "seminars:detail":                          {GET:  (200,  200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (405,  405,  405,  405,  405,  405,  405,  405,  405)},
    # Members and non-members alike see the enrolment page; the empty form enrols no one.
    "seminars:enrol":                           {GET:  (L,    200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (L,    200,  200,  200,  200,  200,  200,  200,  200)},
    # Creating a seminar needs the site permission (both instructors hold it; staff and superusers are
    # not given it); the empty form shows its errors.
    "seminars:create":                          {GET:  (L,    403,  403,  403,  403,  200,  200,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  200,  403,  403)},
    "seminars:edit":                            {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "seminars:roster":                          {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "seminars:import":                          {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "seminars:roster_export":                   {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    # Withdrawing a student (the owner) and the undo: instructors only; the undo of a student who has
    # not withdrawn is refused with a message.
    "seminars:student_withdraw":                {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  R,    403,  403,  403)},
    "seminars:withdrawal_undo":                 {GET:  (L,    405,  405,  405,  405,  405,  405,  405,  405),
                                                 POST: (L,    403,  403,  403,  403,  R,    403,  403,  403)},
    # The staff page: instructors invite, change roles and remove (the supervisor's membership; removing
    # them is refused while they supervise a paper).
    "seminars:people":                          {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "seminars:staff_role":                      {GET:  (L,    405,  405,  405,  405,  405,  405,  405,  405),
                                                 POST: (L,    403,  403,  403,  403,  R,    403,  403,  403)},
    "seminars:staff_remove":                    {GET:  (L,    405,  405,  405,  405,  405,  405,  405,  405),
                                                 POST: (L,    403,  403,  403,  403,  R,    403,  403,  403)},
    # A student's own withdrawal page; A sets no withdrawal deadline, so posting it is refused (403,
    # with the page saying why).
    "seminars:withdraw":                        {GET:  (L,    200,  200,  403,  403,  403,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  403,  403,  403,  403)},
    # Announcements: the archive is for the seminar's members, writing them for its instructors (an
    # empty form shows its errors).
    "seminars:announcements":                   {GET:  (L,    200,  200,  200,  200,  200,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "seminars:announce":                        {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    # Copying A: the site permission and being A's instructor (B's instructor holds the permission too). The
    # summary page without a copy just made sends the instructor on to the edit page.
    # The dashboard: every logged-in person's own page (what it shows comes from each seminar's permissions).
    "dashboard:home":                           {GET:  (L,    200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "copying:copy":                             {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "copying:copied":                           {GET:  (L,    403,  403,  403,  403,  R,    403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    # Materials: every member downloads them (the list is on the seminar page); its instructors upload
    # (an empty upload shows its errors: 400), rename and move (an empty form: 200) and remove them (a
    # POST without "confirmed" shows the confirmation page again).
    "seminars:material":                        {GET:  (L,    200,  200,  200,  200,  200,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "seminars:materials":                       {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "seminars:material_upload":                 {GET:  (405,  405,  405,  405,  405,  405,  405,  405,  405),
                                                 POST: (L,    403,  403,  403,  403,  400,  403,  403,  403)},
    "seminars:material_edit":                   {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "seminars:material_remove":                 {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    # The department's matching (seminar A in its own round, both windows open). Any logged-in person
    # ranks and reads their own result (an empty POST saves their ranking as it is); the applicants are
    # for the instructors of a seminar taking part (an empty POST saves no mark); the rest is the
    # coordinator's, a person of no column (their answers: COORDINATOR below).
    "matching:open":                            {GET:  (L,    200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "matching:rank":                            {GET:  (L,    200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (L,    R,    R,    R,    R,    R,    R,    R,    R)},
    "matching:result":                          {GET:  (L,    200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "matching:applicants":                      {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  R,    403,  403,  403)},
    "matching:rounds":                          {GET:  (L,    403,  403,  403,  403,  403,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "matching:round_create":                    {GET:  (L,    403,  403,  403,  403,  403,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  403,  403,  403,  403)},
    "matching:round":                           {GET:  (L,    403,  403,  403,  403,  403,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  403,  403,  403,  403)},
    "matching:second_round":                    {GET:  (L,    403,  403,  403,  403,  403,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  403,  403,  403,  403)},
    "matching:publish":                         {GET:  (L,    403,  403,  403,  403,  403,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  403,  403,  403,  403)},
    "matching:figures":                         {GET:  (L,    403,  403,  403,  403,  403,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    # Papers: the catalogue is for the seminar's members (403 for non-members of an open seminar),
    # the ranking for its students only.
    # The catalogue is public only when the chair says so (Seminar.papers_public; A's is not): a visitor is
    # asked to log in; a POST is no method of the page for anyone.
    "papers:list":                              {GET:  (L,    200,  200,  200,  200,  200,  403,  403,  403),
                                                 POST: (405,  405,  405,  405,  405,  405,  405,  405,  405)},
    "papers:preferences":                       {GET:  (L,    200,  200,  403,  403,  403,  403,  403,  403),
                                                 POST: (L,    R,    R,    403,  403,  403,  403,  403,  403)},
    "papers:create":                            {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "papers:edit":                              {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "papers:delete":                            {GET:  (L,    405,  405,  405,  405,  405,  405,  405,  405),
                                                 POST: (L,    403,  403,  403,  403,  R,    403,  403,  403)},
    "papers:import":                            {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "papers:window":                            {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "papers:allotment":                         {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    # Asks first: the page says how many it mails; only a confirmed POST publishes.
    "papers:publish":                           {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    # The block seminar: the program and its calendar file are public; the rest is the instructors'.
    "schedule:program":                         {GET:  (200,  200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (405,  405,  405,  405,  405,  405,  405,  405,  405)},
    "schedule:program_ics":                     {GET:  (200,  200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (405,  405,  405,  405,  405,  405,  405,  405,  405)},
    "schedule:manage":                          {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "schedule:day_create":                      {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "schedule:day_edit":                        {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "schedule:day_delete":                      {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "schedule:slot_create":                     {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "schedule:slot_edit":                       {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "schedule:slot_delete":                     {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "schedule:generate":                        {GET:  (L,    405,  405,  405,  405,  405,  405,  405,  405),
                                                 POST: (L,    403,  403,  403,  403,  R,    403,  403,  403)},
    "schedule:fill":                            {GET:  (L,    405,  405,  405,  405,  405,  405,  405,  405),
                                                 POST: (L,    403,  403,  403,  403,  R,    403,  403,  403)},
    "schedule:publish":                         {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    # Submissions. Staff are sent from a deliverable to its overview; only students upload (the upload
    # address takes POST only, before anything else). A file and its receipt are for the owner, the
    # supervisor of the owner's paper and the instructors; anyone else gets 404 (file ids reveal
    # nothing). Supervisors see their own students' versions (404 for others').
    "submissions:list":                         {GET:  (L,    200,  200,  200,  200,  200,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "submissions:deliverable":                  {GET:  (L,    200,  200,  R,    R,    R,    403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "submissions:upload":                       {GET:  (405,  405,  405,  405,  405,  405,  405,  405,  405),
                                                 POST: (L,    R,    R,    403,  403,  403,  403,  403,  403)},
    "submissions:receipt":                      {GET:  (L,    200,  404,  200,  404,  200,  404,  404,  404),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "submissions:download":                     {GET:  (L,    200,  404,  200,  404,  200,  404,  404,  404),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "submissions:manage":                       {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "submissions:create":                       {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "submissions:overview":                     {GET:  (L,    403,  403,  200,  200,  200,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "submissions:edit":                         {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "submissions:student":                      {GET:  (L,    403,  403,  200,  404,  200,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "submissions:zip":                          {GET:  (L,    403,  403,  200,  200,  200,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    # An empty extension form is refused with 400 and the overview.
    "submissions:extension_grant":              {GET:  (L,    405,  405,  405,  405,  405,  405,  405,  405),
                                                 POST: (L,    403,  403,  403,  403,  400,  403,  403,  403)},
    "submissions:extension_revoke":             {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    # Peer review (the other student reviews the owner's report; published, released, still open to
    # changes). A student's own list; a review's pages are for its reviewer (the form, the report without
    # the owner's name), its author once released (reading it) and the instructors (the report, reading);
    # anyone else of the seminar gets 404, supervisors and outsiders 403. An empty review form shows its
    # errors.
    "reviews:mine":                             {GET:  (L,    200,  200,  403,  403,  403,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "reviews:write":                            {GET:  (L,    404,  200,  403,  403,  404,  403,  403,  403),
                                                 POST: (L,    404,  200,  403,  403,  404,  403,  403,  403)},
    "reviews:report":                           {GET:  (L,    404,  200,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "reviews:read":                             {GET:  (L,    200,  200,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    # The instructors' pages: the settings (an empty form shows its errors), assigning (refused with a
    # message before the report's deadline), a reviewer changed by hand (an empty choice: a message), and
    # publishing and releasing, which ask first (an unconfirmed POST shows the page again).
    "reviews:manage":                           {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "reviews:assign":                           {GET:  (L,    405,  405,  405,  405,  405,  405,  405,  405),
                                                 POST: (L,    403,  403,  403,  403,  R,    403,  403,  403)},
    "reviews:reassign":                         {GET:  (L,    405,  405,  405,  405,  405,  405,  405,  405),
                                                 POST: (L,    403,  403,  403,  403,  R,    403,  403,  403)},
    "reviews:publish":                          {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "reviews:release":                          {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    # Grading: students see their own released grades; the sheet is for instructors and supervisors.
    "grading:mine":                             {GET:  (L,    200,  200,  403,  403,  403,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "grading:sheet":                            {GET:  (L,    403,  403,  200,  200,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  R,    R,    R,    403,  403,  403)},
    # The history of a student's grades: for whoever may grade the student (a supervisor their own).
    "grading:history":                          {GET:  (L,    403,  403,  200,  403,  200,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "grading:settings":                         {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "grading:components":                       {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    # Asks first: the page says how many it mails; only a confirmed POST releases.
    "grading:release":                          {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    "grading:export":                           {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    # An empty import form is shown again with its error; nothing is saved before the preview is confirmed.
    "grading:import":                           {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    # Examiner feedback: the instructors set a component's rubric (an empty one is saved); whoever may grade
    # the owner writes the owner's feedback (an empty form saves empty feedback); its file is for the owner
    # once the grades are released and for whoever may grade them, 404 for anyone else of the seminar.
    "grading:rubric":                           {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  R,    403,  403,  403)},
    "grading:feedback":                         {GET:  (L,    403,  403,  200,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  R,    403,  R,    403,  403,  403)},
    "grading:feedback_file":                    {GET:  (L,    200,  404,  200,  404,  200,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    # Several examiners: each grades the owner on their own, and the component grade is set from them (an
    # empty POST names no action and shows the page again).
    "grading:examiners":                        {GET:  (L,    403,  403,  200,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  200,  403,  200,  403,  403,  403)},
    # Reminders: every member sees their own; the settings are the instructors'.
    "reminders:mine":                           {GET:  (L,    200,  200,  200,  200,  200,  403,  403,  403),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "reminders:manage":                         {GET:  (L,    403,  403,  403,  403,  200,  403,  403,  403),
                                                 POST: (L,    403,  403,  403,  403,  200,  403,  403,  403)},
    # Calendars: each logged-in person has their own address; the feed's secret token is the only
    # credential, so it answers everyone who has it.
    "calendars:mine":                           {GET:  (L,    200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "calendars:revoke":                         {GET:  (L,    405,  405,  405,  405,  405,  405,  405,  405),
                                                 POST: (L,    R,    R,    R,    R,    R,    R,    R,    R)},
    "calendars:feed":                           {GET:  (200,  200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (405,  405,  405,  405,  405,  405,  405,  405,  405)},
    # allauth: logged-in people are sent on from login and sign-up; a link with a key that is not
    # valid shows a page that says so (200), and 404 when it is posted.
    "account_login":                            {GET:  (200,  R,    R,    R,    R,    R,    R,    R,    R),
                                                 POST: (200,  R,    R,    R,    R,    R,    R,    R,    R)},
    "account_logout":                           {GET:  (R,    200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (R,    R,    R,    R,    R,    R,    R,    R,    R)},
    "account_inactive":                         {GET:  (200,  200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (405,  405,  405,  405,  405,  405,  405,  405,  405)},
    "account_signup":                           {GET:  (200,  R,    R,    R,    R,    R,    R,    R,    R),
                                                 POST: (200,  R,    R,    R,    R,    R,    R,    R,    R)},
    "account_reauthenticate":                   {GET:  (L,    200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (L,    200,  200,  200,  200,  200,  200,  200,  200)},
    "account_request_reauthentication_code":    {GET:  (L,    200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (L,    200,  200,  200,  200,  200,  200,  200,  200)},
    "account_confirm_reauthentication_code":    {GET:  (L,    R,    R,    R,    R,    R,    R,    R,    R),
                                                 POST: (L,    R,    R,    R,    R,    R,    R,    R,    R)},
    "account_email":                            {GET:  (L,    200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (L,    R,    R,    R,    R,    R,    R,    R,    R)},
    "account_email_verification_sent":          {GET:  (200,  200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (405,  405,  405,  405,  405,  405,  405,  405,  405)},
    "account_change_password":                  {GET:  (L,    200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (L,    200,  200,  200,  200,  200,  200,  200,  200)},
    "account_set_password":                     {GET:  (L,    R,    R,    R,    R,    R,    R,    R,    R),
                                                 POST: (L,    R,    R,    R,    R,    R,    R,    R,    R)},
    "account_reset_password":                   {GET:  (200,  200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "account_confirm_login_code":               {GET:  (L,    R,    R,    R,    R,    R,    R,    R,    R),
                                                 POST: (L,    R,    R,    R,    R,    R,    R,    R,    R)},
    "account_confirm_email":                    {GET:  (200,  200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (404,  404,  404,  404,  404,  404,  404,  404,  404)},
    "account_reset_password_from_key_done":     {GET:  (200,  200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (405,  405,  405,  405,  405,  405,  405,  405,  405)},
    "account_reset_password_from_key":          {GET:  (200,  200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "account_reset_password_done":              {GET:  (200,  200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (405,  405,  405,  405,  405,  405,  405,  405,  405)},
    # SSO and MFA (issue 15), allauth's pages. MFA: each person's own devices (the owner has recovery codes,
    # nobody a TOTP or key: 404 where one is named; adding one asks to reauthenticate first, R). The SSO
    # pages that name an IdP answer 404 here, where none is configured (the flows against real IdPs:
    # tests/browser/test_sso_flow.py, tests/accounts/test_sso_refusals.py); the ACS keeps what the IdP
    # posted in a cookie and redirects, for everyone. The old social/ addresses redirect to 3rdparty/.
    "mfa_index":                                {GET:  (L,    200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "mfa_authenticate":                         {GET:  (L,    R,    R,    R,    R,    R,    R,    R,    R),
                                                 POST: (L,    R,    R,    R,    R,    R,    R,    R,    R)},
    "mfa_reauthenticate":                       {GET:  (L,    200,  R,    R,    R,    R,    R,    R,    R),
                                                 POST: (L,    200,  R,    R,    R,    R,    R,    R,    R)},
    "mfa_activate_totp":                        {GET:  (L,    R,    R,    R,    R,    R,    R,    R,    R),
                                                 POST: (L,    R,    R,    R,    R,    R,    R,    R,    R)},
    "mfa_deactivate_totp":                      {GET:  (L,    404,  404,  404,  404,  404,  404,  404,  404),
                                                 POST: (L,    404,  404,  404,  404,  404,  404,  404,  404)},
    "mfa_view_recovery_codes":                  {GET:  (L,    R,    404,  404,  404,  404,  404,  404,  404),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "mfa_generate_recovery_codes":              {GET:  (L,    R,    R,    R,    R,    R,    R,    R,    R),
                                                 POST: (L,    R,    R,    R,    R,    R,    R,    R,    R)},
    "mfa_download_recovery_codes":              {GET:  (L,    R,    404,  404,  404,  404,  404,  404,  404),
                                                 POST: (L,    R,    404,  404,  404,  404,  404,  404,  404)},
    "mfa_list_webauthn":                        {GET:  (L,    200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (L,    405,  405,  405,  405,  405,  405,  405,  405)},
    "mfa_add_webauthn":                         {GET:  (L,    R,    R,    R,    R,    R,    R,    R,    R),
                                                 POST: (L,    R,    R,    R,    R,    R,    R,    R,    R)},
    "mfa_reauthenticate_webauthn":              {GET:  (L,    R,    R,    R,    R,    R,    R,    R,    R),
                                                 POST: (L,    R,    R,    R,    R,    R,    R,    R,    R)},
    "mfa_remove_webauthn":                      {GET:  (L,    R,    R,    R,    R,    R,    R,    R,    R),
                                                 POST: (L,    R,    R,    R,    R,    R,    R,    R,    R)},
    "mfa_edit_webauthn":                        {GET:  (L,    R,    R,    R,    R,    R,    R,    R,    R),
                                                 POST: (L,    R,    R,    R,    R,    R,    R,    R,    R)},
    "socialaccount_login_cancelled":            {GET:  (200,  200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (405,  405,  405,  405,  405,  405,  405,  405,  405)},
    "socialaccount_login_error":                {GET:  (401,  401,  401,  401,  401,  401,  401,  401,  401),
                                                 POST: (405,  405,  405,  405,  405,  405,  405,  405,  405)},
    "socialaccount_signup":                     {GET:  (L,    L,    L,    L,    L,    L,    L,    L,    L),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    L,    L)},
    "socialaccount_connections":                {GET:  (L,    200,  200,  200,  200,  200,  200,  200,  200),
                                                 POST: (L,    200,  200,  200,  200,  200,  200,  200,  200)},
    "accounts/social/login/cancelled/":         {GET:  (R,    R,    R,    R,    R,    R,    R,    R,    R),
                                                 POST: (R,    R,    R,    R,    R,    R,    R,    R,    R)},
    "accounts/social/login/error/":             {GET:  (R,    R,    R,    R,    R,    R,    R,    R,    R),
                                                 POST: (R,    R,    R,    R,    R,    R,    R,    R,    R)},
    "accounts/social/signup/":                  {GET:  (R,    R,    R,    R,    R,    R,    R,    R,    R),
                                                 POST: (R,    R,    R,    R,    R,    R,    R,    R,    R)},
    "accounts/social/connections/":             {GET:  (R,    R,    R,    R,    R,    R,    R,    R,    R),
                                                 POST: (R,    R,    R,    R,    R,    R,    R,    R,    R)},
    "saml_acs":                                 {GET:  (R,    R,    R,    R,    R,    R,    R,    R,    R),
                                                 POST: (R,    R,    R,    R,    R,    R,    R,    R,    R)},
    "saml_finish_acs":                          {GET:  (404,  404,  404,  404,  404,  404,  404,  404,  404),
                                                 POST: (404,  404,  404,  404,  404,  404,  404,  404,  404)},
    "saml_sls":                                 {GET:  (404,  404,  404,  404,  404,  404,  404,  404,  404),
                                                 POST: (404,  404,  404,  404,  404,  404,  404,  404,  404)},
    "saml_metadata":                            {GET:  (404,  404,  404,  404,  404,  404,  404,  404,  404),
                                                 POST: (404,  404,  404,  404,  404,  404,  404,  404,  404)},
    "saml_login":                               {GET:  (404,  404,  404,  404,  404,  404,  404,  404,  404),
                                                 POST: (404,  404,  404,  404,  404,  404,  404,  404,  404)},
    "openid_connect_login":                     {GET:  (404,  404,  404,  404,  404,  404,  404,  404,  404),
                                                 POST: (404,  404,  404,  404,  404,  404,  404,  404,  404)},
    "openid_connect_callback":                  {GET:  (404,  404,  404,  404,  404,  404,  404,  404,  404),
                                                 POST: (404,  404,  404,  404,  404,  404,  404,  404,  404)},
    # The Django admin: only staff get in (everyone else is sent to log in); staff without
    # permissions see an empty index and 403 on every model page. The superuser opens everything
    # except the exam records and change logs below.
    "admin:index":                              {GET:  (L,    L,    L,    L,    L,    L,    L,    200,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    200,  200)},
    "admin:login":                              {GET:  (L,    403,  403,  403,  403,  403,  403,  R,    R),
                                                 POST: (L,    403,  403,  403,  403,  403,  403,  200,  200)},
    "admin:logout":                             {GET:  (R,    R,    R,    R,    R,    R,    R,    405,  405),
                                                 POST: (R,    R,    R,    R,    R,    R,    R,    200,  200)},
    "admin:password_change":                    {GET:  (L,    L,    L,    L,    L,    L,    L,    200,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    200,  200)},
    "admin:password_change_done":               {GET:  (L,    L,    L,    L,    L,    L,    L,    200,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    405,  405)},
    "admin:autocomplete":                       {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    405,  405)},
    "admin:jsi18n":                             {GET:  (L,    L,    L,    L,    L,    L,    L,    200,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    405,  405)},
    "admin:view_on_site":                       {GET:  (L,    L,    L,    L,    L,    L,    L,    R,    R),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    R,    R)},
    "admin:app_list":                           {GET:  (L,    L,    L,    L,    L,    L,    L,    404,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    404,  200)},
    "admin/(?P<url>.*)$":                       {GET:  (L,    L,    L,    L,    L,    L,    L,    404,  404),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    404,  404)},
    "admin:auth_user_password_change":          {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  200)},
    # Every model's pages; the rows after these globs are the models that differ.
    "admin:*_changelist":                       {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  200)},
    "admin:*_add":                              {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  200)},
    "admin:*_change":                           {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  200)},
    "admin:*_delete":                           {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  200)},
    "admin:*_history":                          {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  200)},
    "admin/*/<path:object_id>/":                {GET:  (L,    L,    L,    L,    L,    L,    L,    R,    R),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    R,    R)},
    # Exam records and change logs (core.admin.RecordAdmin): read-only, also for the superuser:
    # no add, change (the change page shows the record) or delete.
    "admin:grading_grade_add":                  {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:grading_grade_change":               {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:grading_grade_delete":               {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:grading_gradechange_add":            {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:grading_gradechange_change":         {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:grading_gradechange_delete":         {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:papers_allotmentrun_add":            {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:papers_allotmentrun_change":         {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:papers_allotmentrun_delete":         {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:papers_allotment_add":               {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:papers_allotment_change":            {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:papers_allotment_delete":            {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:papers_allotmentpublication_add":    {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:papers_allotmentpublication_change": {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:papers_allotmentpublication_delete": {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:papers_allotmentchange_add":         {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:papers_allotmentchange_change":      {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:papers_allotmentchange_delete":      {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:schedule_schedulechange_add":        {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:schedule_schedulechange_change":     {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:schedule_schedulechange_delete":     {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:submissions_extension_add":          {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:submissions_extension_change":       {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:submissions_extension_delete":       {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:submissions_submission_add":         {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:submissions_submission_change":      {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:submissions_submission_delete":      {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    # Calendar feeds are made by their owners only; the change form has no field
    # (the token is a secret), so saving it just goes back to the list.
    "admin:calendars_calendarfeed_add":         {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:calendars_calendarfeed_change":      {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  R)},
    # The outbox is written by the portal only: shown, deletable (a task that can never run), not edited.
    "admin:core_outboxtask_add":                {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:core_outboxtask_change":             {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    # Grade components are edited on the portal's components page (weights add up to 100): shown here.
    "admin:grading_gradecomponent_add":         {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:grading_gradecomponent_change":      {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    # Announcements were mailed as they are: shown and deletable, never added or changed here.
    "admin:seminars_announcement_add":          {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:seminars_announcement_change":       {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    # Materials are added on the seminar's materials page, where their file is checked; never here.
    "admin:seminars_material_add":              {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    # Calendar SEQUENCE numbers only grow: shown, never added, changed or deleted here.
    "admin:calendars_eventsequence_add":        {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:calendars_eventsequence_change":     {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:calendars_eventsequence_delete":     {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    # A matching result is the record of a run: shown, never added or changed here.
    "admin:matching_result_add":                {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:matching_result_change":             {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    # Peer reviews are written on the review's page by its due time: shown, never added, changed or deleted.
    "admin:reviews_peerreview_add":             {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:reviews_peerreview_change":          {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:reviews_peerreview_delete":          {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    # Feedback is written on the student's feedback page (its file checked there): shown, never changed here.
    "admin:grading_feedback_add":               {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:grading_feedback_change":            {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:grading_feedback_delete":            {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:grading_examinergrade_add":          {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:grading_examinergrade_change":       {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  200),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
    "admin:grading_examinergrade_delete":       {GET:  (L,    L,    L,    L,    L,    L,    L,    403,  403),
                                                 POST: (L,    L,    L,    L,    L,    L,    L,    403,  403)},
}
# fmt: on

# The coordinator (the site permission "coordinate_matching", a member of no seminar), asked every
# matching URL: their pages answer, an empty form shows its errors (200), running a round whose windows
# are open is refused with a message (R), publishing unconfirmed shows the confirmation again.
COORDINATOR: dict[str, dict[str, object]] = {
    "matching:open": {GET: 200, POST: 405},
    "matching:rank": {GET: 200, POST: R},
    "matching:result": {GET: 200, POST: 405},
    "matching:applicants": {GET: 403, POST: 403},
    "matching:rounds": {GET: 200, POST: 405},
    "matching:round_create": {GET: 200, POST: 200},
    "matching:round": {GET: 200, POST: R},
    "matching:second_round": {GET: 200, POST: 200},
    "matching:publish": {GET: 200, POST: 200},
    "matching:figures": {GET: 200, POST: 405},
}

# Seminar A's objects reached through seminar B's slug and the other way round. Each row names whose
# objects the URL's keywords hold ("slug=b pk=a": seminar B's slug, seminar A's deliverable) and the
# answers of A's instructor, B's instructor and A's owner, to GET and to POST. Objects of another seminar
# are 404 for the instructor of the slug's seminar. Where a row says 403 instead, the person is not a
# member of the slug's seminar and is refused before any object is read: the test asks the same URL with
# an id that exists nowhere and expects the very same answer, so a 403 tells nothing about the object. No
# row answers differently for a foreign object than for a missing one; such a row would be marked LEAK?.
# fmt: off
CROSS: dict[tuple[str, str], tuple] = {
    #                                                               GET                 POST
    #                                                               inst  finst owner   inst  finst owner
    ("seminars:student_withdraw", "slug=a pk=b"):                  (404,  403,  403,    404,  403,  403),
    ("seminars:student_withdraw", "slug=b pk=a"):                  (403,  404,  403,    403,  404,  403),
    ("seminars:withdrawal_undo", "slug=a pk=b"):                   (405,  405,  405,    404,  403,  403),
    ("seminars:withdrawal_undo", "slug=b pk=a"):                   (405,  405,  405,    403,  404,  403),
    ("seminars:staff_role", "slug=a pk=b"):                        (405,  405,  405,    404,  403,  403),
    ("seminars:staff_role", "slug=b pk=a"):                        (405,  405,  405,    403,  404,  403),
    ("seminars:staff_remove", "slug=a pk=b"):                      (405,  405,  405,    404,  403,  403),
    ("seminars:staff_remove", "slug=b pk=a"):                      (405,  405,  405,    403,  404,  403),
    ("seminars:material", "slug=a pk=b"):                          (404,  403,  404,    405,  405,  405),
    ("seminars:material", "slug=b pk=a"):                          (403,  404,  403,    405,  405,  405),
    ("seminars:material_edit", "slug=a pk=b"):                     (404,  403,  403,    404,  403,  403),
    ("seminars:material_edit", "slug=b pk=a"):                     (403,  404,  403,    403,  404,  403),
    ("seminars:material_remove", "slug=a pk=b"):                   (404,  403,  403,    404,  403,  403),
    ("seminars:material_remove", "slug=b pk=a"):                   (403,  404,  403,    403,  404,  403),
    ("papers:edit", "slug=a pk=b"):                                (404,  403,  403,    404,  403,  403),
    ("papers:edit", "slug=b pk=a"):                                (403,  404,  403,    403,  404,  403),
    ("papers:delete", "slug=a pk=b"):                              (405,  405,  405,    404,  403,  403),
    ("papers:delete", "slug=b pk=a"):                              (405,  405,  405,    403,  404,  403),
    ("schedule:day_edit", "slug=a pk=b"):                          (404,  403,  403,    404,  403,  403),
    ("schedule:day_edit", "slug=b pk=a"):                          (403,  404,  403,    403,  404,  403),
    ("schedule:day_delete", "slug=a pk=b"):                        (404,  403,  403,    404,  403,  403),
    ("schedule:day_delete", "slug=b pk=a"):                        (403,  404,  403,    403,  404,  403),
    ("schedule:slot_edit", "slug=a pk=b"):                         (404,  403,  403,    404,  403,  403),
    ("schedule:slot_edit", "slug=b pk=a"):                         (403,  404,  403,    403,  404,  403),
    ("schedule:slot_delete", "slug=a pk=b"):                       (404,  403,  403,    404,  403,  403),
    ("schedule:slot_delete", "slug=b pk=a"):                       (403,  404,  403,    403,  404,  403),
    ("submissions:deliverable", "slug=a pk=b"):                    (404,  403,  404,    405,  405,  405),
    ("submissions:deliverable", "slug=b pk=a"):                    (403,  404,  403,    405,  405,  405),
    ("submissions:upload", "slug=a pk=b"):                         (405,  405,  405,    404,  403,  404),
    ("submissions:upload", "slug=b pk=a"):                         (405,  405,  405,    403,  404,  403),
    ("submissions:receipt", "slug=a pk=a submission=b"):           (404,  404,  404,    405,  405,  405),
    ("submissions:receipt", "slug=a pk=b submission=a"):           (404,  404,  404,    405,  405,  405),
    ("submissions:receipt", "slug=a pk=b submission=b"):           (404,  404,  404,    405,  405,  405),
    ("submissions:receipt", "slug=b pk=a submission=a"):           (404,  404,  404,    405,  405,  405),
    ("submissions:receipt", "slug=b pk=a submission=b"):           (404,  404,  404,    405,  405,  405),
    ("submissions:receipt", "slug=b pk=b submission=a"):           (404,  404,  404,    405,  405,  405),
    ("submissions:overview", "slug=a pk=b"):                       (404,  403,  403,    405,  405,  405),
    ("submissions:overview", "slug=b pk=a"):                       (403,  404,  403,    405,  405,  405),
    ("submissions:edit", "slug=a pk=b"):                           (404,  403,  403,    404,  403,  403),
    ("submissions:edit", "slug=b pk=a"):                           (403,  404,  403,    403,  404,  403),
    ("submissions:student", "slug=a pk=a student=b"):              (404,  403,  403,    405,  405,  405),
    ("submissions:student", "slug=a pk=b student=a"):              (404,  403,  403,    405,  405,  405),
    ("submissions:student", "slug=a pk=b student=b"):              (404,  403,  403,    405,  405,  405),
    ("submissions:student", "slug=b pk=a student=a"):              (403,  404,  403,    405,  405,  405),
    ("submissions:student", "slug=b pk=a student=b"):              (403,  404,  403,    405,  405,  405),
    ("submissions:student", "slug=b pk=b student=a"):              (403,  404,  403,    405,  405,  405),
    ("grading:history", "slug=a student=b"):                       (404,  403,  403,    405,  405,  405),
    ("grading:history", "slug=b student=a"):                       (403,  404,  403,    405,  405,  405),
    ("submissions:zip", "slug=a pk=b"):                            (404,  403,  403,    405,  405,  405),
    ("submissions:zip", "slug=b pk=a"):                            (403,  404,  403,    405,  405,  405),
    ("submissions:extension_grant", "slug=a pk=b"):                (405,  405,  405,    404,  403,  403),
    ("submissions:extension_grant", "slug=b pk=a"):                (405,  405,  405,    403,  404,  403),
    ("submissions:extension_revoke", "slug=a pk=a extension=b"):   (404,  403,  403,    404,  403,  403),
    ("submissions:extension_revoke", "slug=a pk=b extension=a"):   (404,  403,  403,    404,  403,  403),
    ("submissions:extension_revoke", "slug=a pk=b extension=b"):   (404,  403,  403,    404,  403,  403),
    ("submissions:extension_revoke", "slug=b pk=a extension=a"):   (403,  404,  403,    403,  404,  403),
    ("submissions:extension_revoke", "slug=b pk=a extension=b"):   (403,  404,  403,    403,  404,  403),
    ("submissions:extension_revoke", "slug=b pk=b extension=a"):   (403,  404,  403,    403,  404,  403),
    # A seminar that is not in the round (each seminar is in a round of its own): 404 for everyone.
    ("matching:applicants", "slug=a pk=b"):                        (404,  404,  404,    404,  404,  404),
    ("matching:applicants", "slug=b pk=a"):                        (404,  404,  404,    404,  404,  404),
    ("reviews:write", "slug=a pk=b"):                              (404,  403,  404,    404,  403,  404),
    ("reviews:write", "slug=b pk=a"):                              (403,  404,  403,    403,  404,  403),
    ("reviews:report", "slug=a pk=b"):                             (404,  403,  404,    405,  405,  405),
    ("reviews:report", "slug=b pk=a"):                             (403,  404,  403,    405,  405,  405),
    ("reviews:read", "slug=a pk=b"):                               (404,  403,  404,    405,  405,  405),
    ("reviews:read", "slug=b pk=a"):                               (403,  404,  403,    405,  405,  405),
    ("reviews:reassign", "slug=a pk=b"):                           (405,  405,  405,    404,  403,  403),
    ("reviews:reassign", "slug=b pk=a"):                           (405,  405,  405,    403,  404,  403),
    ("reviews:manage", "slug=a pk=b"):                             (404,  403,  403,    404,  403,  403),
    ("reviews:manage", "slug=b pk=a"):                             (403,  404,  403,    403,  404,  403),
    ("reviews:assign", "slug=a pk=b"):                             (405,  405,  405,    404,  403,  403),
    ("reviews:assign", "slug=b pk=a"):                             (405,  405,  405,    403,  404,  403),
    ("reviews:publish", "slug=a pk=b"):                            (404,  403,  403,    404,  403,  403),
    ("reviews:publish", "slug=b pk=a"):                            (403,  404,  403,    403,  404,  403),
    ("reviews:release", "slug=a pk=b"):                            (404,  403,  403,    404,  403,  403),
    ("reviews:release", "slug=b pk=a"):                            (403,  404,  403,    403,  404,  403),
    ("grading:feedback", "slug=a student=b"):                      (404,  403,  403,    404,  403,  403),
    ("grading:feedback", "slug=b student=a"):                      (403,  404,  403,    403,  404,  403),
    ("grading:examiners", "slug=a student=b"):                     (404,  403,  403,    404,  403,  403),
    ("grading:examiners", "slug=b student=a"):                     (403,  404,  403,    403,  404,  403),
    ("grading:feedback_file", "slug=a pk=b"):                      (404,  403,  404,    405,  405,  405),
    ("grading:feedback_file", "slug=b pk=a"):                      (403,  404,  403,    405,  405,  405),
}
# fmt: on
CROSS_WHO = ("instructor", "foreign_instructor", "owner")
# The URL keywords that name an object (the others name the seminar, a token or a key).
OBJECT_KEYWORDS = ("pk", "submission", "student", "extension")
# The table's answers to the export need its two choices; without them the page sends the user back.
QUERIES = {"grading:export": "?file_format=csv&decimal=comma", "seminars:roster_export": "?file_format=csv"}
# One test per group of patterns, each with a world of its own.
GROUPS = (
    "site",
    "accounts",
    "seminars",
    "matching",
    "papers",
    "schedule",
    "submissions",
    "reviews",
    "grading",
    "reminders",
    "calendars",
    "copying",
    "dashboard",
    "allauth",
    "admin",
)


# --------------------------------------------------------------------------------- the resolver's patterns


@dataclass(frozen=True)
class Route:
    """One URL pattern of the resolver: its qualified name, or its route when it has no name."""

    key: str
    name: str | None
    route: str
    keywords: tuple[str, ...]

    @property
    def group(self) -> str:
        """The app of a pattern: each test builds one world for the rows of one app."""
        if self.route.startswith("admin/"):
            return "admin"
        if self.key.startswith("account_"):
            return "allauth"
        if ":" in self.key:
            return self.key.split(":", 1)[0]
        return "site"


def _keywords(pattern) -> tuple[str, ...]:
    return tuple(pattern.pattern.regex.groupindex)


def all_routes(resolver=None, prefix="", namespace=(), keywords=()) -> list[Route]:
    """Every URL pattern, through every included resolver (allauth's, the admin's) down to the views."""
    routes = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            routes += all_routes(pattern, route, inner, (*keywords, *_keywords(pattern)))
        else:
            assert isinstance(pattern, URLPattern)
            name = ":".join((*namespace, pattern.name)) if pattern.name else None
            routes.append(Route(name or route, name, route, (*keywords, *_keywords(pattern))))
    return routes


def _is_glob(row: str) -> bool:
    return any(character in row for character in "*?[")


def rows_for(key: str) -> list[str]:
    """The rows answering for a pattern: its own, else every glob row that matches it."""
    if key in MATRIX:
        return [key]
    return [row for row in MATRIX if _is_glob(row) and fnmatch.fnmatchcase(key, row)]


def routes_of(group: str) -> Iterator[Route]:
    return (route for route in all_routes() if route.group == group)


# ------------------------------------------------------------------------------- URLs filled from the world

# `pk` names a different object on each page: the segment in front of it says which.
PK_OBJECTS = {
    "papers": "paper",
    "days": "day",
    "slots": "slot",
    "deliverables": "deliverable",
    "students": "membership",
    "rounds": "matching_round",
    "people": "supervisor_membership",
    "materials": "material",
    "reviews": "peer_review",
    "feedback": "feedback",
}
# The object each admin model's pages open: the seminar's own, the owner's where it has one.
ADMIN_OBJECTS = {
    "socialaccount.socialaccount": "social_account",
    "mfa.authenticator": "authenticator",
    "account.emailaddress": "email_address",
    "accounts.user": "owner",
    "seminars.seminar": "seminar",
    "seminars.topic": "topic",
    "seminars.membership": "membership",
    "seminars.announcement": "announcement",
    "seminars.material": "material",
    "papers.paper": "paper",
    "papers.preferencewindow": "preference_window",
    "papers.preference": "preference",
    "papers.allotmentrun": "allotment_run",
    "papers.allotment": "allotment",
    "papers.allotmentpublication": "allotment_publication",
    "papers.allotmentchange": "allotment_change",
    "schedule.blockseminar": "block_seminar",
    "schedule.blockday": "day",
    "schedule.slot": "slot",
    "schedule.schedulechange": "schedule_change",
    "submissions.deliverable": "deliverable",
    "submissions.extension": "extension",
    "submissions.submission": "submission",
    "grading.gradingsettings": "grading_settings",
    "grading.grade": "grade",
    "grading.gradechange": "grade_change",
    "reminders.remindersettings": "reminder_settings",
    "reminders.reminder": "reminder",
    "calendars.calendarfeed": "feed",
    "calendars.eventsequence": "event_sequence",
    "core.outboxtask": "outbox_task",
    "grading.gradecomponent": "grade_component",
    "matching.round": "matching_round",
    "matching.roundseminar": "round_seminar",
    "matching.application": "application",
    "matching.result": "matching_result",
    "reviews.reviewround": "review_round",
    "reviews.peerreview": "peer_review",
    "grading.feedback": "feedback",
    "grading.examinergrade": "examiner_grade",
}
# An id that no row has: the stand-in for "an object that does not exist".
MISSING_ID = 10**9


def _admin_object_pk(route: Route, side: SeminarWorld, world: World) -> int:
    if route.route.startswith("admin/r/"):
        return side.seminar.pk
    app_label, model_name = route.route.split("/")[1:3]
    label = f"{app_label}.{model_name}"
    if label == "auth.group":
        return world.group.pk
    assert label in ADMIN_OBJECTS, f"{route.key}: name the object its admin pages open in ADMIN_OBJECTS"
    return getattr(side, ADMIN_OBJECTS[label]).pk


def value_for(route: Route, keyword: str, side: SeminarWorld, world: World):
    """The value of one URL keyword: the object of `side` (seminar A or B) that fits the pattern."""
    if keyword == "pk" and route.name and route.name.startswith("mfa_"):
        return MISSING_ID  # the world has no security key; allauth looks keys up among the person's own
    if keyword == "pk":
        segment = route.route.split("<int:pk>")[0].rstrip("/").rsplit("/", 1)[-1]
        assert segment in PK_OBJECTS, f"{route.key}: say in PK_OBJECTS which object `pk` names"
        return getattr(side, PK_OBJECTS[segment]).pk
    if keyword == "object_id":
        return _admin_object_pk(route, side, world)
    values = {
        "slug": side.seminar.slug,
        "submission": side.submission.pk,
        "student": side.owner.pk,
        "extension": side.extension.pk,
        "component": side.grade_component.key,
        "token": side.feed.token,
        "id": side.owner.pk,
        "content_type_id": ContentType.objects.get_for_model(Seminar).pk,
        "app_label": "seminars",
        "url": "no-such-page/",
        # allauth's e-mail confirmation and password reset links, with a key that is not valid.
        "key": "not-a-valid-key",
        "uidb36": "0",
        # allauth's SSO pages name the IdP; the world configures none (the flows: test_sso_flow.py).
        "organization_slug": "university",
        "provider_id": "university",
    }
    assert keyword in values, f"{route.key}: no object of the world for the keyword {keyword!r}"
    return values[keyword]


def url_of(route: Route, world: World, sides: dict[str, str] | None = None) -> str:
    """The pattern's URL with seminar A's objects; `sides` takes a keyword's object from seminar "b"
    instead, or puts in an id that exists nowhere ("missing")."""
    sides = sides or {}
    kwargs = {}
    for keyword in route.keywords:
        side = sides.get(keyword, "a")
        if side == "missing":
            kwargs[keyword] = MISSING_ID
        else:
            kwargs[keyword] = value_for(route, keyword, world.a if side == "a" else world.b, world)
    if route.name:
        return reverse(route.name, kwargs=kwargs) + QUERIES.get(route.name, "")
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda match: str(kwargs[match[1]]), route.route)
    text = re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(kwargs[match[1]]), text)
    return "/" + text.replace("^", "").replace("$", "")


# -------------------------------------------------------------------------------------------- the asking

REFUSED = {L, 401, 403, 404, 405}
WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def answer_of(response):
    if response.status_code in (301, 302):
        path = urlsplit(response["Location"]).path
        return L if path in (reverse("account_login"), reverse("admin:login")) else R
    return response.status_code


class Asker:
    """Asks as one person in a transaction that is rolled back, and says what a refused request changed.

    Each person keeps one client (building a client's middleware costs more than many a request) whose
    cookies are reset to the person's session before every request: a logout or a new session of one
    request never reaches the next."""

    def __init__(self, world: World, storage_root):
        self.world = world
        self.storage_root = storage_root
        self.sessions = {}
        for who in (*WHO, "coordinator"):
            user = world.person(who)
            if user is not None:
                client = Client()
                client.force_login(user)
                self.sessions[who] = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.clients = {who: Client(raise_request_exception=False) for who in (*WHO, "coordinator")}

    def ask(self, who: str, method: str, url: str) -> tuple[object, list[str]]:
        """The answer, and for a refused request whatever it wrote, queued, mailed or stored."""
        client = self.clients[who]
        client.cookies = SimpleCookie()
        if who in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[who]
        mails, tasks = len(mail.outbox), len(connection.run_on_commit)
        files = stored_files(self.storage_root) if method == POST else []
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            response = client.get(url) if method == GET else client.post(url, {})
            answer = answer_of(response)
            if response.streaming:
                # Read to the end, inside the transaction: the test client closes a streamed response
                # (its file, the request) once it is read. Closing it again would close the connection.
                b"".join(response.streaming_content)
            # A session is no record: allauth keeps a refused MFA form there to resume it after login.
            changes = [
                query["sql"][:80]
                for query in queries.captured_queries
                if WRITE.match(query["sql"]) and '"django_session"' not in query["sql"][:40]
            ]
            if len(mail.outbox) != mails:
                changes.append("sent mail")
            if len(connection.run_on_commit) != tasks:
                changes.append("queued on-commit tasks")
            if method == POST and stored_files(self.storage_root) != files:
                changes.append("stored files")
            transaction.set_rollback(True)
        return answer, changes if answer in REFUSED else []


@pytest.fixture
def asker(caplog, time_machine, submission_storage) -> Asker:  # noqa: F811 - the fixture imported above
    # Thousands of refusals, each logged as a warning with its traceback, cost more time than the requests.
    caplog.set_level(logging.ERROR, logger="django.request")
    time_machine.move_to(NOW, tick=False)
    return Asker(build_world(), submission_storage)


# ------------------------------------------------------------------------------------------------ tests


def test_matrix_has_a_row_for_every_url_pattern():
    problems = []
    for route in all_routes():
        rows = rows_for(route.key)
        if not rows:
            problems.append(f"{route.key} ({route.route}) has no row in MATRIX")
        elif len(rows) > 1:
            problems.append(f"{route.key} matches several rows and has none of its own: {rows}")
        if route.group not in GROUPS:
            problems.append(
                f"{route.key} is in the group {route.group!r}, which no test asks: add it to GROUPS"
            )

    assert problems == [], "\n".join(problems)


def test_matrix_has_no_row_without_a_url_pattern():
    keys = [route.key for route in all_routes()]

    stale = [row for row in MATRIX if row not in keys and not (_is_glob(row) and fnmatch.filter(keys, row))]

    assert stale == [], f"rows naming no URL pattern: {stale}"


def test_matrix_answers_get_and_post_for_every_person_in_its_words():
    words = {200, 400, 401, 403, 404, 405, L, R}

    malformed = [
        row
        for row, answers in MATRIX.items()
        if set(answers) != {GET, POST}
        or any(len(answers[method]) != len(WHO) or not set(answers[method]) <= words for method in answers)
    ]

    assert malformed == []


@pytest.mark.django_db
@pytest.mark.parametrize("group", GROUPS)
def test_url_patterns_answer_each_person_as_the_matrix_says(asker, group):
    differences = []
    for route in routes_of(group):
        rows = rows_for(route.key)
        if len(rows) != 1:
            differences.append(f"{route.key} has no single row (test_matrix_has_a_row_for_every_url_pattern)")
            continue
        url = url_of(route, asker.world)
        for method in (GET, POST):
            for who, expected in zip(WHO, MATRIX[rows[0]][method], strict=True):
                answer, changes = asker.ask(who, method, url)
                case = f"{route.key} {method} {url} as {who}"
                if answer != expected:
                    differences.append(f"{case}: {answer}, the matrix says {expected}")
                if changes:
                    differences.append(f"{case} was refused but changed: {changes}")

    assert differences == [], "\n".join(differences)


def cross_cases() -> Iterator[tuple[Route, dict[str, str]]]:
    """Every pattern with a slug and an object, with each mix of seminar A's and B's among its keywords."""
    for route in all_routes():
        objects = [keyword for keyword in route.keywords if keyword in OBJECT_KEYWORDS]
        if "slug" in route.keywords and objects:
            keywords = ["slug", *objects]
            for sides in itertools.product("ab", repeat=len(keywords)):
                if len(set(sides)) > 1:
                    yield route, dict(zip(keywords, sides, strict=True))


def _label(sides: dict[str, str]) -> str:
    return " ".join(f"{keyword}={side}" for keyword, side in sides.items())


def test_cross_table_has_a_row_for_every_mix_of_seminars():
    cases = {(route.key, _label(sides)) for route, sides in cross_cases()}

    assert sorted(cases - set(CROSS)) == [], "mixes without a row in CROSS"
    assert sorted(set(CROSS) - cases) == [], "rows of CROSS naming no URL pattern"


@pytest.mark.django_db
def test_objects_of_another_seminar_answer_as_the_cross_table_says_and_as_a_missing_object(asker):
    differences = []
    for route, sides in cross_cases():
        label = _label(sides)
        # Every object not of the slug's seminar, replaced by an id that exists nowhere.
        missing = {keyword: side if side == sides["slug"] else "missing" for keyword, side in sides.items()}
        url, missing_url = url_of(route, asker.world, sides), url_of(route, asker.world, missing)
        if (route.key, label) not in CROSS:
            differences.append(f"{route.key} {label} has no row in CROSS")
            continue
        people = itertools.product((GET, POST), CROSS_WHO)
        for (method, who), wanted in zip(people, CROSS[(route.key, label)], strict=True):
            answer, changes = asker.ask(who, method, url)
            missing_answer, _ = asker.ask(who, method, missing_url)
            case = f"{route.key} {label} {method} {url} as {who}"
            if answer != wanted:
                differences.append(f"{case}: {answer}, the table says {wanted}")
            if answer != missing_answer:
                differences.append(f"{case}: {answer}, but {missing_answer} for an id that does not exist")
            if changes:
                differences.append(f"{case} was refused but changed: {changes}")

    assert differences == [], "\n".join(differences)


def test_coordinator_table_has_a_row_for_every_matching_url():
    assert sorted(COORDINATOR) == sorted(route.key for route in routes_of("matching"))


@pytest.mark.django_db
def test_the_coordinator_gets_the_answers_of_their_table(asker):
    differences = []
    for route in routes_of("matching"):
        url = url_of(route, asker.world)
        for method in (GET, POST):
            answer, changes = asker.ask("coordinator", method, url)
            expected = COORDINATOR[route.key][method]
            if answer != expected:
                differences.append(f"{route.key} {method} {url}: {answer}, the table says {expected}")
            if changes:
                differences.append(f"{route.key} {method} {url} was refused but changed: {changes}")

    assert differences == [], "\n".join(differences)
