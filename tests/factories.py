import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portal import access
from portal.accounts.models import JobRole
from portal.enti.models import (
    Cohort,
    Ente,
    EnteKind,
    ExpertAssignment,
    Membership,
    MembershipRole,
    MembershipState,
    Region,
    RegionalRole,
    RegionalRoleKind,
    TaskTeam,
)

PASSWORD = "Passw0rd-di-prova!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"utente{n}@comune.example.it")
    first_name = "Maria"
    last_name = factory.Sequence(lambda n: f"Rossi{n}")
    job_role = JobRole.DIRIGENTE
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Users made by the factory have a verified primary address (allauth)."""
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            add_groups(self, extracted)


def add_groups(user, names):
    for name in names:
        user.groups.add(Group.objects.get_or_create(name=name)[0])


class StaffFactory(UserFactory):
    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            add_groups(self, [access.STAFF_GROUP, *(extracted or [])])


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Iterator(["CAL", "CAM", "PUG", "SIC"])
    name = factory.LazyAttribute(
        lambda o: {"CAL": "Calabria", "CAM": "Campania", "PUG": "Puglia", "SIC": "Sicilia"}[o.code]
    )


class EnteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ente

    name = factory.Sequence(lambda n: f"Comune di Prova {n}")
    slug = factory.Sequence(lambda n: f"prova-{n}")
    kind = EnteKind.COMUNE
    istat_code = factory.Sequence(lambda n: f"{n + 100000:06d}")
    population = 35000
    region = factory.SubFactory(RegionFactory, code="CAM")
    province = "SA"
    cohort = Cohort.PRIMA_FASE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    ente = factory.SubFactory(EnteFactory)
    role = MembershipRole.MEMBRO
    state = MembershipState.APPROVED


class ExpertAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertAssignment

    expert = factory.SubFactory(UserFactory, job_role=JobRole.ESPERTO, groups=[access.EXPERT_GROUP])
    ente = factory.SubFactory(EnteFactory)


class RegionalRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalRole

    user = factory.SubFactory(UserFactory)
    region = factory.SubFactory(RegionFactory, code="CAM")
    kind = RegionalRoleKind.REFERENTE


class TaskTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskTeam

    name = factory.Sequence(lambda n: f"Task team {n}")
    slug = factory.Sequence(lambda n: f"task-team-{n}")
