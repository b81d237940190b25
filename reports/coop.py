"""The national activity report's vocabulary (La Coop de la médiation numérique), frozen, and
the one mapping from this project's values to it.

Frozen from the public repository inclusion-numerique/coop-mediation-numerique (AGPL; only
the lists of words are copied, as data):
- the export's columns: apps/web/src/features/activites/use-cases/list/export/
  buildAccompagnementsWorksheet.ts @ f2f728e3f21759d433db6f3ed43e0925b83909fa, in its
  variant for someone exporting other people's activities (not `isSelfExport`, so no
  beneficiary name nor notes) with no V1 data (no "Source de la donnée");
- themes, equipment, activity types: apps/web/src/features/activites/use-cases/cra/fields/
  thematique.ts, materiel.ts, type-activite.ts @ 0bcf4d2ccf34a7c5dd94189874cb205b0d95339a;
  place types: cra/fields/type-lieu.ts @ 1eb18654f991ad12f3ec01739adf1b3c4ed2aa1d;
- autonomy and redirection: cra/individuel/fields/autonomie.ts and
  structures-redirection.ts @ 0bcf4d2ccf34a7c5dd94189874cb205b0d95339a; workshop levels:
  cra/collectif/fields/niveau-atelier.ts @ 1fd0f1aa202efabe1ea4001b69cce1f3e082b7fd;
- gender, age brackets, social status: the enums Genre, TrancheAge and StatutSocial of
  apps/web/prisma/schema.prisma @ 00b754122237f21a260fb5cb92a32a3ebbd93622, labelled as the
  Coop's beneficiary labels (genreLabels, trancheAgeLabels, statutSocialLabels) read by the
  export above;
- the statistics workbook's sections: buildStatistiquesWorksheet.ts (same repository).

Every mapping raises UnmappedValue on a value it does not know: a new value on either side
is an error (the tests try every one), never a silent blank in a funder's file.
"""

from mediation.errors import DomainError

# --- The Coop's lists (keys are its Prisma enum names, values its labels) -------------------

EXPORT_COLUMNS = [
    "Date",
    "Enregistré le",
    "Dernière modification le",
    "Prénom du médiateur",
    "Nom du médiateur",
    "Rôle",
    "ID - Conum",
    "Type",
    "Participants",
    "Canaux d’accompagnement",
    "Nom du lieu",
    "Adresse",
    "Commune",
    "Code postal",
    "Code Insee",
    "Durée (min)",
    "Nom de l’atelier",
    "Matériel numérique utilisé",
    "Thématique(s) d’accompagnement",
    "Tags",
    "Nom de la démarche administrative",
    "Niveau d’autonomie (ou de l’atelier)",
    "Bénéficiaire réorienté",
    "Structure de redirection",
    "Commune du bénéficiaire",
    "Code postal du bénéficiaire",
    "Code Insee du bénéficiaire",
    "Genre du bénéficiaire",
    "Tranche d’âge du bénéficiaire",
    "Statut du bénéficiaire",
    "ID CRA",
]

TYPE_ACTIVITE = {"Individuel": "Accompagnement individuel", "Collectif": "Atelier collectif"}

THEMATIQUES_NON_ADMINISTRATIVES = {
    "DiagnosticNumerique": "Diagnostic numérique",
    "PrendreEnMainDuMateriel": "Prendre en main du matériel",
    "MaintenanceDeMateriel": "Maintenance de matériel",
    "GereSesContenusNumeriques": "Gérer ses contenus numériques",
    "NavigationSurInternet": "Navigation sur internet",
    "Email": "E-mail",
    "Bureautique": "Bureautique",
    "ReseauxSociaux": "Réseaux sociaux communication",
    "Sante": "Santé",
    "BanqueEtAchatsEnLigne": "Banque et achats en ligne",
    "Entrepreneuriat": "Accompagner un professionnel",
    "InsertionProfessionnelle": "Insertion professionnelle",
    "SecuriteNumerique": "Prévention en sécurité numérique",
    "Parentalite": "Parentalité",
    "ScolariteEtNumerique": "Scolarité et numérique",
    "CreerAvecLeNumerique": "Créer avec le numérique",
    "CultureNumerique": "Culture numérique",
    "IntelligenceArtificielle": "Intelligence artificielle (IA)",
    "AideAuxDemarchesAdministratives": "Aide aux démarches administratives",
}
THEMATIQUES_ADMINISTRATIVES = {
    "PapiersElectionsCitoyennete": "Papiers - Élections - Citoyenneté",
    "FamilleScolarite": "Famille - Scolarité",
    "SocialSante": "Social - Santé",
    "TravailFormation": "Travail - Formation - Entreprise",
    "Logement": "Logement",
    "TransportsMobilite": "Transports - Mobilité",
    "ArgentImpots": "Argent - Impôts",
    "Justice": "Justice",
    "EtrangersEurope": "Étrangers - Europe",
    "LoisirsSportsCulture": "Loisirs - Sports - Culture",
    "Associations": "Associations",
}
THEMATIQUES = THEMATIQUES_NON_ADMINISTRATIVES | THEMATIQUES_ADMINISTRATIVES

