"""manage.py demo_user: create or refresh the demo superuser and print how to log in."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.services import DemoUserConflict, demo_role_users_ensure, demo_user_ensure

LOGIN_URL = "http://127.0.0.1:8000/admin/"


class Command(BaseCommand):
    help = (
        "Создаёт или обновляет демо-суперпользователя (DEMO_USERNAME / DEMO_PASSWORD) "
        "и печатает адрес входа. Другого пользователя с тем же логином не меняет."
    )

    def handle(self, *args, **options) -> None:
        username, password = settings.DEMO_USERNAME, settings.DEMO_PASSWORD
        try:
            user, created = demo_user_ensure(username=username, password=password)
        except DemoUserConflict as exc:
            raise CommandError(str(exc)) from exc
        try:
            validate_password(password, user)
        except ValidationError as exc:
            self.stderr.write(
                self.style.WARNING(_("Слабый демо-пароль: ") + " ".join(exc.messages))
            )
        message = _("Демо-пользователь создан.") if created else _("Демо-пользователь обновлён.")
        self.stdout.write(self.style.SUCCESS(message))
        self.stdout.write(_("Вход: %(url)s") % {"url": LOGIN_URL})
        self.stdout.write(_("Логин: %(username)s") % {"username": username})
        self.stdout.write(_("Пароль: %(password)s") % {"password": password})
        try:
            role_users = demo_role_users_ensure(username=username, password=password)
        except DemoUserConflict as exc:
            raise CommandError(str(exc)) from exc
        if role_users:
            self.stdout.write(_("Входы для ролей (тот же пароль):"))
            for role_user in role_users:
                self.stdout.write(
                    f"  {role_user.username}: {role_user.role} ({role_user.territory})"
                )
