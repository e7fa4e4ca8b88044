"""The certificate of attendance, as a PDF (fpdf2: pure Python, core fonts)."""

from __future__ import annotations

from django.utils import timezone
from fpdf import FPDF


def _latin1(text: str) -> str:
    # The core fonts speak Latin-1: Italian accents fit, anything else is replaced.
    return (
        text.replace("’", "'")
        .replace("«", '"')
        .replace("»", '"')
        .replace("—", "-")
        .encode("latin-1", "replace")
        .decode("latin-1")
    )


def certificate_pdf(session, user, facts: dict) -> bytes:
    starts = timezone.localtime(session.starts_at)
    name = user.get_full_name() or user.email
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(_latin1(f"Attestato di partecipazione - {session.title}"))
    pdf.set_author("Progetto Valutazione delle Performance")
    pdf.set_lang("it")
    pdf.add_page()
    pdf.set_draw_color(0, 102, 204)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_font("Helvetica", "B", 13)
    pdf.set_text_color(0, 102, 204)
    pdf.cell(
        0,
        20,
        _latin1("Progetto Valutazione delle Performance"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(25, 25, 25)
    pdf.set_font("Helvetica", "B", 28)
    pdf.cell(0, 22, "Attestato di partecipazione", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 14)
    pdf.cell(0, 12, "Si attesta che", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(0, 14, _latin1(name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 14)
    pdf.multi_cell(
        0,
        9,
        _latin1(
            f"ha partecipato al webinar «{session.title}» del {starts:%d/%m/%Y} "
            f"(ore {starts:%H:%M}, durata {session.duration_minutes} minuti), "
            f"seguendone {facts['minutes']} minuti ({facts['percent']}% della durata)."
        ),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(12)
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(
        0,
        8,
        _latin1(f"Rilasciato il {timezone.localdate():%d/%m/%Y} dal Portale PAQ."),
        align="C",
    )
    return bytes(pdf.output())