MATERIEL = {
    "Ordinateur": "Ordinateur",
    "Telephone": "Téléphone",
    "Tablette": "Tablette",
    "Autre": "Autre",
    "Aucun": "Pas de matériel",
}

TYPE_LIEU = {
    "LieuActivite": "Lieu d’activité",
    "Autre": "Autre lieu",
    "Domicile": "À domicile",
    "ADistance": "À distance",
}

# Exported as stars out of three, "2/3".
AUTONOMIE_STARS = {"EntierementAccompagne": 1, "PartiellementAutonome": 2, "Autonome": 3}
NIVEAU_ATELIER_STARS = {"Debutant": 1, "Intermediaire": 2, "Avance": 3}

STRUCTURES_REDIRECTION = {
    "Administration": "Administration (mairie, préfecture…)",
    "MediationNumerique": "Autre structure de médiation numérique",
    "OperateurOuOrganismeEnCharge": (
        "Opérateur ou organisme en charge de la démarche administrative"
    ),
    "AideSociale": "Structure d’aide sociale (maison des solidarités, centre social…)",
    "InsertionProfessionnelle": (
        "Structure d’insertion professionnelle (France Travail, mission locale, chambre de "
        "commerce…)"
    ),
    "AideAuxDemarchesAdministratives": (
        "Structure d’aide aux démarches administratives (France Services…)"
    ),
    "Autre": "Autre",
}

GENRE = {"Masculin": "Masculin", "Feminin": "Féminin", "NonCommunique": "Non communiqué"}

TRANCHE_AGE = {
    "SoixanteDixPlus": "70 ans et plus",
    "SoixanteSoixanteNeuf": "60 - 69 ans",
    "QuaranteCinquanteNeuf": "40 - 59 ans",
    "VingtCinqTrenteNeuf": "25 - 39 ans",
    "DixHuitVingtQuatre": "18 - 24 ans",
    "DouzeDixHuit": "12 - 17 ans",
    "MoinsDeDouze": "Moins de 12 ans",
    "NonCommunique": "Non communiqué",
}

STATUT_SOCIAL = {
    "Retraite": "Retraité",
    "SansEmploi": "Sans emploi",
    "EnEmploi": "En emploi",
    "Scolarise": "Scolarisé",
    "NonCommunique": "Non communiqué ou hétérogène",
}

YES, NO = "Oui", "Non"
MEDIATOR_ROLE = "Médiateur"

# --- From this project's values to the Coop's ---------------------------------------------
# Keys are the values of sessions.vocabulary and mediation.models; "" is "not recorded".

THEME_TO_COOP = {
    "diagnostic_numerique": "DiagnosticNumerique",
    "prise_en_main_materiel": "PrendreEnMainDuMateriel",
    "maintenance_materiel": "MaintenanceDeMateriel",
    "contenus_numeriques": "GereSesContenusNumeriques",
    "navigation": "NavigationSurInternet",
    "email": "Email",
    "bureautique": "Bureautique",
    "reseaux_sociaux": "ReseauxSociaux",
    "sante": "Sante",
    "banque_achats": "BanqueEtAchatsEnLigne",
    "entrepreneuriat": "Entrepreneuriat",
    "insertion_professionnelle": "InsertionProfessionnelle",
    "securite_numerique": "SecuriteNumerique",
    "parentalite": "Parentalite",
    "scolarite": "ScolariteEtNumerique",
    "creation": "CreerAvecLeNumerique",
    "culture_numerique": "CultureNumerique",
    "intelligence_artificielle": "IntelligenceArtificielle",
    "demarches": "AideAuxDemarchesAdministratives",
    "papiers_citoyennete": "PapiersElectionsCitoyennete",
    "famille_scolarite": "FamilleScolarite",
    "social_sante": "SocialSante",
    "travail_formation": "TravailFormation",
    "logement": "Logement",
    "transports": "TransportsMobilite",
    "argent_impots": "ArgentImpots",
    "justice": "Justice",
    "etrangers_europe": "EtrangersEurope",
    "loisirs": "LoisirsSportsCulture",
    "associations": "Associations",
}

# Nothing recorded: the Coop's list may be empty.
EQUIPMENT_TO_COOP = {"tablette": "Tablette", "telephone": "Telephone", "ordinateur": "Ordinateur"}

