"""Staff manage bodies, experts' assignments and regional roles in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Ente, ExpertAssignment, Membership, Region, RegionalRole, TaskTeam


class EnteViewSet(ModelViewSet):
    model = Ente
    icon = "group"
    menu_label = _("Enti")
    list_display = ["name", "kind", "region", "cohort", "status"]
    list_filter = ["region", "kind", "cohort", "status"]
    search_fields = ["name", "istat_code"]
    form_fields = [
        "name",
        "slug",
        "kind",
        "istat_code",
        "population",
        "region",
        "province",
        "cohort",
        "status",
    ]


class RegionViewSet(ModelViewSet):
    model = Region
    icon = "site"
    menu_label = _("Regioni")
    list_display = ["name", "code"]
    form_fields = ["code", "name"]


class TaskTeamViewSet(ModelViewSet):
    model = TaskTeam
    icon = "group"
    menu_label = _("Task team")
    list_display = ["name", "region"]
    form_fields = ["name", "slug", "region", "description", "members"]


class ExpertAssignmentViewSet(ModelViewSet):
    model = ExpertAssignment
    icon = "user"
    menu_label = _("Esperti assegnati")
    list_display = ["expert", "ente", "assigned_at"]
    list_filter = ["ente__region"]
    form_fields = ["expert", "ente"]


class RegionalRoleViewSet(ModelViewSet):
    model = RegionalRole
    icon = "user"
    menu_label = _("Ruoli regionali")
    list_display = ["user", "kind", "region"]
    list_filter = ["region", "kind"]
    form_fields = ["user", "region", "kind"]


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "list-ul"
    menu_label = _("Adesioni")
    list_display = ["user", "ente", "role", "state", "requested_at", "decided_by"]
    list_filter = ["state", "role", "ente__region"]
    form_fields = ["user", "ente", "role", "state", "decision_note"]


class EntiViewSetGroup(ViewSetGroup):
    menu_label = _("Enti e ruoli")
    menu_icon = "group"
    menu_order = 250
    items = (
        EnteViewSet("gestione_enti"),
        RegionViewSet("gestione_regioni"),
        TaskTeamViewSet("gestione_task_team"),
        ExpertAssignmentViewSet("gestione_assegnazioni_esperti"),
        RegionalRoleViewSet("gestione_ruoli_regionali"),
        MembershipViewSet("gestione_adesioni"),
    )


@hooks.register("register_admin_viewset")
def register_enti_viewsets():
    return EntiViewSetGroup()
