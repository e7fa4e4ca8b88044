"""Staff edit the self-diagnosis questionnaire as data in the Wagtail admin; the PAM
audit actions get readable labels in Wagtail's history views."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import AssessmentQuestion


class AssessmentQuestionViewSet(ModelViewSet):
    model = AssessmentQuestion
    icon = "form"
    menu_label = _("Autodiagnosi PAM")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["text", "phase", "order", "active"]
    list_filter = ["phase", "active"]
    search_fields = ["text"]
    form_fields = ["phase", "text", "help_text", "order", "active"]


@hooks.register("register_admin_viewset")
def register_pam_viewsets():
    return AssessmentQuestionViewSet("pam_domande")


@hooks.register("register_log_actions")
def register_pam_log_actions(actions):
    for action, label in [
        ("pam.assessment.complete", _("Autodiagnosi compilata")),
        ("pam.plan.create", _("Piano creato")),
        ("pam.plan.edit", _("Piano modificato")),
        ("pam.milestone.create", _("Azione aggiunta")),
        ("pam.milestone.edit", _("Azione aggiornata")),
        ("pam.indicator.create", _("Indicatore aggiunto")),
        ("pam.indicator.edit", _("Indicatore modificato")),
        ("pam.measurement.record", _("Misurazione registrata")),
        ("pam.report.create", _("Report di monitoraggio")),
        ("pam.review.create", _("Commento dell'esperto")),
        ("pam.document.edit", _("Documento del ciclo aggiornato")),
        ("pam.resource.add", _("Supporto collegato a un'azione")),
        ("pam.resource.remove", _("Supporto scollegato da un'azione")),
        ("pam.practice.propose", _("Azione proposta come buona pratica")),
        ("pam.practice.consent", _("Consenso dell'ente alla buona pratica")),
        ("pam.practice.decide", _("Decisione dell'esperto sulla buona pratica")),
    ]:
        actions.register_action(action, label, label)