# The van is "another place" with the stop's commune; a partner's venue is a place of activity.
PLACE_TYPE_TO_COOP = {
    "bus": "Autre",
    "lieu_partenaire": "LieuActivite",
    "domicile": "Domicile",
    "a_distance": "ADistance",
}

AUTONOMY_TO_COOP = {
    "entierement_accompagne": "EntierementAccompagne",
    "partiellement_autonome": "PartiellementAutonome",
    "autonome": "Autonome",
}

LEVEL_TO_COOP = {"beginner": "Debutant", "intermediate": "Intermediaire"}

REDIRECTION_TO_COOP = {
    "caf": "OperateurOuOrganismeEnCharge",
    "impots": "OperateurOuOrganismeEnCharge",
    "cpam": "OperateurOuOrganismeEnCharge",
    "france_services": "AideAuxDemarchesAdministratives",
    "france_travail": "InsertionProfessionnelle",
    "mairie": "Administration",
    "travailleur_social": "AideSociale",
    "autre": "Autre",
}

GENDER_TO_COOP = {"masculin": "Masculin", "feminin": "Feminin", "non_communique": "NonCommunique"}

AGE_BRACKET_TO_COOP = {
    "": "NonCommunique",
    "moins_12": "MoinsDeDouze",
    "12_17": "DouzeDixHuit",
    "18_24": "DixHuitVingtQuatre",
    "25_39": "VingtCinqTrenteNeuf",
    "40_59": "QuaranteCinquanteNeuf",
    "60_69": "SoixanteSoixanteNeuf",
    "70_plus": "SoixanteDixPlus",
}

SITUATION_TO_COOP = {
    "": "NonCommunique",
    "scolarise": "Scolarise",
    "en_emploi": "EnEmploi",
    "sans_emploi": "SansEmploi",
    "retraite": "Retraite",
}

# Every Coop value this project never produces, said out loud: a value the Coop adds later
# is neither mapped nor listed here, and the tests fail until someone decides.
COOP_VALUES_NOT_PRODUCED = {
    "MATERIEL": {"Autre", "Aucun"},
    "NIVEAU_ATELIER": {"Avance"},
    "STRUCTURES_REDIRECTION": {"MediationNumerique"},
}


class UnmappedValue(DomainError):
    """A value of this project with no counterpart in the Coop's vocabulary."""

    def __init__(self, field: str, value):
        super().__init__("unmapped_value", f"No Coop value for {field}={value!r}")
        self.field = field
        self.value = value


def _lookup(mapping: dict, field: str, value):
    try:
        return mapping[value]
    except KeyError:
        raise UnmappedValue(field, value) from None


def themes(values: list[str]) -> list[str]:
    return [THEMATIQUES[_lookup(THEME_TO_COOP, "theme", value)] for value in values]


def equipment(value: str) -> str:
    return "" if not value else MATERIEL[_lookup(EQUIPMENT_TO_COOP, "equipment", value)]


def place_type(value: str) -> str:
    return TYPE_LIEU[_lookup(PLACE_TYPE_TO_COOP, "place_type", value)]


def autonomy_stars(value: str) -> str:
    stars = AUTONOMIE_STARS[_lookup(AUTONOMY_TO_COOP, "autonomy", value)]
    return f"{stars}/{len(AUTONOMIE_STARS)}"


def level_stars(value: str) -> str:
    stars = NIVEAU_ATELIER_STARS[_lookup(LEVEL_TO_COOP, "level", value)]
    return f"{stars}/{len(NIVEAU_ATELIER_STARS)}"


def redirection(value: str) -> str:
    return (
        ""
        if not value
        else STRUCTURES_REDIRECTION[_lookup(REDIRECTION_TO_COOP, "redirection", value)]
    )


def gender(value: str) -> str:
    return GENRE[_lookup(GENDER_TO_COOP, "gender", value)]


def age_bracket(value: str) -> str:
    return TRANCHE_AGE[_lookup(AGE_BRACKET_TO_COOP, "age_bracket", value)]


def situation(value: str) -> str:
    return STATUT_SOCIAL[_lookup(SITUATION_TO_COOP, "situation", value)]


def is_administrative(theme: str) -> bool:
    return THEME_TO_COOP.get(theme) in THEMATIQUES_ADMINISTRATIVES


AUTONOMIE = {
    "EntierementAccompagne": "Avec guidage",
    "PartiellementAutonome": "Autonome avec guidage en cas de besoin",
    "Autonome": "Autonome",
}


def autonomy(value: str) -> str:
    return AUTONOMIE[_lookup(AUTONOMY_TO_COOP, "autonomy", value)]
