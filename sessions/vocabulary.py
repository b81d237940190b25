"""The words attendance is recorded in: those of the national activity report of digital
mediation, so that figures reach funders without asking the mediator twice.

Values are this project's own; reports.coop maps each of them to La Coop de la médiation
numérique's value, and its tests fail on any value left unmapped.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Autonomy(models.TextChoices):
    """Autonomy reached, in the terms of the national activity report (La Coop)."""

    FULLY_ASSISTED = "entierement_accompagne", _("fully assisted")
    PARTLY_AUTONOMOUS = "partiellement_autonome", _("partly autonomous")
    AUTONOMOUS = "autonome", _("autonomous")


class Equipment(models.TextChoices):
    TABLET = "tablette", _("tablet")
    PHONE = "telephone", _("phone")
    COMPUTER = "ordinateur", _("computer")


class Redirection(models.TextChoices):
    """Where the mediator sent the resident next, if anywhere."""

    CAF = "caf", _("CAF")
    TAXES = "impots", _("tax office")
    HEALTH_INSURANCE = "cpam", _("health insurance (CPAM)")
    FRANCE_SERVICES = "france_services", _("France Services")
    FRANCE_TRAVAIL = "france_travail", _("France Travail")
    TOWN_HALL = "mairie", _("town hall")
    SOCIAL_WORKER = "travailleur_social", _("social worker")
    OTHER = "autre", _("other body")


class AgeBracket(models.TextChoices):
    UNDER_12 = "moins_12", _("under 12")
    FROM_12_TO_17 = "12_17", _("12 to 17")
    FROM_18_TO_24 = "18_24", _("18 to 24")
    FROM_25_TO_39 = "25_39", _("25 to 39")
    FROM_40_TO_59 = "40_59", _("40 to 59")
    FROM_60_TO_69 = "60_69", _("60 to 69")
    FROM_70 = "70_plus", _("70 and over")


class Situation(models.TextChoices):
    IN_EDUCATION = "scolarise", _("in education")
    EMPLOYED = "en_emploi", _("employed")
    UNEMPLOYED = "sans_emploi", _("unemployed")
    RETIRED = "retraite", _("retired")


class Theme(models.TextChoices):
    """What an activity was about; several per activity."""

    DIGITAL_DIAGNOSIS = "diagnostic_numerique", _("digital skills assessment")
    DEVICE_BASICS = "prise_en_main_materiel", _("getting to grips with a device")
    DEVICE_MAINTENANCE = "maintenance_materiel", _("device maintenance")
    DIGITAL_CONTENT = "contenus_numeriques", _("managing one's digital content")
    NAVIGATION = "navigation", _("browsing the internet")
    EMAIL = "email", _("e-mail")
    OFFICE_SOFTWARE = "bureautique", _("office software")
    SOCIAL_NETWORKS = "reseaux_sociaux", _("social networks and communication")
    HEALTH = "sante", _("health")
    BANKING_SHOPPING = "banque_achats", _("online banking and shopping")
    BUSINESS = "entrepreneuriat", _("helping a professional")
    JOB_SEEKING = "insertion_professionnelle", _("finding work")
    SECURITY = "securite_numerique", _("digital security")
    PARENTING = "parentalite", _("parenting")
    SCHOOL = "scolarite", _("school and digital tools")
    CREATING = "creation", _("creating with digital tools")
    DIGITAL_CULTURE = "culture_numerique", _("digital culture")
    ARTIFICIAL_INTELLIGENCE = "intelligence_artificielle", _("artificial intelligence")
    ADMINISTRATIVE = "demarches", _("help with administrative procedures")
    # The kinds of administrative procedure.
    PAPERS_CITIZENSHIP = "papiers_citoyennete", _("papers, elections, citizenship")
    FAMILY_SCHOOLING = "famille_scolarite", _("family, schooling")
    SOCIAL_HEALTH = "social_sante", _("social matters, health")
    WORK_TRAINING = "travail_formation", _("work, training, business")
    HOUSING = "logement", _("housing")
    TRANSPORT = "transports", _("transport, mobility")
    MONEY_TAXES = "argent_impots", _("money, taxes")
    JUSTICE = "justice", _("justice")
    FOREIGNERS_EUROPE = "etrangers_europe", _("foreigners, Europe")
    LEISURE = "loisirs", _("leisure, sports, culture")
    ASSOCIATIONS = "associations", _("associations")


# The themes an activity gets from its module unless the coordinator says otherwise,
# keyed by mediation.models.ModuleTheme values.
THEMES_FROM_MODULE_THEME: dict[str, list[str]] = {
    "demarches": [Theme.ADMINISTRATIVE],
    "argent_impots": [Theme.ADMINISTRATIVE, Theme.MONEY_TAXES],
    "social_sante": [Theme.ADMINISTRATIVE, Theme.SOCIAL_HEALTH],
    "reseaux_sociaux": [Theme.SOCIAL_NETWORKS],
    "email": [Theme.EMAIL],
    "securite": [Theme.SECURITY],
    "equipement": [Theme.DEVICE_BASICS],
    "navigation": [Theme.NAVIGATION],
}


class PlaceType(models.TextChoices):
    VAN = "bus", _("at the van's stop")
    PARTNER_VENUE = "lieu_partenaire", _("in a partner venue")
    HOME = "domicile", _("at the person's home")
    REMOTE = "a_distance", _("remotely")


class Gender(models.TextChoices):
    NOT_SAID = "non_communique", _("not said")
    FEMALE = "feminin", _("female")
    MALE = "masculin", _("male")


class Operator(models.TextChoices):
    """The body in charge of the administrative procedure done."""

    CAF = "caf", _("CAF")
    CNAM = "cnam", _("Health insurance (CNAM, CPAM)")
    DGFIP = "dgfip", _("Tax office (DGFiP)")
    FRANCE_TITRES = "france_titres", _("France Titres (ANTS)")
    FRANCE_TRAVAIL = "france_travail", _("France Travail")
    PENSIONS = "retraite", _("Pension funds (CNAV, Carsat, Agirc-Arrco)")
    MSA = "msa", _("MSA")
    OTHER = "autre", _("other body")


class ActivityProfile(models.Model):
    """What the national activity report asks of each person helped, whether in a workshop
    (Attendance) or at the van's door (IndividualHelp): recorded once, in the same words."""

    autonomy = models.CharField(
        _("autonomy reached"), max_length=30, choices=Autonomy.choices, blank=True
    )
    equipment = models.CharField(
        _("equipment used"), max_length=20, choices=Equipment.choices, blank=True
    )
    redirection = models.CharField(
        _("redirected to"), max_length=30, choices=Redirection.choices, blank=True
    )
    first_visit = models.BooleanField(_("first visit"), null=True, blank=True)
    age_bracket = models.CharField(
        _("age bracket"), max_length=10, choices=AgeBracket.choices, blank=True
    )
    situation = models.CharField(
        _("situation"), max_length=20, choices=Situation.choices, blank=True
    )
    gender = models.CharField(
        _("gender"), max_length=20, choices=Gender.choices, default=Gender.NOT_SAID
    )

    class Meta:
        abstract = True
