"""Wagtail permission policies that ask the portal's access policy, so the admin's
generic views (plan, subscribers) follow the same rules as every other screen."""

from wagtail.permission_policies.base import ModelPermissionPolicy

from portal import access


class AccessPolicy(ModelPermissionPolicy):
    """Every action on the model is allowed exactly when `rule(user)` says so."""

    def __init__(self, model, rule, read_only_actions=()):
        super().__init__(model)
        self.rule = rule
        self.read_only_actions = frozenset(read_only_actions)

    def user_has_permission(self, user, action):
        return bool(user and user.is_active and self.rule(user))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_any_permission(user, actions):
            return self.model._default_manager.all()
        return self.model._default_manager.none()

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(is_active=True)
        return users.filter(pk__in=[u.pk for u in users if self.rule(u)])


def plan_policy(model):
    return AccessPolicy(model, access.can_edit_newsletter)


def subscriber_policy(model):
    return AccessPolicy(model, access.can_manage_subscribers)
