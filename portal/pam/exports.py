"""Exports: the plans a user may see as CSV/XLSX, and one plan as a PDF report.

Rows come from `selectors.export_plan_rows(user)`, already narrowed by the access
policy. Text cells that a spreadsheet would read as a formula are neutralised.
PDFs are drawn with fpdf2 (pure Python, no system libraries).
"""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils import timezone

from portal.spreadsheets import safe_cell

from .models import PHASE_SHORT

HEADER = [
    "Regione",
    "Ente",
    "Tipologia",
    "Piano",
    "Fase del ciclo",
    "Obiettivo di servizio",
    "Stato",
    "Responsabile",
    "Inizio",
    "Fine",
    "Azioni",
    "Azioni in ritardo",
    "Indicatori",
    "Indicatori fuori obiettivo",
    "Valutazione dell'esperto",
    "Ultima attività",
]


def _rows(plans):
    for plan in plans.iterator(chunk_size=500):
        yield [
            plan.ente.region.name,
            plan.ente.name,
            plan.ente.get_kind_display(),
            plan.title,
            PHASE_SHORT.get(plan.phase, plan.phase),
            plan.get_service_area_display() if plan.service_area else "",
            plan.get_status_display(),
            plan.responsible,
            plan.start_date.isoformat(),
            plan.end_date.isoformat(),
            plan.milestone_count,
            plan.late_count,
            plan.indicator_count,
            plan.off_target_count,
            plan.get_review_status_display() if plan.review_status else "",
            timezone.localtime(plan.last_activity_at).strftime("%Y-%m-%d %H:%M"),
        ]


def _filename(ext: str) -> str:
    return f"pam-piani-{timezone.localdate():%Y%m%d}.{ext}"


def plans_csv_response(plans) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    response.write("\ufeff")  # Excel reads UTF-8 only with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(HEADER)
    for row in _rows(plans):
        writer.writerow([safe_cell(cell) for cell in row])
    return response


BODY_HEADER = [
    "Regione",
    "Ente",
    "Tipologia",
    "Maturità (ultima autodiagnosi)",
    "Piani",
    "Azioni in ritardo",
    "Indicatori fuori obiettivo",
    "Piani a rischio o in ritardo",
    "Scadenze del ciclo scadute",
    "Prossima scadenza",
]


def _body_rows(bodies):
    for ente in bodies:
        yield [
            ente.region.name,
            ente.name,
            ente.get_kind_display(),
            ente.maturity,
            ente.plan_count,
            ente.late_milestones,
            ente.off_target,
            ente.plans_at_risk,
            ente.overdue_documents,
            ente.next_deadline.isoformat() if ente.next_deadline else "",
        ]


def plans_xlsx_response(plans, bodies=None) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Piani")
    sheet.append(HEADER)
    for row in _rows(plans):
        sheet.append([safe_cell(cell) for cell in row])
    if bodies is not None:
        sheet = workbook.create_sheet("Enti")
        sheet.append(BODY_HEADER)
        for row in _body_rows(bodies):
            sheet.append([safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response


_REPLACEMENTS = str.maketrans(
    {
        "—": "-",
        "–": "-",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "«": '"',
        "»": '"',
        "…": "...",
        "€": "EUR",
    }
)


def _latin1(text) -> str:
    """The PDF's core fonts speak Latin-1 (enough for Italian); map the rest."""
    return str(text).translate(_REPLACEMENTS).encode("latin-1", "replace").decode("latin-1")


def plan_pdf_response(plan, detail) -> HttpResponse:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(plan.title))
    pdf.set_author("Portale PAQ")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text, size=13):
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(width, 7, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def para(text, style=""):
        pdf.set_font("Helvetica", style, 10)
        pdf.multi_cell(width, 5, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    service = plan.get_service_area_display() if plan.service_area else "nessuno"
    heading(f"Piano di miglioramento - {plan.ente.name}", 15)
    heading(plan.title)
    para(
        f"Fase del ciclo: {plan.get_phase_display()}\n"
        f"Obiettivo di servizio: {service}\n"
        f"Responsabile: {plan.responsible}\n"
        f"Periodo: dal {plan.start_date:%d/%m/%Y} al {plan.end_date:%d/%m/%Y}"
        f" - Stato: {plan.get_status_display()}"
        + (
            f"\nValutazione dell'esperto: {plan.get_review_status_display()}"
            if plan.review_status
            else ""
        )
    )
    heading("Analisi del problema", 11)
    para(plan.problem_analysis)
    heading("Obiettivo prioritario", 11)
    para(plan.priority_objective)

    heading("Azioni", 11)
    if not detail["milestones"]:
        para("Nessuna azione.")
    for milestone in detail["milestones"]:
        para(
            f"- {milestone.title} (resp. {milestone.owner})"
            f" - scadenza {milestone.due_date:%d/%m/%Y}"
            f" - avanzamento {milestone.progress}%"
            + (" - IN RITARDO" if milestone.is_late() else "")
        )

    heading("Indicatori", 11)
    if not detail["indicators"]:
        para("Nessun indicatore.")
    for indicator in detail["indicators"]:
        para(
            f"{indicator.name} ({indicator.get_kind_display().lower()}, "
            f"{indicator.get_unit_display()})",
            "B",
        )
        para(
            f"Baseline {indicator.baseline} - target {indicator.target} "
            f"({indicator.get_direction_display().lower()}) - fonte: {indicator.data_source}"
        )
        values = {m.date: m for m in indicator.measurements.all()}
        if values:
            para(
                "Misurazioni: "
                + "; ".join(f"{d:%d/%m/%Y}: {values[d].value}" for d in sorted(values))
                + (" - FUORI OBIETTIVO" if indicator.off_target else "")
            )

    heading("Monitoraggio", 11)
    if not detail["reports"]:
        para("Nessun report di monitoraggio.")
    for report in detail["reports"]:
        para(f"{report.get_checkpoint_display()} - dati al {report.reference_date:%d/%m/%Y}", "B")
        para(report.summary)
        if report.issues:
            para(f"Criticità: {report.issues}")

    heading("Commenti degli esperti", 11)
    if not detail["reviews"]:
        para("Nessun commento.")
    for review in detail["reviews"]:
        para(
            f"{timezone.localtime(review.created_at):%d/%m/%Y} - {review.expert or 'esperto'}: "
            f"{review.get_status_display()}",
            "B",
        )
        para(review.comment)
        if review.recommendations:
            para(f"Raccomandazioni: {review.recommendations}")

    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(
        width, 4, _latin1(f"Generato dal Portale PAQ il {timezone.localtime():%d/%m/%Y %H:%M}")
    )
    response = HttpResponse(bytes(pdf.output()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="piano-{plan.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
