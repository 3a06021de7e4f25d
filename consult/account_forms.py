"""allauth's sign-in form with a label that says what to type (allauth's own label is just "Login")."""
from allauth.account.forms import LoginForm
from django.utils.translation import gettext_lazy as _


class UsernameOrEmailLoginForm(LoginForm):
    """Sign in by username or e-mail address (ACCOUNT_LOGIN_METHODS): the field's visible label says so."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # allauth's own msgid, translated by allauth's catalogues and by locale_allauth/ for Kazakh.
        self.fields["login"].label = _("Username or email")
