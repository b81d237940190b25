import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.flyers import DEFAULT_MONTHS, flyer_period, period_choices
from mediation.models import Epci
from reports.activity import Period

# A year at most per request on screen; the command has no limit.
MAX_DAYS = 3 * 366


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    epci = forms.ModelChoiceField(
        label=_("Intercommunality"),
        queryset=Epci.objects.order_by("name"),
        required=False,
        empty_label=_("The whole département"),
        to_field_name="slug",
    )

    def __init__(self, data=None, **kwargs):
        today = timezone.localdate()
        initial = {"start": dt.date(today.year, 1, 1), "end": today}
        super().__init__(data if data else None, initial=initial, **kwargs)
        self.default = Period(initial["start"], initial["end"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end of the period comes before its start."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", _("Choose a period of three years at most."))
        return cleaned

    def period(self) -> Period:
        """The period asked for, or the year so far when the form is empty or wrong."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            return Period(data["start"], data["end"], data["epci"])
        return self.default


class FlyersForm(forms.Form):
    """Which intercommunality's flyers, for how many months from today (as a town hall's
    flyer: 1 to 6, 3 by default)."""

    epci = forms.ModelChoiceField(
        label=_("Intercommunality"),
        # One with no commune (not in the département's data any more) has no flyer to print.
        queryset=Epci.objects.filter(communes__isnull=False).distinct().order_by("name"),
        empty_label=_("Choose one"),
        to_field_name="slug",
        error_messages={"required": _("Choose the intercommunality whose flyers to print.")},
    )
    months = forms.TypedChoiceField(
        label=_("Stops shown"),
        choices=period_choices,
        coerce=int,
        initial=DEFAULT_MONTHS,
    )

    def period(self, *, today: dt.date | None = None) -> Period:
        """The flyers' period: from today, as a town hall's flyer printed today."""
        flyers = flyer_period(self.cleaned_data["months"], today=today)
        return Period(flyers.start, flyers.end, self.cleaned_data["epci"])
