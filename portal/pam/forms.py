import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    AssessmentQuestion,
    CycleDocument,
    DocumentStatus,
    ExpertReview,
    ImprovementPlan,
    Indicator,
    MaturityLevel,
    Measurement,
    Milestone,
    MonitoringReport,
)

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
NUMBER_MESSAGES = {"invalid": _("Inserisci un numero (es. 42 o 42,5), senza unità di misura.")}

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ALLOWED_EXTENSIONS = {"pdf", "odt", "docx", "doc", "xlsx", "ods", "zip"}


class AssessmentForm(forms.Form):
    """One radio group per active question, built from the questionnaire data."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=MaturityLevel.choices,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=question.help_text,
                error_messages={"required": _("Scegli un livello per questa domanda.")},
            )
            self.fields[f"n{question.pk}"] = forms.CharField(
                label=_("Nota (facoltativa)"), required=False, max_length=500
            )

    def grouped(self):
        """(phase label, [(question, level field, note field)]) in cycle order."""
        groups: dict[str, list] = {}
        for question in self.questions:
            groups.setdefault(question.get_phase_display(), []).append(
                (question, self[f"q{question.pk}"], self[f"n{question.pk}"])
            )
        return list(groups.items())

    def answers(self) -> dict[int, tuple[int, str]]:
        return {
            q.pk: (self.cleaned_data[f"q{q.pk}"], self.cleaned_data.get(f"n{q.pk}", ""))
            for q in self.questions
        }


class PlanForm(forms.ModelForm):
    class Meta:
        model = ImprovementPlan
        fields = [
            "title",
            "problem_analysis",
            "priority_objective",
            "phase",
            "service_area",
            "responsible",
            "start_date",
            "end_date",
            "status",
            "source_question",
        ]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "problem_analysis": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_question"].queryset = AssessmentQuestion.objects.all()
        self.fields["source_question"].label = _("Lacuna dell'autodiagnosi affrontata")
        self.fields["source_question"].error_messages["invalid_choice"] = _(
            "La lacuna indicata non esiste: sceglila dall'elenco."
        )


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "owner", "due_date", "progress"]
        widgets = {"due_date": DATE_WIDGET}


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "kind", "unit", "baseline", "target", "direction", "data_source"]
        error_messages = {"baseline": NUMBER_MESSAGES, "target": NUMBER_MESSAGES}


class MeasurementForm(forms.ModelForm):
    class Meta:
        model = Measurement
        fields = ["date", "value", "note"]
        widgets = {"date": DATE_WIDGET}
        error_messages = {"value": NUMBER_MESSAGES}


class ReportForm(forms.ModelForm):
    class Meta:
        model = MonitoringReport
        fields = ["checkpoint", "reference_date", "summary", "issues"]
        widgets = {
            "reference_date": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 6}),
            "issues": forms.Textarea(attrs={"rows": 4}),
        }


class ReviewForm(forms.ModelForm):
    class Meta:
        model = ExpertReview
        fields = ["status", "comment", "recommendations", "report"]
        widgets = {
            "comment": forms.Textarea(attrs={"rows": 5}),
            "recommendations": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this plan's reports can be chosen: a forged id is an invalid choice.
        self.fields["report"].queryset = MonitoringReport.objects.filter(plan=plan)
        self.fields["report"].error_messages["invalid_choice"] = _(
            "Il report indicato non appartiene a questo piano."
        )


class DocumentForm(forms.ModelForm):
    link = forms.URLField(
        label=_("Collegamento"),
        required=False,
        assume_scheme="https",
        help_text=_("La pagina di «Amministrazione trasparente» dove il documento è pubblicato."),
    )
    upload = forms.FileField(
        label=_("Carica il file"),
        required=False,
        help_text=_("PDF, ODT, DOCX, XLSX, ODS o ZIP, al massimo 20 MB."),
    )

    class Meta:
        model = CycleDocument
        fields = ["status", "due_date", "link"]
        widgets = {"due_date": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = DocumentStatus.choices

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return None
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError(
                _("Formato non ammesso: carica un PDF, ODT, DOCX, XLSX, ODS o ZIP.")
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Il file supera i 20 MB."))
        return upload

    def _post_clean(self):
        # A file uploaded now counts for the "published needs a file or a link" rule.
        upload = self.cleaned_data.get("upload")
        if upload is not None:
            self.instance.file = upload
        super()._post_clean()


class ResourceForm(forms.Form):
    """Pick one thing that supports an action, among what the person may see."""

    webinar = forms.ModelChoiceField(
        label=_("Webinar"), required=False, queryset=None, empty_label=_("— nessuno —")
    )
    material = forms.ModelChoiceField(
        label=_("Materiale metodologico"),
        required=False,
        queryset=None,
        empty_label=_("— nessuno —"),
    )
    topic = forms.ModelChoiceField(
        label=_("Discussione del forum"),
        required=False,
        queryset=None,
        empty_label=_("— nessuna —"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from wagtail.models import Page

        from forum.boards.models import Topic
        from portal import access
        from portal.pages.models import ContentPage
        from webinar.models import WebinarSessionPage

        # The last two years of sessions and the ones to come: a list people can scan.
        since = timezone.now() - datetime.timedelta(days=730)
        self.fields["webinar"].queryset = access.visible_pages(
            user, WebinarSessionPage.objects.live().filter(starts_at__gte=since)
        ).order_by("-starts_at")
        self.fields["material"].queryset = access.visible_pages(
            user, Page.objects.live().type(ContentPage).specific()
        ).order_by("title")
        topics = Topic.objects.order_by("-created_at")
        query = access.visible_topic_q(user)
        self.fields["topic"].queryset = topics if query is None else topics.filter(query)
        for name in ("webinar", "material", "topic"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "L'elemento scelto non esiste o non è visibile: sceglilo dall'elenco."
            )

    def clean(self):
        data = super().clean()
        chosen = [name for name in ("webinar", "material", "topic") if data.get(name)]
        if len(chosen) != 1 and not self.errors:
            raise forms.ValidationError(
                _("Scegli un webinar, un materiale o una discussione (uno solo).")
            )
        return data

    def target(self) -> dict:
        data = self.cleaned_data
        if data.get("topic"):
            return {"topic": data["topic"]}
        return {"page": data.get("webinar") or data.get("material")}


class PracticeForm(forms.Form):
    summary = forms.CharField(
        label=_("Cosa ha funzionato"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Il problema, cosa si è fatto, con quali risultati misurati."),
    )
