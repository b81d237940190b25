"""Demo data for the core domain: modules and staff accounts (the tour: mediation/demo_tour.py).

Deterministic (a fixed random seed) and idempotent: run it again and nothing is duplicated.
"""

import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.html import escape

from mediation.models import (
    Branding,
    ModuleLevel,
    ModuleOutcome,
    ModuleTheme,
    TutorialModule,
)
from mediation.roles import COORDINATORS, MEDIATORS, ensure_staff_groups

DEMO_PASSWORD = "demo-bus-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    group: str


DEMO_ACCOUNTS = [
    DemoAccount("coordination", "Claire", "Lefebvre", COORDINATORS),
    DemoAccount("mediatrice", "Inès", "Dubois", MEDIATORS),
    DemoAccount("mediateur", "Thomas", "Carpentier", MEDIATORS),
]

# The content of the six demo modules: plain French for beginners, checked against the
# official sites. Where a site's screens change often, the steps stay general ("suivez les
# indications à l'écran") rather than name a button that may no longer exist.


def step(title: str, *paragraphs: str) -> tuple:
    return ("step", title, paragraphs)


def tip(*paragraphs: str) -> tuple:
    return ("tip", paragraphs)


def warning(*paragraphs: str) -> tuple:
    return ("warning", paragraphs)


def official_link(label: str, url: str) -> tuple:
    return ("official_link", label, url)


NEVER_SHARE_PASSWORD = warning(
    "Ne communiquez jamais votre mot de passe, à personne : ni au téléphone, ni par e-mail, "
    "ni par SMS. Même le médiateur ne doit pas le connaître."
)

