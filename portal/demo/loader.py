"""Loads the demo: regions, real bodies, people, experts, content pages, reserved areas.

Idempotent: every row is looked up by its natural key first and only created when
missing, so a second run writes nothing.
"""

from __future__ import annotations

import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction

from forum.boards import demo as forum_demo
from portal import access
from portal.accounts.models import JobRole
from portal.enti.models import (
    Ente,
    ExpertAssignment,
    Membership,
    MembershipRole,
    MembershipState,
    Region,
    RegionalRole,
    RegionalRoleKind,
    TaskTeam,
)
from portal.pages.models import (
    AreaScope,
    ContentPage,
    HomePage,
    PortalDocument,
    PortalSettings,
    ReservedAreaIndexPage,
    ReservedAreaPage,
    ReservedContentPage,
)
from portal.pages.setup import ensure_site_structure
from portal.pam.demo import load_pam_demo

from . import data

DEMO_PASSWORD = "Demo-Paq-2026!"  # noqa: S105 - demo accounts only, listed in the README
SHOWCASE_ENTE_SLUG = "giugliano-in-campania"

# Accounts a person can try at once (the README lists them).
SHOWCASE_ACCOUNTS = [
    ("admin@paq.example.it", "Amministratore", "Portale", {"superuser": True}),
    ("staff@paq.example.it", "Paola", "Staff", {"groups": [access.STAFF_GROUP]}),
    ("redazione@paq.example.it", "Roberto", "Redazione", {"groups": [access.EDITOR_GROUP]}),
    ("moderazione@paq.example.it", "Marta", "Moderazione", {"groups": [access.MODERATOR_GROUP]}),
    ("referente@paq.example.it", "Rosa", "Esposito", {"referent_of": SHOWCASE_ENTE_SLUG}),
    ("membro@paq.example.it", "Marco", "Russo", {"member_of": SHOWCASE_ENTE_SLUG}),
    ("richiedente@paq.example.it", "Chiara", "Romano", {"requests": SHOWCASE_ENTE_SLUG}),
    ("nuovo@paq.example.it", "", "", {}),
    ("regionale.campania@paq.example.it", "Carla", "De Luca", {"regional": "CAM"}),
]


def _ascii(text: str) -> str:
    normalized = unicodedata.normalize("NFKD", text)
    return "".join(c for c in normalized if c.isalnum() and c.isascii()).lower()


