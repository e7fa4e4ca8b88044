"""What the policy reads about a person: every kind of entitlement, theirs only, in one
query."""

from portal import access
from portal.enti.models import MembershipRole
from tests import factories


def _fresh(user):
    access.forget_scope(user)
    return access.scope_for(user)


def test_the_scope_holds_every_kind_of_entitlement_of_the_person_and_nobody_elses(
    db, django_assert_num_queries
):
    person = factories.UserFactory(groups=[access.EDITOR_GROUP])
    referent_of = factories.MembershipFactory(user=person, role=MembershipRole.REFERENTE).ente
    member_of = factories.MembershipFactory(user=person).ente
    factories.MembershipFactory(user=person, state="requested")
    expert_for = factories.ExpertAssignmentFactory(expert=person).ente
    region = factories.RegionalRoleFactory(user=person).region
    team = factories.TaskTeamFactory()
    team.members.add(person)
    someone_else = factories.UserFactory()
    factories.MembershipFactory(user=someone_else)
    factories.ExpertAssignmentFactory(expert=someone_else)

    with django_assert_num_queries(1):
        scope = _fresh(person)

    assert scope.member_of == {referent_of.pk, member_of.pk}
    assert scope.referent_of == {referent_of.pk}
    assert scope.expert_for == {expert_for.pk}
    assert scope.expert and scope.editor and not scope.staff
    assert scope.regional_roles == {region.pk}
    assert scope.ente_regions == {referent_of.region_id, member_of.region_id, expert_for.region_id}
    assert scope.teams == {team.pk}

    other = _fresh(someone_else)
    assert other.member_of.isdisjoint(scope.member_of)
    assert not other.referent_of and not other.regional_roles and not other.teams
    assert not other.editor


def test_a_person_with_no_entitlements_has_an_empty_scope(db):
    scope = _fresh(factories.UserFactory())

    assert scope.authenticated
    assert not (scope.member_of or scope.expert_for or scope.regional_roles or scope.teams)
    assert not (scope.staff or scope.expert or scope.editor)


def test_staff_come_from_their_group(db):
    assert _fresh(factories.StaffFactory()).staff