DEMO_MODULES = [
    {
        "slug": "compte-caf",
        "title": "Créer son compte CAF en ligne",
        "goal": "Créer son espace Mon Compte sur caf.fr pour suivre ses aides et faire ses "
        "démarches sans se déplacer.",
        "audience": "Allocataires ou futurs allocataires de la CAF.",
        "level": ModuleLevel.BEGINNER,
        "theme": ModuleTheme.HEALTH_SOCIAL,
        "duration_minutes": 90,
        "prerequisites": "Savoir taper sur un clavier. Avoir une adresse e-mail ou un "
        "téléphone portable pour recevoir un code.",
        "documents": [
            "Votre numéro allocataire (sur un courrier de la CAF)",
            "Votre carte Vitale (pour le numéro de sécurité sociale)",
            "Votre code postal et votre date de naissance",
            "Votre téléphone portable ou votre adresse e-mail",
        ],
        "steps": [
            official_link("Le site officiel de la CAF : caf.fr", "https://www.caf.fr/"),
            step(
                "Ouvrez le site caf.fr",
                "Tapez caf.fr dans la barre d'adresse, en haut de l'écran. "
                "Vérifiez que l'adresse se termine bien par caf.fr.",
            ),
            step(
                "Allez dans Mon Compte",
                "Sur la page d'accueil, choisissez l'espace Mon Compte. "
                "C'est votre espace personnel.",
            ),
            step(
                "Donnez les informations demandées",
                "Le site vous demande de quoi vous reconnaître : votre numéro allocataire "
                "ou votre numéro de sécurité sociale, votre date de naissance et votre code "
                "postal. Suivez les indications à l'écran.",
            ),
            tip(
                "Vous avez déjà un compte Ameli ou impots.gouv.fr ? Vous pouvez aussi vous "
                "connecter avec le bouton FranceConnect."
            ),
            step(
                "Recopiez le code reçu",
                "La CAF vous envoie un code par e-mail ou par SMS. Recopiez-le à l'écran. "
                "Il prouve que c'est bien vous.",
            ),
            step(
                "Choisissez votre mot de passe",
                "Choisissez un mot de passe que vous seul connaissez. Mélangez des lettres "
                "et des chiffres. Ne prenez pas votre date de naissance.",
            ),
            NEVER_SHARE_PASSWORD,
            step(
                "Découvrez votre espace",
                "Vous voyez vos paiements, vos courriers et vos démarches. "
                "Vous pouvez télécharger une attestation de paiement.",
            ),
            step(
                "Déconnectez-vous",
                "À la fin, déconnectez-vous de votre compte. C'est important sur une tablette "
                "ou un ordinateur que d'autres personnes utilisent.",
            ),
        ],
        "outcomes": [
            "Compte CAF créé",
            "Mot de passe noté dans un lieu sûr",
            "Attestation téléchargée",
        ],
    },
    {
        "slug": "declarer-ses-revenus",
        "title": "Déclarer ses revenus en ligne sur impots.gouv.fr",
        "goal": "Se connecter à son espace particulier et envoyer sa déclaration de revenus.",
        "audience": "Toute personne qui déclare ses revenus.",
        "level": ModuleLevel.INTERMEDIATE,
        "theme": ModuleTheme.MONEY_TAXES,
        "duration_minutes": 90,
        "prerequisites": "Avoir une adresse e-mail que vous savez ouvrir (voir le module "
        "« Créer et utiliser une adresse e-mail »).",
        "documents": [
            "Votre numéro fiscal (13 chiffres, sur votre dernier avis d'impôt)",
            "Votre dernier avis d'impôt sur le revenu (numéro d'accès en ligne, "
            "revenu fiscal de référence)",
            "Vos justificatifs de revenus (salaires, retraites, pensions)",
            "Votre adresse e-mail et son mot de passe",
        ],
        "steps": [
            official_link(
                "Le site officiel des impôts : impots.gouv.fr", "https://www.impots.gouv.fr/"
            ),
            step(
                "Ouvrez le site impots.gouv.fr",
                "Tapez impots.gouv.fr dans la barre d'adresse. C'est le seul site officiel "
                "des impôts. Il est gratuit.",
            ),
            step(
                "Ouvrez votre espace particulier",
                "En haut à droite, choisissez la connexion à votre espace (il s'appelle aussi "
                "espace Finances publiques).",
            ),
            step(
                "Créez votre espace la première fois",
                "Tapez votre numéro fiscal. Il a 13 chiffres et se trouve en haut de votre "
                "avis d'impôt.",
                "Le site demande ensuite une information de votre dernier avis d'impôt : "
                "le numéro d'accès en ligne ou le revenu fiscal de référence. "
                "Suivez les indications à l'écran.",
            ),
            tip(
                "Vous avez déjà un compte Ameli ou l'Identité Numérique La Poste ? Vous pouvez "
                "aussi créer votre espace avec le bouton FranceConnect."
            ),
            step(
                "Donnez votre e-mail et choisissez un mot de passe",
                "Le site vous envoie un e-mail avec un lien. Cliquez sur ce lien dans les "
                "8 heures pour activer votre espace.",
                "Vous ne trouvez pas l'e-mail ? Regardez dans les courriers indésirables.",
            ),
            NEVER_SHARE_PASSWORD,
            step(
                "Ouvrez votre déclaration de revenus",
                "Pendant la période de déclaration, au printemps, votre déclaration est "
                "proposée dans votre espace. Les montants sont souvent déjà remplis.",
            ),
            step(
                "Vérifiez chaque montant",
                "Comparez les montants avec vos justificatifs : salaires, retraites, pensions. "
                "Corrigez s'il le faut.",
            ),
            step(
                "Signez et envoyez",
                "À la fin, validez et signez votre déclaration. Vous recevez un accusé de "
                "réception par e-mail. Gardez-le.",
            ),
        ],
        "outcomes": [
            "Espace particulier créé",
            "Déclaration envoyée",
            "Accusé de réception enregistré",
        ],
    },
    {
        "slug": "facebook-reseaux-sociaux",
        "title": "Facebook et les réseaux sociaux en sécurité",
        "goal": "Garder le contact avec ses proches sur Facebook en protégeant sa vie privée.",
        "audience": "Débutants qui veulent rester en contact avec leur famille.",
        "level": ModuleLevel.BEGINNER,
        "theme": ModuleTheme.SOCIAL_NETWORKS,
        "duration_minutes": 60,
        "prerequisites": "Avoir une adresse e-mail ou un téléphone portable.",
        "documents": [
            "Votre adresse e-mail ou votre numéro de portable",
            "Votre téléphone portable, pour recevoir un code",
        ],
        "steps": [
            step(
                "Comprenez ce qu'est un réseau social",
                "Facebook permet de partager des photos et des nouvelles avec vos proches. "
                "Ce que vous publiez peut être vu par beaucoup de monde : réfléchissez "
                "avant de publier.",
            ),
            step(
                "Créez votre compte",
                "Sur facebook.com ou dans l'application, créez un compte avec votre nom, "
                "votre date de naissance et votre e-mail ou votre numéro de portable. "
                "Facebook vous envoie un code pour vérifier.",
            ),
            step(
                "Choisissez un mot de passe solide",
                "Prenez un mot de passe différent de vos autres comptes. "
                "Mélangez des lettres, des chiffres et des signes.",
            ),
            NEVER_SHARE_PASSWORD,
            step(
                "Réglez qui voit vos publications",
                "Dans les paramètres de confidentialité, choisissez « Amis » plutôt que "
                "« Public ». Ainsi, seuls vos amis voient ce que vous publiez.",
            ),
            step(
                "Acceptez seulement les gens que vous connaissez",
                "Une demande d'ami d'un inconnu ? Ne l'acceptez pas. Un faux profil peut "
                "servir à une arnaque.",
            ),
            tip(
                "Ne publiez pas votre adresse, votre numéro de téléphone, ni vos dates "
                "d'absence en vacances."
            ),
            step(
                "Envoyez un premier message à un proche",
                "Ouvrez Messenger, choisissez un ami et écrivez-lui un petit message.",
            ),
            warning(
                "Un ami vous demande de l'argent par message ? Appelez-le au téléphone "
                "avant de faire quoi que ce soit : son compte a peut-être été piraté."
            ),
        ],
        "outcomes": ["Compte Facebook créé", "Paramètres de confidentialité réglés"],
    },
    {
        "slug": "adresse-email",
        "title": "Créer et utiliser une adresse e-mail",
        "goal": "Avoir sa propre adresse e-mail, lire ses messages et en envoyer.",
        "audience": "Personnes qui n'ont pas encore d'adresse e-mail.",
        "level": ModuleLevel.BEGINNER,
        "theme": ModuleTheme.EMAIL,
        "duration_minutes": 60,
        "prerequisites": "Aucun. C'est un bon premier module.",
        "documents": [
            "Votre téléphone portable, si vous en avez un (pour retrouver l'accès à votre boîte)",
            "Une pièce d'identité, pour recopier votre nom sans erreur",
        ],
        "steps": [
            step(
                "Comprenez à quoi sert une adresse e-mail",
                "Une adresse e-mail, c'est comme une boîte aux lettres sur Internet. "
                "Elle ressemble à ceci : prenom.nom@exemple.fr. Presque toutes les démarches "
                "en ligne en demandent une.",
            ),
            step(
                "Choisissez une messagerie gratuite",
                "Il existe plusieurs messageries gratuites, par exemple celles de La Poste, "
                "de Google (Gmail) ou de Microsoft (Outlook). Le médiateur vous aide à choisir.",
            ),
            step(
                "Créez votre adresse",
                "Sur le site de la messagerie, choisissez de créer un compte. Donnez votre "
                "nom et choisissez votre adresse. Une adresse simple, avec votre prénom et "
                "votre nom, est plus facile à donner.",
            ),
            step(
                "Choisissez un mot de passe et notez un indice",
                "Choisissez un mot de passe que vous seul connaissez. Notez un indice pour "
                "vous en souvenir, jamais le mot de passe lui-même.",
            ),
            NEVER_SHARE_PASSWORD,
            step(
                "Ajoutez votre numéro de portable",
                "Il servira à retrouver l'accès à votre boîte si vous oubliez votre mot de passe.",
            ),
            step(
                "Lisez vos messages",
                "Ouvrez la boîte de réception. Les nouveaux messages sont en gras. "
                "Touchez un message pour le lire.",
            ),
            step(
                "Envoyez votre premier message",
                "Choisissez d'écrire un nouveau message. Écrivez l'adresse de la personne, "
                "un objet (le sujet en quelques mots), puis votre message. Envoyez-le.",
            ),
            tip(
                "Un message inattendu vous demande de cliquer sur un lien ou de donner des "
                "informations ? Méfiez-vous : voir le module « Reconnaître une arnaque en "
                "ligne »."
            ),
        ],
        "outcomes": [
            "Adresse e-mail créée",
            "Premier message envoyé",
            "Mot de passe noté dans un lieu sûr",
        ],
    },
    {
        "slug": "compte-ameli",
        "title": "Créer son compte Ameli",
        "goal": "Ouvrir son compte sur ameli.fr pour suivre ses remboursements de santé.",
        "audience": "Assurés de l'Assurance Maladie.",
        "level": ModuleLevel.BEGINNER,
        "theme": ModuleTheme.HEALTH_SOCIAL,
        "duration_minutes": 60,
        "prerequisites": "Avoir une adresse e-mail que vous savez ouvrir.",
        "documents": [
            "Votre carte Vitale (numéro de sécurité sociale)",
            "Un relevé d'identité bancaire (RIB) à votre nom, celui que connaît "
            "l'Assurance Maladie",
            "Votre code postal",
            "Votre adresse e-mail et votre téléphone portable",
        ],
        "steps": [
            official_link(
                "Le site officiel de l'Assurance Maladie : ameli.fr", "https://www.ameli.fr/"
            ),
            step(
                "Ouvrez le site ameli.fr",
                "Tapez ameli.fr dans la barre d'adresse. Choisissez le compte ameli, "
                "puis la création d'un compte.",
            ),
            step(
                "Tapez votre numéro de sécurité sociale",
                "Il est écrit sur votre carte Vitale. Le site demande aussi votre code postal "
                "et votre date de naissance.",
            ),
            step(
                "Prouvez que c'est bien vous",
                "Le site demande une information que l'Assurance Maladie connaît déjà : "
                "par exemple la fin de votre IBAN (sur votre RIB) ou le numéro de série de "
                "votre carte Vitale. Suivez les indications à l'écran.",
            ),
            tip(
                "Vous pouvez aussi vous connecter avec FranceConnect, si vous avez déjà un "
                "compte impots.gouv.fr par exemple."
            ),
            step(
                "Donnez votre e-mail et votre téléphone",
                "L'Assurance Maladie vous enverra ses messages et ses codes à cette adresse.",
            ),
            step(
                "Choisissez votre mot de passe et activez le compte",
                "Choisissez un mot de passe. Ouvrez ensuite l'e-mail reçu et cliquez sur le "
                "lien pour activer votre compte.",
            ),
            NEVER_SHARE_PASSWORD,
            step(
                "Téléchargez votre attestation de droits",
                "Dans votre compte, vous trouvez vos remboursements et votre attestation de "
                "droits. Vous pouvez l'enregistrer ou l'imprimer.",
            ),
        ],
        "outcomes": ["Compte Ameli créé", "Attestation de droits téléchargée"],
    },
    {
        "slug": "arnaques-en-ligne",
        "title": "Reconnaître une arnaque en ligne",
        "goal": "Repérer un faux message (hameçonnage) et savoir quoi faire.",
        "audience": "Tout le monde.",
        "level": ModuleLevel.BEGINNER,
        "theme": ModuleTheme.SECURITY,
        "duration_minutes": 60,
        "prerequisites": "Aucun.",
        "documents": [
            "Votre téléphone portable",
            "Un message qui vous semble douteux, si vous en avez reçu un (ne cliquez pas "
            "dessus avant l'atelier)",
        ],
        "steps": [
            step(
                "Comprenez l'hameçonnage",
                "Des escrocs envoient de faux messages (e-mail ou SMS) qui imitent la banque, "
                "les impôts, Ameli, la CAF ou un livreur. Ils veulent vos mots de passe ou "
                "vos codes bancaires.",
            ),
            step(
                "Repérez les signes d'alerte",
                "Le message est urgent ou fait peur (« votre compte sera bloqué »). "
                "Il promet un remboursement ou un cadeau. Il vous demande de cliquer sur un "
                "lien. L'adresse de l'expéditeur est bizarre.",
            ),
            warning(
                "Votre banque et les administrations ne vous demandent jamais votre mot de "
                "passe ni vos codes bancaires par e-mail, par SMS ou au téléphone. "
                "Ne les donnez jamais."
            ),
            step(
                "Ne cliquez pas, ne répondez pas",
                "En cas de doute, ne touchez pas au lien. Allez vous-même sur le site "
                "officiel, en tapant son adresse, ou appelez l'organisme.",
            ),
            step(
                "Signalez les SMS douteux au 33700",
                "Transférez le SMS au numéro 33700. C'est gratuit. Cela aide à bloquer "
                "les escrocs.",
            ),
            step(
                "Signalez les sites et les contenus illégaux",
                "Sur internet-signalement.gouv.fr (la plateforme Pharos), vous pouvez "
                "signaler un site ou un contenu illégal.",
            ),
            official_link(
                "Signaler un contenu illicite : internet-signalement.gouv.fr",
                "https://www.internet-signalement.gouv.fr/",
            ),
            step(
                "Faites-vous aider si vous êtes victime",
                "Le site cybermalveillance.gouv.fr explique quoi faire selon votre situation. "
                "Si vous avez donné vos codes bancaires, appelez tout de suite votre banque "
                "pour faire opposition.",
            ),
            official_link(
                "Aide aux victimes : cybermalveillance.gouv.fr",
                "https://www.cybermalveillance.gouv.fr/",
            ),
        ],
        "outcomes": ["Sait repérer un message frauduleux", "Sait signaler une arnaque"],
    },
]