class DemoLoader:
    def __init__(self, log=print):
        self.log = log
        self.created = 0
        # One hash for every demo account: hashing is deliberately slow.
        self.password_hash = make_password(DEMO_PASSWORD)

    @transaction.atomic
    def run(self) -> int:
        self.home = ensure_site_structure()
        self.regions = self._regions()
        self.enti = self._enti()
        self._people()
        self._experts()
        self._regional_roles()
        self.teams = self._task_teams()
        self._content()
        self._areas()
        self._chat()
        # Each app's demo rows, after the bodies, people and areas they hang on.
        forum_demo.load(self)
        load_pam_demo(self)
        from webinar.demo import load as load_webinar_demo

        load_webinar_demo(self)
        from newsletter.demo import load as load_newsletter_demo

        load_newsletter_demo(self)
        from portal.library.demo import load as load_library_demo

        load_library_demo(self)
        return self.created

    # --- helpers ---------------------------------------------------------------------

    def _user(self, email, first_name="", last_name="", job_role="", **extra):
        User = get_user_model()
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(
                email=email, first_name=first_name, last_name=last_name, job_role=job_role, **extra
            )
            user.password = self.password_hash
            user.save()
            self.created += 1
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    def _membership(self, user, ente, role=MembershipRole.MEMBRO, state=MembershipState.APPROVED):
        if not Membership.objects.filter(user=user, ente=ente).exists():
            Membership.objects.create(user=user, ente=ente, role=role, state=state)
            self.created += 1

    # --- domain rows --------------------------------------------------------------------

    def _regions(self) -> dict[str, Region]:
        regions = {}
        for row in data.REGIONS:
            region, created = Region.objects.get_or_create(
                code=row["code"], defaults={"name": row["name"]}
            )
            self.created += created
            regions[row["code"]] = region
        return regions

    def _enti(self) -> dict[str, Ente]:
        enti = {}
        for row in data.BODIES:
            ente = Ente.objects.filter(slug=row["slug"]).first()
            if ente is None:
                ente = Ente.objects.create(
                    name=row["name"],
                    slug=row["slug"],
                    kind=row["kind"],
                    istat_code=row["istat_code"],
                    population=row["population"],
                    region=self.regions[row["region"]],
                    province=row["province"],
                    cohort=row["cohort"],
                )
                self.created += 1
            enti[row["slug"]] = ente
        self.log(f"Enti: {len(enti)}")
        return enti

    def _people(self) -> None:
        groups = {
            name: Group.objects.get_or_create(name=name)[0]
            for name in (
                access.STAFF_GROUP,
                access.EDITOR_GROUP,
                access.MODERATOR_GROUP,
                access.EXPERT_GROUP,
            )
        }
        for email, first, last, spec in SHOWCASE_ACCOUNTS:
            job_role = JobRole.DIRIGENTE if first else ""
            extra = {}
            if spec.get("superuser"):
                extra = {"is_superuser": True, "is_staff": True}
            user = self._user(email, first, last, job_role, **extra)
            for name in spec.get("groups", []):
                if not user.groups.filter(pk=groups[name].pk).exists():
                    user.groups.add(groups[name])
            if slug := spec.get("referent_of"):
                self._membership(user, self.enti[slug], MembershipRole.REFERENTE)
            if slug := spec.get("member_of"):
                self._membership(user, self.enti[slug])
            if slug := spec.get("requests"):
                self._membership(user, self.enti[slug], state=MembershipState.REQUESTED)
            if code := spec.get("regional"):
                self._regional_role(user, code, RegionalRoleKind.REFERENTE)
        first_names, last_names = data.PEOPLE_FIRST_NAMES, data.PEOPLE_LAST_NAMES
        roles = [JobRole.SEGRETARIO_GENERALE, JobRole.DIRIGENTE, JobRole.FUNZIONARIO_APICALE]
        for i, row in enumerate(data.BODIES):
            ente = self.enti[row["slug"]]
            for j, role in enumerate(roles):
                first = first_names[(i * 3 + j) % len(first_names)]
                last = last_names[(i * 7 + j * 3) % len(last_names)]
                email = f"{_ascii(first)}.{_ascii(last)}@{row['slug']}.example.it"
                user = self._user(email, first, last, role)
                membership_role = MembershipRole.REFERENTE if j == 0 else MembershipRole.MEMBRO
                self._membership(user, ente, membership_role)

    def _experts(self) -> None:
        expert_group = Group.objects.get(name=access.EXPERT_GROUP)
        by_region: dict[str, list] = {}
        for row in data.EXPERTS:
            user = self._user(
                row["email"],
                row["first_name"],
                row["last_name"],
                JobRole.ESPERTO,
                job_title=row["bio"][:150],
            )
            if not user.groups.filter(pk=expert_group.pk).exists():
                user.groups.add(expert_group)
            for code in row["regions"]:
                by_region.setdefault(code, []).append(user)
        for code, experts in by_region.items():
            bodies = [e for e in self.enti.values() if e.region_id == self.regions[code].pk]
            for k, ente in enumerate(sorted(bodies, key=lambda e: e.name)):
                expert = experts[k % len(experts)]
                _assignment, created = ExpertAssignment.objects.get_or_create(
                    expert=expert, ente=ente
                )
                self.created += created

    def _regional_role(self, user, code, kind) -> None:
        _role, created = RegionalRole.objects.get_or_create(
            user=user, region=self.regions[code], kind=kind
        )
        self.created += created

    def _regional_roles(self) -> None:
        for code, region in self.regions.items():
            slug = _ascii(region.name)
            referent = self._user(
                f"referente.{slug}@paq.example.it", "Referente", region.name, JobRole.ALTRO
            )
            self._regional_role(referent, code, RegionalRoleKind.REFERENTE)
            secretariat = self._user(
                f"segreteria.{slug}@paq.example.it", "Segreteria", region.name, JobRole.ALTRO
            )
            self._regional_role(secretariat, code, RegionalRoleKind.SEGRETERIA)

    def _task_teams(self) -> list[TaskTeam]:
        teams = []
        experts = list(get_user_model().objects.filter(groups__name=access.EXPERT_GROUP))
        for row in data.TASK_TEAMS:
            team = TaskTeam.objects.filter(slug=row["slug"]).first()
            if team is None:
                region = self.regions.get(row["region"]) if row["region"] else None
                team = TaskTeam.objects.create(
                    name=row["name"],
                    slug=row["slug"],
                    region=region,
                    description=row["description"],
                )
                members = [
                    e
                    for e in experts
                    if region is None or e.expert_assignments.filter(ente__region=region).exists()
                ]
                team.members.add(*members)
                self.created += 1
            teams.append(team)
        return teams

    # --- pages ------------------------------------------------------------------------------

    @staticmethod
    def _stream(blocks):
        stream = []
        for block in blocks:
            if block["type"] == "callout":
                text = block["value"]["text"]
                if not text.startswith("<"):
                    text = f"<p>{text}</p>"
                stream.append(("callout", {"title": block["value"]["title"], "text": text}))
            else:
                stream.append((block["type"], block["value"]))
        return stream

    def _page(self, parent, page_class, slug, **fields):
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:
            return existing.specific
        page = page_class(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created += 1
        return page

    def _content_tree(self, parent, rows, in_menu):
        pages = {}
        for row in rows:
            page = self._page(
                parent,
                ContentPage,
                row["slug"],
                title=row["title"],
                intro=row.get("intro", ""),
                body=self._stream(row["body"]),
                show_in_menus=in_menu,
            )
            pages[row["slug"]] = page
            pages.update(self._content_tree(page, row.get("children", []), True))
        return pages

    def _content(self) -> None:
        home = HomePage.objects.get(pk=self.home.pk)
        pages = self._content_tree(home, data.CONTENT_PAGES, in_menu=True)
        pages.update(self._content_tree(home, data.LEGAL_PAGES, in_menu=False))
        if not home.intro:
            home.subtitle = data.HOME["subtitle"]
            home.intro = f"<p>{data.HOME['intro']}</p>"
            home.highlights = [
                (
                    "highlight",
                    {"title": h["title"], "text": h["text"], "page": pages[h["link_slug"]]},
                )
                for h in data.HOME["highlights"]
            ]
            home.save_revision().publish()
            self.created += 1
        portal_settings = PortalSettings.load()
        if portal_settings.accessibility_page_id is None:
            portal_settings.accessibility_page = pages["dichiarazione-di-accessibilita"]
            portal_settings.privacy_page = pages["privacy"]
            portal_settings.legal_page = pages["note-legali"]
            portal_settings.contacts_page = pages["contatti"]
            portal_settings.save()
            self.created += 1

    def _areas(self) -> None:
        index = ReservedAreaIndexPage.objects.get()
        if not index.intro:
            index.intro = (
                "<p>Gli spazi di lavoro riservati degli enti, delle regioni e dei task team: "
                "documenti, pagine di lavoro e, a breve, discussioni e piani di miglioramento.</p>"
            )
            index.save_revision().publish()
        for ente in self.enti.values():
            self._page(
                index,
                ReservedAreaPage,
                ente.slug,
                title=f"Area riservata — {ente.name}",
                scope=AreaScope.ENTE,
                ente=ente,
                intro=f"<p>{data.RESERVED_AREA_WELCOME.format(body=ente.name)}</p>",
            )
        for region in self.regions.values():
            self._page(
                index,
                ReservedAreaPage,
                f"regione-{_ascii(region.name)}",
                title=f"Area regionale — {region.name}",
                scope=AreaScope.REGION,
                region=region,
                intro=f"<p>Lo spazio comune degli enti, degli esperti e della segreteria "
                f"della regione {region.name}.</p>",
            )
        for team in self.teams:
            self._page(
                index,
                ReservedAreaPage,
                f"team-{team.slug}",
                title=team.name,
                scope=AreaScope.TEAM,
                task_team=team,
                intro=f"<p>{team.description}</p>",
            )
        showcase = ReservedAreaPage.objects.get(ente__slug=SHOWCASE_ENTE_SLUG)
        self._page(
            showcase,
            ReservedContentPage,
            "verbale-incontro-di-avvio",
            title="Verbale dell'incontro di avvio con l'esperto",
            intro="Sintesi dell'analisi del Ciclo di gestione della performance dell'ente.",
            body=[
                (
                    "paragraph",
                    "<p>All'incontro hanno partecipato il segretario generale, i "
                    "dirigenti dei settori e l'esperto territoriale. Sono state "
                    "individuate le priorità del Piano di Azioni di Miglioramento: "
                    "indicatori di risultato per i servizi alla persona e verifica "
                    "intermedia al 30 giugno.</p>",
                )
            ],
        )
        if not PortalDocument.objects.filter(collection_id=showcase.collection_id).exists():
            document = PortalDocument(
                title="Analisi del Ciclo di gestione della performance (sintesi)",
                collection_id=showcase.collection_id,
            )
            document.file.save(
                "analisi-cgp-sintesi.pdf",
                ContentFile(
                    minimal_pdf(
                        "Analisi del Ciclo di gestione della performance - documento dimostrativo"
                    )
                ),
                save=False,
            )
            document.save()
            self.created += 1

    def _chat(self) -> None:
        from forum.chat.models import ChatMessage
        from forum.chat.services import project_room, room_for_area

        room = project_room()
        for area in ReservedAreaPage.objects.all():
            room_for_area(area)
        if not ChatMessage.objects.filter(room=room).exists():
            User = get_user_model()
            lines = [
                (
                    "giulia.ferraro@esperti.demo.paq.it",
                    "Benvenuti nella sala comune: qui ci confrontiamo tra enti ed esperti.",
                ),
                (
                    "referente@paq.example.it",
                    "Buongiorno a tutti. Qualcuno ha già impostato la verifica intermedia al 30 "
                    "giugno con indicatori di risultato?",
                ),
                (
                    "giulia.ferraro@esperti.demo.paq.it",
                    "Sì: partite dagli obiettivi del PEG e dai dati già disponibili. Una guida è "
                    "sul portale: http://127.0.0.1:8000/ciclo-della-performance/monitoraggio/",
                ),
            ]
            from forum.chat.services import message_post

            for number, (email, text) in enumerate(lines, start=1):
                author = User.objects.get(email=email)
                message_post(room=room, user=author, body=text, client_id=f"demo-message-{number}")
                self.created += 1


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF with a line of text, for demo documents."""
    content = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)