def seed_accounts() -> list[DemoAccount]:
    ensure_staff_groups()
    user_model = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, _ = user_model.objects.get_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": f"{account.username}@example.org",
            },
        )
        user.is_staff = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=account.group))
    return DEMO_ACCOUNTS


def steps_stream_data(slug: str, steps: list[tuple]) -> list[dict]:
    """The raw StreamField data of a module's steps.

    Block ids derive from the module and the position, so that seeding again writes exactly
    the same data instead of new random ids.
    """
    data = []
    for index, (kind, *content) in enumerate(steps):
        if kind == "step":
            title, paragraphs = content
            value = {
                "title": title,
                "text": _html_paragraphs(paragraphs),
                "image": None,
                "image_description": "",
            }
        elif kind in ("tip", "warning"):
            (paragraphs,) = content
            value = {"text": _html_paragraphs(paragraphs)}
        else:
            label, url = content
            value = {"label": label, "url": url}
        block_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"module:{slug}:{index}"))
        data.append({"type": kind, "value": value, "id": block_id})
    return data


def _html_paragraphs(paragraphs) -> str:
    return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)


@transaction.atomic
def seed_modules() -> list[TutorialModule]:
    """Create the demo modules, or bring them back to the demo content if they exist.

    Outcomes are matched by label: missing ones are added and the seeded ones put back in
    order. Outcomes a coordinator added are left alone, as attendance may already record them.
    """
    modules = []
    for spec in DEMO_MODULES:
        module, _created = TutorialModule.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "goal": spec["goal"],
                "audience": spec["audience"],
                "level": spec["level"],
                "theme": spec["theme"],
                "duration_minutes": spec["duration_minutes"],
                "prerequisites": spec["prerequisites"],
                "documents_to_bring": "\n".join(spec["documents"]),
                "steps": steps_stream_data(spec["slug"], spec["steps"]),
            },
        )
        for order, label in enumerate(spec["outcomes"]):
            ModuleOutcome.objects.update_or_create(
                module=module, label=label, defaults={"sort_order": order}
            )
        modules.append(module)
    return modules


def seed_branding(*, site_name: str) -> Branding:
    """Demo operator details; the phone number is in a range reserved for fiction."""
    branding = Branding.load()
    if not branding.contact_phone:
        branding.site_name = site_name
        branding.contact_phone = "03 53 01 00 80"
        branding.contact_email = "bus-numerique@example.org"
        branding.operator_name = "Somme Numérique (démonstration)"
        branding.operator_address = "1 rue de la Fibre\n80000 Amiens"
        branding.save()
    return branding
